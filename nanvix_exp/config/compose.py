"""The one way in to the real configuration: the packaged ``conf/``, its schemas, and composition.

``nanvix-exp`` (through ``@hydra.main``), the calibrations, the tests and the
benchmarks all compose the same config tree from here: ``CONFIG_DIR`` is the
folder, ``register`` stores the structured-config schemas Hydra checks it
against (safe to call any number of times), ``compose`` composes it with
command-line style overrides (and extra config folders, like ``--config-dir``),
with the calibration placed among the presets as ``precedence.py`` states,
and ``load`` validates the result into ``Settings``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from nanvix_exp.config.store import register

if TYPE_CHECKING:
    from omegaconf import DictConfig

    from nanvix_exp.config.layers import ConfigStack
    from nanvix_exp.config.load import Settings

__all__ = ["CONFIG_DIR", "CONFIG_NAME", "VERSION_BASE", "compose", "composed", "load", "register"]

CONFIG_DIR = Path(__file__).resolve().parents[1] / "conf"
"""The packaged ``conf/`` (a link to the top-level folder in a checkout)."""
CONFIG_NAME = "config"
"""The root config file, ``conf/config.yaml``."""
VERSION_BASE = "1.3"
"""Hydra behaviour this project is written against."""


def compose(overrides: Sequence[str] = (), *, config_dirs: Sequence[Path] = (), hydra_node: bool = False) -> DictConfig:
    """The real config tree composed by Hydra with ``overrides`` (``key=value``, ``group=option``); runs nothing.

    ``config_dirs`` are searched after ``conf/`` for option files, as ``nanvix-exp --config-dir`` does;
    ``hydra_node`` keeps Hydra's own ``hydra`` node (launcher, sweeper) in the result.
    """
    return composed(overrides, config_dirs=config_dirs, hydra_node=hydra_node)[0]


def composed(
    overrides: Sequence[str] = (), *, config_dirs: Sequence[Path] = (), hydra_node: bool = False
) -> tuple[DictConfig, ConfigStack]:
    """``compose``, and the files it merged (``layers.ConfigStack``: which file set which value)."""
    from hydra import compose as hydra_compose
    from hydra import initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra

    from nanvix_exp.config.layers import stack_of
    from nanvix_exp.config.precedence import settle

    register()
    searchpath = ",".join(f"file://{Path(d).resolve()}" for d in config_dirs)
    given = [*([f"hydra.searchpath=[{searchpath}]"] if searchpath else []), *overrides]
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base=VERSION_BASE):
        cfg = hydra_compose(CONFIG_NAME, overrides=given, return_hydra_config=hydra_node)
        stack = stack_of(GlobalHydra.instance().config_loader(), given)  # type: ignore[arg-type]
        settle(cfg, stack)
        return cfg, stack


def load(overrides: Sequence[str] = (), *, config_dirs: Sequence[Path] = ()) -> Settings:
    """The composed config validated into ``Settings``; raises ``ConfigError`` for the first bad value."""
    from nanvix_exp.config.load import load_settings

    return load_settings(compose(overrides, config_dirs=config_dirs))
