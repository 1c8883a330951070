"""Hydra callbacks that tie a ``-m`` sweep to its MLflow parent run."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from hydra.experimental.callback import Callback
from omegaconf import DictConfig, OmegaConf

log = logging.getLogger(__name__)


class SweepParentCallback(Callback):
    """Opens the sweep's parent run before the jobs start and closes it after they end."""

    def on_multirun_start(self, config: DictConfig, **kwargs: Any) -> None:
        from nanvix_exp.config.load import load_settings
        from nanvix_exp.config.sweep_jobs import check_sweep
        from nanvix_exp.failures import reported
        from nanvix_exp.tracking.identity import sweep_identity
        from nanvix_exp.tracking.store import TAG, TrackingStore
        from nanvix_exp.tracking.sweep import open_parent

        # UserError is a SystemExit, which Hydra lets through (an Exception would only be warned about)
        with reported():
            check_sweep(config)
            settings = load_settings(config)
            store = TrackingStore.open(settings.tracking, settings.runs_dir)
        overrides = list(config.hydra.overrides.task)
        params = config.hydra.sweeper.get("params")
        plain = OmegaConf.to_container(params, resolve=True) if OmegaConf.is_config(params) else {}
        sweep = {str(k): str(v) for k, v in dict(plain or {}).items()}
        identity = sweep_identity(settings.tracking.experiment, overrides, sweep)
        name = "sweep " + " ".join([*overrides, *(f"{k}={v}" for k, v in sweep.items())])
        tags = {f"{TAG}overrides": " ".join(overrides)[:5000], f"{TAG}sweep_params": str(sweep)[:5000]}
        open_parent(store, identity, name.strip()[:250], tags, Path(config.hydra.sweep.dir))

    def on_multirun_end(self, config: DictConfig, **kwargs: Any) -> None:
        from nanvix_exp.tracking.sweep import close_active

        close_active()
