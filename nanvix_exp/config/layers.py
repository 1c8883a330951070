"""Which file set which value: the config files Hydra merged for one composition, in merge order.

Hydra composes the config from a defaults list (the schemas, one option per
group with the presets it extends, the calibration files, the experiment
preset, ``config.yaml`` itself) and then applies the command-line overrides;
the result no longer says where a value came from. ``ConfigStack`` recomputes
that list with Hydra's own resolver and reads each file's keys as written, so
the loader can order the calibration against the presets
(``precedence.py``) and the README's config reference can quote each value's
provenance comment (``reference.py``). It uses Hydra internals
(``hydra._internal``), pinned with hydra-core 1.3.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hydra._internal.config_loader_impl import ConfigLoaderImpl

PACKAGED = Path(__file__).resolve().parents[1] / "conf"
"""The packaged ``conf/`` (the same folder as ``compose.CONFIG_DIR``)."""
CONFIG_NAME = "config"


@dataclass(frozen=True)
class Layer:
    """One merged config file: its name, group, file and the values it sets (dotted keys, as written)."""

    name: str
    """Hydra's config path, e.g. ``hardware/tiny``, ``calibration/threads``, ``config``."""
    group: str | None
    """Its config group (``hardware``, ``calibration``, ...), None for the primary ``config.yaml``."""
    package: str
    """Where its keys go (``hardware`` for a hardware preset, empty for a global file)."""
    file: Path | None
    """The YAML file read (None for a config that is not a file)."""
    extends: bool
    """An option merged over another option of its group, i.e. a preset extending a base (``hardware/tiny`` over
    ``hardware/mppa256``); the first option of a group, its root, is not."""
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def packaged(self) -> bool:
        """Whether the file is one of nanvix-exp's own (``conf/``), not from a user's ``--config-dir``."""
        return self.file is not None and self.file.resolve().is_relative_to(PACKAGED.resolve())


@dataclass(frozen=True)
class ConfigStack:
    """The files of one composition in merge order, and the keys the command line sets (applied after them)."""

    layers: tuple[Layer, ...]
    command_line: frozenset[str]

    def setters(self, key: str) -> list[Layer]:
        """The layers that set ``key``, in merge order (the last one's value is what Hydra kept)."""
        return [layer for layer in self.layers if key in layer.values]

    def set_on_command_line(self, key: str) -> bool:
        """Whether an override (``key=...`` or one of its parents) sets ``key``."""
        return any(key == given or key.startswith(given + ".") for given in self.command_line)


def stack_of(loader: ConfigLoaderImpl, overrides: Sequence[str]) -> ConfigStack:
    """The ``ConfigStack`` of ``config`` composed by ``loader`` with ``overrides`` (hydra's and the task's)."""
    from hydra._internal.defaults_list import create_defaults_list
    from omegaconf import OmegaConf

    parsed, repo = loader._parse_overrides_and_create_caching_repo(CONFIG_NAME, list(overrides))
    found = create_defaults_list(
        repo=repo, config_name=CONFIG_NAME, overrides_list=parsed, prepend_hydra=True, skip_missing=False
    )
    layers: list[Layer] = []
    for default in found.defaults:
        path = default.config_path
        if path is None or path.startswith("hydra/") or default.package == "hydra":
            continue
        loaded = repo.load_config(path)
        if loaded is None or loaded.provider == "schema":
            continue
        group = path.rpartition("/")[0] or None
        plain = OmegaConf.to_container(loaded.config, resolve=False)
        assert isinstance(plain, dict)
        values = _flatten({k: v for k, v in plain.items() if k not in ("defaults", "hydra")}, default.package or "")
        file = _file(loaded.path, path)
        extends = group is not None and any(layer.group == group for layer in layers)
        layers.append(Layer(path, group, default.package or "", file, extends, values))
    command_line = frozenset(
        o.key_or_group
        for o in parsed
        if not o.is_hydra_override() and not repo.group_exists(o.key_or_group.split("@")[0])
    )
    return ConfigStack(tuple(layers), command_line)


def _file(source: str, path: str) -> Path | None:
    if not source.startswith("file://"):
        return None
    return Path(source.removeprefix("file://")) / f"{path}.yaml"


def _flatten(node: dict[str, Any], prefix: str) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in node.items():
        dotted = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict):
            flat.update(_flatten(value, dotted))
        else:
            flat[dotted] = value
    return flat
