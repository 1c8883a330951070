"""The experiments in a tracking store and how many runs each holds: what ``nanvix-exp-report`` lists by default.

A researcher who does not remember the experiment names asks the store: one
row per experiment with runs, counting the simulations that FINISHED, the
sweeps (parent runs), the jobs answered by an earlier identical run (reuse
records) and the runs that FAILED, were KILLED or are still RUNNING.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from nanvix_exp.analysis.runs import search_all
from nanvix_exp.tracking.client.store import TAG
from nanvix_exp.tracking.sweeps.reuse import REUSED_FROM

if TYPE_CHECKING:
    import polars as pl
    from mlflow import MlflowClient
    from mlflow.entities import Run

COLUMNS = ("experiment", "finished", "sweeps", "reused", "unfinished", "last run (UTC)")


def experiment_counts(client: MlflowClient) -> pl.DataFrame:
    """One row per experiment that has runs, by name: the counts of ``COLUMNS``."""
    import polars as pl

    rows = []
    for experiment in sorted(client.search_experiments(), key=lambda e: e.name):
        runs = search_all(client, experiment.experiment_id)
        if not runs:
            continue
        kinds = [_kind(run) for run in runs]
        last = max(run.info.start_time or 0 for run in runs) / 1000
        rows.append(
            (
                experiment.name,
                kinds.count("finished"),
                kinds.count("sweep"),
                kinds.count("reused"),
                kinds.count("unfinished"),
                datetime.datetime.fromtimestamp(last, datetime.UTC).strftime("%Y-%m-%d %H:%M"),
            )
        )
    return pl.DataFrame(rows, schema=list(COLUMNS), orient="row")


def _kind(run: Run) -> str:
    tags = run.data.tags
    if tags.get(f"{TAG}sweep") == "parent":
        return "sweep"
    if REUSED_FROM in tags:
        return "reused"
    return "finished" if run.info.status == "FINISHED" else "unfinished"
