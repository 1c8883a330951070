"""The order in which config values win, with the calibration placed explicitly between the presets.

From lowest to highest:

1. the *root* preset of a group, the first option file of its chain
   (``hardware/mppa256``, ``kernel/uarea``): its values of calibrated keys are
   start values of the fit;
2. the calibration files (``conf/calibration/``, written by ``nanvix-exp-calibrate``);
3. presets that extend a root (``hardware/tiny``, a ``--config-dir`` preset
   with ``defaults: [mppa256, _self_]``), ours or the user's;
4. the experiment preset (``experiment=...``) and ``config.yaml``'s own values;
5. command-line overrides.

Hydra merges the calibration after every group option (it cannot place a
file between a preset and the base it extends), so ``settle`` restores the
values of level 3 that the calibration overwrote, saying so in one line each.
A root preset from a user's folder is below the calibration like ours: when
the calibration replaces one of its values, one warning line names the key,
both values and what to do to keep it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from nanvix_exp.config.layers import ConfigStack, Layer, stack_of

if TYPE_CHECKING:
    from omegaconf import DictConfig

log = logging.getLogger("nanvix_exp")
CALIBRATION = "calibration"


def winner(stack: ConfigStack, key: str) -> Layer | None:
    """The file whose value of ``key`` wins by the order above (command line aside); None if no file sets it."""
    setters = stack.setters(key)
    calibrations = [i for i, layer in enumerate(setters) if layer.group == CALIBRATION]
    if not calibrations or setters[calibrations[-1] + 1 :]:
        return setters[-1] if setters else None
    below = [layer for layer in setters[: calibrations[-1]] if layer.group != CALIBRATION]
    return below[-1] if below and below[-1].extends else setters[calibrations[-1]]


def settle(cfg: DictConfig, stack: ConfigStack, *, quiet: bool = False) -> list[str]:
    """Give ``cfg`` the precedence above; returns the one-line notes (logged unless ``quiet``)."""
    from omegaconf import OmegaConf

    notes: list[str] = []
    replaced: dict[str, tuple[Layer, list[str]]] = {}
    calibrated = sorted({key for layer in stack.layers if layer.group == CALIBRATION for key in layer.values})
    for key in calibrated:
        chosen = winner(stack, key)
        if chosen is None or stack.set_on_command_line(key):
            continue
        calibration = [layer for layer in stack.setters(key) if layer.group == CALIBRATION][-1]
        ours, theirs = calibration.values[key], chosen.values[key]
        if chosen.group != CALIBRATION and _position(stack, chosen) < _position(stack, calibration):
            OmegaConf.update(cfg, key, theirs, merge=False)
            notes.append(f"{key}={theirs} from {chosen.name} replaces the calibrated {ours} ({calibration.name})")
            if not quiet:
                log.info(notes[-1])
        elif chosen is calibration:
            root = [layer for layer in stack.setters(key) if layer.group != CALIBRATION][-1:]
            if root and not root[0].packaged and root[0].values[key] != ours:
                replaced.setdefault(root[0].name, (root[0], []))[1].append(f"{key}={root[0].values[key]} -> {ours}")
    for preset, changes in replaced.values():
        notes.append(
            f"the calibration (conf/calibration/) replaces {len(changes)} value(s) of the root preset {preset.name} "
            f"({preset.file}): {', '.join(changes)}; to keep yours, extend a preset (defaults: [<preset>, _self_]) "
            "or set them on the command line"
        )
        if not quiet:
            log.warning(notes[-1])
    return notes


def _position(stack: ConfigStack, layer: Layer) -> int:
    return next(i for i, known in enumerate(stack.layers) if known is layer)


def settle_composed(cfg: DictConfig, overrides: Sequence[str], *, quiet: bool = False) -> list[str]:
    """``settle`` a config just composed by the initialized Hydra with ``overrides`` (hydra's and the task's)."""
    from hydra.core.global_hydra import GlobalHydra

    loader = GlobalHydra.instance().config_loader()
    return settle(cfg, stack_of(loader, overrides), quiet=quiet)  # type: ignore[arg-type]


def settle_job(cfg: DictConfig) -> list[str]:
    """``settle`` the config ``@hydra.main`` hands to a job, from the job's own overrides."""
    from hydra.core.hydra_config import HydraConfig

    if not HydraConfig.initialized():
        return []
    given = HydraConfig.get().overrides
    return settle_composed(cfg, [*given.hydra, *given.task])
