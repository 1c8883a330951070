"""What makes two runs the same run: the resolved config and the code that simulated it.

The config hash covers everything that changes the simulated numbers and
nothing that only says where they are written (``tracking``, ``paths``,
``force``, ``progress``). The code version is the git commit plus, when the
working tree is dirty, a digest of the uncommitted diff, so an edited model
never reuses an old result. ``RunKeys`` reads, once per run, the keys a run
is found and grouped by (kernel, hardware, workload, seed, config hash): its
tags, its name and the key columns of its samples all come from there.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

OUTPUT_KEYS = ("tracking", "paths", "force", "progress")
"""Top-level keys that decide where results go, not what they are."""

PACKAGES = ("nanvix-exp", "numpy", "numba", "polars", "mlflow", "hydra-core", "omegaconf")


def config_hash(resolved: dict[str, Any]) -> str:
    """Stable digest of the resolved config without its output/tracking settings."""
    relevant = {k: v for k, v in resolved.items() if k not in OUTPUT_KEYS}
    return _digest(json.dumps(relevant, sort_keys=True, default=str))


@dataclasses.dataclass(frozen=True)
class RunKeys:
    """The keys of one run, read once from its resolved config (field order = sample column order)."""

    kernel: str
    hardware: str
    workload: str
    seed: int
    config_hash: str

    @classmethod
    def of(cls, resolved: dict[str, Any]) -> RunKeys:
        """The keys of the run described by the resolved config ``resolved``."""
        return cls(
            kernel=str(resolved["kernel"]["name"]),
            hardware=str(resolved["hardware"]["name"]),
            workload=str(resolved["workload"]["name"]),
            seed=int(resolved["seed"]),
            config_hash=config_hash(resolved),
        )

    @property
    def identity(self) -> str:
        """Identity of the run: config hash and code version together."""
        return _digest(self.config_hash + "@" + code_version().label)

    @property
    def run_name(self) -> str:
        """``<workload>-<kernel>-<hash prefix>``, the run's name in MLflow."""
        return f"{self.workload}-{self.kernel}-{self.config_hash[:6]}"

    def values(self) -> dict[str, str | int]:
        """Every key by name, in field order."""
        return dataclasses.asdict(self)


def sweep_identity(experiment: str, overrides: list[str], sweep_params: dict[str, str]) -> str:
    """Identity of a sweep (its parent run): experiment, command-line overrides, preset sweep params, code."""
    payload = json.dumps([experiment, sorted(overrides), sorted(sweep_params.items())], default=str)
    return _digest(payload + "@" + code_version().label)


class CodeVersion:
    """Git commit of the simulator and whether uncommitted changes were in effect."""

    def __init__(self, sha: str, dirty: bool, diff_digest: str) -> None:
        self.sha = sha
        self.dirty = dirty
        self.diff_digest = diff_digest

    @property
    def label(self) -> str:
        """``<sha>`` or ``<sha>+dirty.<digest of the diff>``."""
        return f"{self.sha}+dirty.{self.diff_digest}" if self.dirty else self.sha


@functools.cache
def code_version() -> CodeVersion:
    """The code version of the installed package (git when run from a checkout)."""
    root = Path(__file__).resolve().parents[2]
    try:
        sha = _git(root, "rev-parse", "HEAD").strip()
        status = _git(root, "status", "--porcelain", "--", "nanvix_exp", "conf")
        dirty = bool(status.strip())
        diff = _git(root, "diff", "HEAD", "--", "nanvix_exp", "conf") if dirty else ""
        untracked = [line[3:] for line in status.splitlines() if line.startswith("?? ")]
        contents = "".join(_read(root / name) for name in untracked)
        return CodeVersion(sha, dirty, _digest(status + diff + contents)[:12])
    except (OSError, subprocess.CalledProcessError):
        return CodeVersion(f"nanvix-exp=={_version('nanvix-exp')}", False, "")


def package_versions() -> dict[str, str]:
    """Versions of the packages that shape the results."""
    return {name: _version(name) for name in PACKAGES}


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "unknown"


def _read(path: Path) -> str:
    files = sorted(path.rglob("*")) if path.is_dir() else [path]
    return "".join(f.read_text(errors="replace") for f in files if f.is_file() and f.suffix in (".py", ".yaml"))


def _git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(root), *args], check=True, capture_output=True, text=True, timeout=10
    ).stdout


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]
