"""Loads the finished runs of an experiment, and their samples, from the MLflow store.

Runs become one Polars row each (id, name, tags, every param as a column);
samples are read back from each run's Parquet artifact, so reports work on
the exact, unrounded values the simulator produced. Only simulation records
count: sweep parents and the records of reused runs (``nanvix.reused_from``)
are left out. ``run_summary`` reads one run's summary table back for the
headline results; a reuse record is answered by the run it points at.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nanvix_exp.analysis.headline import RunSummary
from nanvix_exp.tracking.client.recorder import SAMPLES_FILE, SUMMARY_FILE
from nanvix_exp.tracking.client.store import TAG
from nanvix_exp.tracking.sweeps.reuse import REUSED_FROM

if TYPE_CHECKING:
    import polars as pl
    from mlflow import MlflowClient
    from mlflow.entities import Run


class ExperimentNotFound(LookupError):
    """No such experiment in the store; the message lists those that exist."""


def search_all(client: MlflowClient, experiment_id: str, query: str = "") -> list[Run]:
    """Every run of the experiment matching ``query`` (all pages), the latest first."""
    runs: list[Run] = []
    token = None
    while True:
        page = client.search_runs(
            [experiment_id], query, max_results=1000, page_token=token, order_by=["attributes.start_time DESC"]
        )
        runs.extend(page)
        token = page.token
        if not token:
            return runs


def load_runs(client: MlflowClient, experiment: str) -> pl.DataFrame:
    """FINISHED simulation runs (not sweep parents) of ``experiment``; latest run per identical config."""
    import polars as pl

    found = client.get_experiment_by_name(experiment)
    if found is None:
        names = sorted(e.name for e in client.search_experiments())
        known = ", ".join(names) or "none"
        raise ExperimentNotFound(f"no experiment '{experiment}' in the store; experiments: {known}")
    runs = search_all(client, found.experiment_id, "attributes.status = 'FINISHED'")
    rows: list[dict[str, Any]] = []
    for run in runs:
        tags = run.data.tags
        if tags.get(f"{TAG}sweep") == "parent" or f"{TAG}config_hash" not in tags or REUSED_FROM in tags:
            continue
        rows.append(
            {
                "run_id": run.info.run_id,
                "run_name": run.info.run_name,
                "start_time": run.info.start_time,
                "experiment": experiment,
                "kernel": tags.get(f"{TAG}kernel", ""),
                "workload": tags.get(f"{TAG}workload", ""),
                "hardware": tags.get(f"{TAG}hardware", ""),
                "config_hash": tags[f"{TAG}config_hash"],
                **{f"param:{key}": value for key, value in run.data.params.items()},
            }
        )
    if not rows:
        return pl.DataFrame()
    frame = pl.DataFrame(rows, infer_schema_length=None)
    return frame.sort("start_time", descending=True).unique("config_hash", keep="first", maintain_order=True)


def load_samples(client: MlflowClient, runs: pl.DataFrame) -> pl.DataFrame:
    """Every sample of ``runs`` (their Parquet artifacts concatenated)."""
    import polars as pl

    frames = []
    with tempfile.TemporaryDirectory(prefix="nanvix-report-") as scratch:
        for run_id in runs["run_id"].to_list():
            path = client.download_artifacts(run_id, SAMPLES_FILE, scratch)
            frames.append(pl.read_parquet(Path(path)))
    return pl.concat(frames, how="diagonal_relaxed") if frames else pl.DataFrame()


def params_of(runs: pl.DataFrame, run_id: str) -> dict[str, str]:
    """The params of one loaded run, as a dict of dotted keys."""
    row = runs.filter(runs["run_id"] == run_id).row(0, named=True)
    return {key.removeprefix("param:"): value for key, value in row.items() if key.startswith("param:") and value}


def run_summary(client: MlflowClient, run: Run) -> RunSummary:
    """The summary of ``run`` (read from its ``summary.csv``, or from the run a reuse record points at)."""
    import polars as pl

    tags = run.data.tags
    source = tags.get(REUSED_FROM, run.info.run_id)
    with tempfile.TemporaryDirectory(prefix="nanvix-summary-") as scratch:
        summary = pl.read_csv(Path(client.download_artifacts(source, SUMMARY_FILE, scratch)))
    workload, kernel = tags.get(f"{TAG}workload", ""), tags.get(f"{TAG}kernel", "")
    return RunSummary(source, workload, kernel, dict(run.data.params), summary)
