"""Writes one simulated run into MLflow: config as params, summaries as metrics, files as artifacts.

Params are the flattened resolved config (dotted keys). Each metric is
logged as ``<metric>`` (mean) with ``<metric>_sd``, ``<metric>_ci95`` and
``<metric>_n``, at ``step`` = the swept size (N threads, ...) so the MLflow
UI draws per-N curves directly. Artifacts: the resolved YAML, every sample
as an unrounded Parquet table, and plots.
"""

from __future__ import annotations

import json
import math
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nanvix_exp.tracking.store import TrackingStore

if TYPE_CHECKING:
    import polars as pl

PARAM_BATCH = 100
METRIC_BATCH = 1000
PARAM_VALUE_MAX = 6000
STATISTICS = ("mean", "sd", "ci95", "n")


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


def metric_name(metric: str, statistic: str) -> str:
    """MLflow key of one statistic: the mean keeps the bare metric name."""
    return metric if statistic == "mean" else f"{metric}_{statistic}"


class Recorder:
    """Logs params, metrics and artifacts of one run in batches, retrying a busy store."""

    def __init__(self, store: TrackingStore, run_id: str) -> None:
        self.store = store
        self.run_id = run_id

    def log_params(self, params: dict[str, str]) -> None:
        """All params, 100 per request."""
        from mlflow.entities import Param

        items = [Param(key, value) for key, value in sorted(params.items())]
        for start in range(0, len(items), PARAM_BATCH):
            batch = items[start : start + PARAM_BATCH]
            self.store.retry(lambda b=batch: self.store.client.log_batch(self.run_id, params=b, synchronous=True))

    def log_summary(self, summary: pl.DataFrame) -> None:
        """Every statistic of every (metric, step) row as an MLflow metric at that step."""
        from mlflow.entities import Metric

        now = int(time.time() * 1000)
        metrics = []
        for row in summary.iter_rows(named=True):
            for statistic in STATISTICS:
                value = row[statistic]
                value = math.nan if value is None else float(value)
                metrics.append(Metric(metric_name(row["metric"], statistic), value, now, int(row["step"])))
        for start in range(0, len(metrics), METRIC_BATCH):
            batch = metrics[start : start + METRIC_BATCH]
            self.store.retry(lambda b=batch: self.store.client.log_batch(self.run_id, metrics=b, synchronous=True))

    def log_artifacts(self, folder: Path) -> None:
        """Upload every file of ``folder`` at the artifact root."""
        self.store.retry(lambda: self.store.client.log_artifacts(self.run_id, str(folder)))
