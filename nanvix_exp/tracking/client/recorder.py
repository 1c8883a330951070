"""Writes one simulated run into MLflow: its tags, config as params, summaries as metrics, files as artifacts.

The run is created RUNNING with tags that say what was simulated and by
which code (``nanvix.kernel``, ``nanvix.identity``, ``nanvix.versions``, ...).
Params are the flattened resolved config (dotted keys). Each metric's mean and
spread are logged under the keys ``chart_keys.ChartKeys`` gives (the
workload's sections first, then the statistics), at ``step`` = the swept size
(N threads, ...), so the MLflow UI draws per-N curves directly. Artifacts:
the resolved YAML, every sample as an unrounded Parquet table (with the run's
key columns), the summary (every statistic, ``n`` and ``ci95`` included) and plots.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nanvix_exp.tracking.client import identity as ident
from nanvix_exp.tracking.client.chart_keys import ChartKeys
from nanvix_exp.tracking.client.store import TAG, TrackingStore

if TYPE_CHECKING:
    import polars as pl

PARAM_BATCH = 100
METRIC_BATCH = 1000
PARAM_VALUE_MAX = 6000
CONFIG_FILE = "config.yaml"
SAMPLES_FILE = "samples.parquet"
SUMMARY_FILE = "summary.csv"


def flatten(config: dict[str, Any], prefix: str = "") -> dict[str, str]:
    """Dotted keys to text values (lists as JSON), e.g. ``hardware.cluster.dcache.size``."""
    flat: dict[str, str] = {}
    for key, value in config.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, dotted + "."))
        else:
            text = value if isinstance(value, str) else json.dumps(value)
            flat[dotted] = text[:PARAM_VALUE_MAX]
    return flat


def run_tags(keys: ident.RunKeys) -> dict[str, str]:
    """Tags that identify what was simulated and by which code."""
    code = ident.code_version()
    tags = {
        **{key: str(value) for key, value in keys.values().items()},
        "code_version": code.label,
        "git_sha": code.sha,
        "git_dirty": str(code.dirty).lower(),
        "identity": keys.identity,
        "versions": " ".join(f"{k}=={v}" for k, v in ident.package_versions().items()),
    }
    return {TAG + key: value for key, value in tags.items()} | {"mlflow.source.git.commit": code.sha}


class Recorder:
    """Logs the tags, params, metrics and artifacts of one run in batches, retrying a busy store."""

    def __init__(self, store: TrackingStore, run_id: str, keys: ident.RunKeys) -> None:
        self.store = store
        self.run_id = run_id
        self.keys = keys

    @classmethod
    def start(
        cls,
        store: TrackingStore,
        keys: ident.RunKeys,
        parent_run_id: str | None = None,
        tags: Mapping[str, str] | None = None,
    ) -> Recorder:
        """Create the run RUNNING, named from ``keys`` and tagged ``tags`` (default: ``run_tags(keys)``).

        In a sweep the run is a child of ``parent_run_id``.
        """
        chosen = dict(run_tags(keys) if tags is None else tags)
        return cls(store, store.start_run(keys.run_name, chosen, parent_run_id), keys)

    def end(self, status: str) -> None:
        """Terminate the run with FINISHED, FAILED or KILLED."""
        self.store.end_run(self.run_id, status)

    def log_params(self, params: Mapping[str, str]) -> None:
        """Dotted params (``flatten`` of the resolved config), 100 per request."""
        from mlflow.entities import Param

        self._log("params", [Param(key, value) for key, value in sorted(params.items())], PARAM_BATCH)

    def keyed(self, samples: pl.DataFrame) -> pl.DataFrame:
        """``samples`` with the run's key columns: run_id, experiment and the ``RunKeys``."""
        import polars as pl

        values = {"run_id": self.run_id, "experiment": self.store.spec.experiment, **self.keys.values()}
        return samples.with_columns(**{key: pl.lit(value) for key, value in values.items()})

    def log_summary(self, summary: pl.DataFrame, keys: ChartKeys) -> None:
        """The mean and spread of every (metric, step) row as MLflow metrics at that step, under ``keys``."""
        from mlflow.entities import Metric

        now = int(time.time() * 1000)
        self.log_metrics([Metric(key, value, now, step) for key, value, step in keys.charted(summary)])

    def log_metrics(self, metrics: list[Any]) -> None:
        """MLflow ``Metric`` entities, 1000 per request."""
        self._log("metrics", metrics, METRIC_BATCH)

    def _log(self, kind: str, items: list[Any], size: int) -> None:
        for start in range(0, len(items), size):
            batch = {kind: items[start : start + size]}
            self.store.retry(lambda b=batch: self.store.client.log_batch(self.run_id, **b, synchronous=True))

    def log_artifacts(
        self,
        resolved: dict[str, Any],
        samples: pl.DataFrame,
        summary: pl.DataFrame,
        folder: Path | None = None,
        draw: Callable[[Path], object] | None = None,
    ) -> None:
        """Write the run's files into ``folder`` (a scratch folder if None) and upload them at the artifact root.

        The files: the resolved config, every sample, the summary, and whatever ``draw(folder)`` adds (plots).
        """
        from omegaconf import OmegaConf

        with tempfile.TemporaryDirectory(prefix="nanvix-artifacts-") as scratch:
            target = folder or Path(scratch)
            target.mkdir(parents=True, exist_ok=True)
            (target / CONFIG_FILE).write_text(OmegaConf.to_yaml(OmegaConf.create(resolved)))
            samples.write_parquet(target / SAMPLES_FILE)
            summary.write_csv(target / SUMMARY_FILE)
            if draw is not None:
                draw(target)
            self.store.retry(lambda: self.store.client.log_artifacts(self.run_id, str(target)))
