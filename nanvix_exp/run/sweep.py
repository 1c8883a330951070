"""The Hydra callback that opens a ``-m`` sweep: every job validated first, then the sweep's MLflow parent run.

Before the launcher starts any job, every job's config is composed and
validated (a typo in the 37th combination fails at once) and the tracking
store is reached; the parent run is then opened (or reopened, for a rerun
sweep) and its id published in the sweep folder. When the sweep ends the
parent is closed from its children's outcome and one table of the headline
results of all its finished jobs (simulated or reused) is printed.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from hydra.experimental.callback import Callback
from omegaconf import DictConfig, OmegaConf

if TYPE_CHECKING:
    from nanvix_exp.tracking.client.store import TrackingStore


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

        parent = close_active()
        if parent is not None:
            show_sweep(parent.store, parent.run_id, str(config.get("progress", "auto")))


def show_sweep(store: TrackingStore, parent_id: str, progress: str) -> None:
    """Print the headline results of every FINISHED job under the sweep ``parent_id``, in one table."""
    from nanvix_exp.run.results import recorded_summaries, results_text

    client = store.client
    query = f"tags.`mlflow.parentRunId` = '{parent_id}' AND attributes.status = 'FINISHED'"
    children = store.retry(lambda: client.search_runs([store.experiment_id], query, max_results=10000))
    parent = store.retry(lambda: client.get_run(parent_id))
    results = recorded_summaries(client, sorted(children, key=lambda run: run.info.run_name or ""))
    title = f"results of {parent.info.run_name} ({len(results)} jobs, {parent.info.status}; run {parent_id})"
    print(results_text(store, results, title, progress), flush=True)
