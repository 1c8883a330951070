"""The smallest Hydra + MLflow job: the yardstick for nanvix-exp's per-job overhead.

``python -m benchmarks.trivial_app -m x=range(0,20) runs=DIR`` runs 20 jobs
with Hydra's basic launcher; each opens the SQLite store under ``runs``,
creates a run, logs one param and one metric and ends it — the bookkeeping
every tracked job needs, and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass

import hydra
from hydra.core.config_store import ConfigStore


@dataclass
class TrivialConfig:
    """One swept value and the folder holding the store."""

    x: int = 0
    runs: str = "runs"


ConfigStore.instance().store(name="trivial", node=TrivialConfig)


@hydra.main(version_base="1.3", config_path=None, config_name="trivial")
def job(cfg: TrivialConfig) -> None:
    """Record one run with one param and one metric."""
    from mlflow import MlflowClient

    client = MlflowClient(tracking_uri=f"sqlite:///{cfg.runs}/mlflow.db")
    experiment = client.get_experiment_by_name("trivial")
    experiment_id = experiment.experiment_id if experiment else client.create_experiment("trivial")
    run = client.create_run(experiment_id)
    client.log_param(run.info.run_id, "x", cfg.x)
    client.log_metric(run.info.run_id, "y", float(cfg.x) ** 2)
    client.set_terminated(run.info.run_id)


if __name__ == "__main__":
    job()
