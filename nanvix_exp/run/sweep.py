"""The Hydra callback that opens a ``-m`` sweep: every job validated first, then the sweep's MLflow parent run.

Before the launcher starts any job, every job's config is composed and
validated (a typo in the 37th combination fails at once) and the tracking
store is reached; the parent run is then opened (or reopened, for a rerun
sweep) and its id published in the sweep folder. When the sweep ends the
parent is closed from its children's outcome.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hydra.experimental.callback import Callback
from omegaconf import DictConfig, OmegaConf


class SweepParentCallback(Callback):
    """Opens the sweep's parent run before the jobs start and closes it after they end."""

    def on_multirun_start(self, config: DictConfig, **kwargs: Any) -> None:
        from nanvix_exp.config.load import load_settings
        from nanvix_exp.config.sweep_jobs import check_sweep
        from nanvix_exp.failures import reported
        from nanvix_exp.tracking.client.store import TrackingStore
        from nanvix_exp.tracking.sweeps.parent import open_sweep

        # UserError is a SystemExit, which Hydra lets through (an Exception would only be warned about)
        with reported():
            check_sweep(config)
            settings = load_settings(config)
            store = TrackingStore.open(settings.tracking, settings.runs_dir)
        params = config.hydra.sweeper.get("params")
        plain = OmegaConf.to_container(params, resolve=True) if OmegaConf.is_config(params) else {}
        sweep = {str(k): str(v) for k, v in dict(plain or {}).items()}
        open_sweep(store, list(config.hydra.overrides.task), sweep, Path(config.hydra.sweep.dir))

    def on_multirun_end(self, config: DictConfig, **kwargs: Any) -> None:
        from nanvix_exp.tracking.sweeps.parent import close_active

        close_active()
