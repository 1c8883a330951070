"""What the researcher sees when a run or a sweep ends: its headline results, where they are, how to open them.

After a single run (or a skipped one, answered by the identical finished
run) and once at the end of a sweep, a compact table of the headline results
(``analysis.headline``: simulated next to measured, with the error, where
reference data exists) is printed on stdout, followed by the store and
experiment holding the runs, the one command and URL that open the MLflow UI
on their runs table, and the report command. The jobs of a sweep print no
table of their own. Where the output goes to a log (CI, ``progress=never``),
a long table is cut to its first rows with a pointer to the report.
"""

from __future__ import annotations

import logging
import os
import shlex
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from nanvix_exp.analysis.headline import RunSummary, headline_rows, readable
from nanvix_exp.analysis.table_text import table_text
from nanvix_exp.progress import interactive
from nanvix_exp.tracking.client.store import TrackingStore
from nanvix_exp.tracking.tools.links import experiment_page
from nanvix_exp.workloads.catalog import registrations

if TYPE_CHECKING:
    from mlflow import MlflowClient
    from mlflow.entities import Run

log = logging.getLogger("nanvix_exp")
ROWS_ON_A_TERMINAL = 60
ROWS_IN_A_LOG = 20
UI_URL = "http://127.0.0.1:5000"
"""Where ``just ui`` serves the UI."""
DATABASE = "mlflow.db"


def recorded_summaries(client: MlflowClient, runs: Sequence[Run]) -> list[RunSummary]:
    """The summaries of ``runs`` read back from the store; a run whose summary cannot be read is left out (said)."""
    from mlflow.exceptions import MlflowException

    from nanvix_exp.analysis.runs import run_summary

    found = []
    for run in runs:
        try:
            found.append(run_summary(client, run))
        except (MlflowException, OSError) as error:
            log.warning("no results of run %s to show: %s", run.info.run_id, str(error).splitlines()[0])
    return found


def results_text(store: TrackingStore, runs: Sequence[RunSummary], title: str, progress: str) -> str:
    """The headline table of ``runs`` under ``title``, then where they are recorded and how to open them."""
    rows = headline_rows(runs)
    workloads = {run.workload for run in runs}
    step = registrations()[next(iter(workloads))].step if len(workloads) == 1 else None
    lines = [title]
    if not rows.is_empty():
        limit = ROWS_ON_A_TERMINAL if interactive(progress) else ROWS_IN_A_LOG
        lines.append(table_text(readable(rows.head(limit), step or "step")))
        if rows.height > limit:
            lines.append(f"... {rows.height - limit} more rows: see the report command below")
    return "\n".join([*lines, *where(store)])


def where(store: TrackingStore) -> list[str]:
    """Lines naming the store and experiment, the command and URL of the UI on its runs, and the report."""
    uri, experiment = store.spec.uri, store.spec.experiment
    command, base = ui_command(uri)
    opened = experiment_page(base, store.experiment_id)
    report = f"nanvix-exp-report --experiment {shlex.quote(experiment)}"
    if uri != _default_uri():
        report += f" --uri {shlex.quote(uri)}"
    return [
        f"recorded: experiment '{experiment}' in {uri}",
        f"open:     {command}, then {opened}" if command else f"open:     {opened}",
        f"report:   {report}",
    ]


def ui_command(uri: str) -> tuple[str | None, str]:
    """The command that serves the UI over the store ``uri`` (None for a server, which is the UI) and its URL."""
    if uri.startswith("http"):
        return None, uri.rstrip("/")
    database = Path(uri.removeprefix("sqlite:///"))
    runs = database.parent
    if database.name != DATABASE:
        return f"mlflow ui --backend-store-uri {shlex.quote(uri)}", UI_URL
    if shutil.which("just") and Path("Justfile").is_file():
        default = runs == Path(os.environ.get("NANVIX_EXP_RUNS", "runs")).resolve()
        return ("just ui" if default else f"just runs={shlex.quote(str(runs))} ui"), UI_URL
    return f"python -m nanvix_exp.tracking.tools.server --ui --runs {shlex.quote(str(runs))}", UI_URL


def _default_uri() -> str:
    """The store ``nanvix-exp-report`` reads without ``--uri``: $MLFLOW_TRACKING_URI, else the tracking=local one."""
    local = f"sqlite:///{Path(os.environ.get('NANVIX_EXP_RUNS', 'runs')).resolve() / DATABASE}"
    return os.environ.get("MLFLOW_TRACKING_URI") or local
