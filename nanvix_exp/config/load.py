"""From the composed Hydra config to validated settings, in one place.

``load_settings`` resolves every interpolation, reads each group into its
typed spec (units parsed, values checked), checks the workload against the
hardware and kernel it will run on, and reports the first bad value as one
``ConfigError`` naming its dotted key. Nothing is simulated or recorded
before this succeeds.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import MissingMandatoryValue, OmegaConfBaseException

from nanvix_exp.config.convert import convert, read_value
from nanvix_exp.config.errors import ConfigError
from nanvix_exp.config.instantiate import resolve_target
from nanvix_exp.errors import SpecError
from nanvix_exp.hardware.platform import HardwareSpec
from nanvix_exp.kernel.spec import KernelSpec
from nanvix_exp.tracking.client.spec import TrackingSpec
from nanvix_exp.workloads.base import Workload
from nanvix_exp.workloads.catalog import registration_of, registrations
from nanvix_exp.workloads.registration import Registration

PROGRESS_MODES = ("auto", "always", "never")
ROOT_KEYS = ("hardware", "kernel", "workload", "tracking", "seed", "force", "progress", "paths")


@dataclass(frozen=True)
class Settings:
    """Everything one run needs, validated: the system, the workload, where to record."""

    hardware: HardwareSpec
    kernel: KernelSpec
    workload: Workload
    registration: Registration
    """The workload's registration: its name, metrics and report view."""
    tracking: TrackingSpec
    seed: int
    force: bool
    progress: str
    runs_dir: Path
    resolved: dict[str, Any]
    """The resolved config as plain data (no ``hydra`` node): params, YAML artifact, identity."""


def resolved_config(cfg: DictConfig) -> dict[str, Any]:
    """The config with every interpolation resolved, minus Hydra's own node."""
    own = OmegaConf.masked_copy(cfg, [key for key in cfg if key != "hydra"])
    try:
        plain = OmegaConf.to_container(own, resolve=True, throw_on_missing=True)
    except MissingMandatoryValue as error:
        raise ConfigError(str(error.full_key), "???", "a value (this key is required)") from None
    except OmegaConfBaseException as error:
        raise ConfigError(str(getattr(error, "full_key", "") or "config"), "", _first_line(error)) from None
    assert isinstance(plain, dict)
    return plain


def load_settings(cfg: DictConfig) -> Settings:
    """Validate the composed config; raises ConfigError for the first bad value."""
    plain = resolved_config(cfg)
    for key in plain:
        if key not in ROOT_KEYS:
            raise ConfigError(key, plain[key], "top-level keys " + ", ".join(ROOT_KEYS))
    hardware = convert(HardwareSpec, plain["hardware"], "hardware")
    kernel = convert(KernelSpec, plain["kernel"], "kernel")
    workload_node = dict(plain["workload"])
    target = workload_node.pop("_target_", None)
    registration = registration_of(resolve_target(target, "workload._target_", Workload))
    if registration is None:
        known = ", ".join(r.target for r in registrations().values())
        raise ConfigError("workload._target_", target, f"a registered workload class: {known}")
    if workload_node.get("name") != registration.name:
        allowed = f"{registration.name} (the name {registration.target} registers)"
        raise ConfigError("workload.name", workload_node.get("name"), allowed)
    workload_spec = convert(registration.spec, workload_node, "workload")
    try:
        workload_spec.check(hardware, kernel)
    except SpecError as error:
        raw = workload_node.get(error.field, error.value)  # as written ('3 MiB'), not as parsed
        shown = raw if isinstance(raw, str | int | float) else error.value
        raise ConfigError(f"workload.{error.field}", shown, error.allowed) from None
    tracking_node = dict(plain["tracking"])
    tracking_node["uri"] = absolute_sqlite_uri(str(tracking_node.get("uri", "")))
    tracking = convert(TrackingSpec, tracking_node, "tracking")
    seed = read_value(int, plain.get("seed"), "seed")
    if seed < 0:
        raise ConfigError("seed", seed, "a whole number >= 0")
    progress = str(plain.get("progress"))
    if progress not in PROGRESS_MODES:
        raise ConfigError("progress", progress, "one of " + ", ".join(PROGRESS_MODES))
    return Settings(
        hardware=hardware,
        kernel=kernel,
        workload=registration.workload(workload_spec),
        registration=registration,
        tracking=tracking,
        seed=seed,
        force=read_value(bool, plain.get("force"), "force"),
        progress=progress,
        runs_dir=Path(str(plain["paths"]["runs"])).expanduser().resolve(),
        resolved=plain,
    )


def absolute_sqlite_uri(uri: str) -> str:
    """``sqlite:///runs/x.db`` relative to the working directory becomes an absolute URI."""
    prefix = "sqlite:///"
    if not uri.startswith(prefix) or uri.startswith(prefix + "/"):
        return uri
    return prefix + str(Path(uri[len(prefix) :]).expanduser().resolve())


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
