"""The parent run of a ``-m`` sweep, shared by its jobs through the sweep folder.

The launcher process creates (or, when the same sweep is run again, reopens)
one parent run and writes its id into the sweep folder; each job, wherever
it runs (same process, joblib worker, SLURM node on a shared filesystem),
reads the id from there and passes it explicitly as its parent. When the
sweep ends, or the launcher is interrupted, the parent is closed as
FINISHED, FAILED or KILLED from its children's outcome: a job counts as done
when one of its records (a simulation or a reuse record, see ``reuse.py``)
FINISHED.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from nanvix_exp.tracking.client.identity import sweep_identity
from nanvix_exp.tracking.client.store import TAG, TrackingStore
from nanvix_exp.tracking.sweeps.reuse import job_identity

log = logging.getLogger(__name__)

PARENT_FILE = "mlflow_parent_run_id"


@dataclass
class SweepParent:
    """An open parent run and the store it lives in."""

    store: TrackingStore
    run_id: str

    def close(self, outcome: str | None = None) -> str:
        """Terminate the parent with ``outcome``, else FINISHED when every job has a FINISHED run; returns it."""
        self.store.reap_orphans()  # jobs of workers the launcher terminated (joblib aborts on a failed job)
        query = f"tags.`mlflow.parentRunId` = '{self.run_id}'"
        client = self.store.client
        children = self.store.retry(lambda: client.search_runs([self.store.experiment_id], query, max_results=10000))
        # a job interrupted once and completed on a rerun of the sweep counts as done
        done: dict[str, bool] = {}
        for child in children:
            job = job_identity(child.data.tags) or child.info.run_id
            done[job] = done.get(job, False) or child.info.status == "FINISHED"
        status = outcome or ("FINISHED" if all(done.values()) else "FAILED")
        self.store.end_run(self.run_id, status)
        log.info("sweep parent %s %s (%d child runs)", self.run_id, status, len(children))
        return status


_active: SweepParent | None = None


def open_parent(store: TrackingStore, identity: str, name: str, tags: dict[str, str], sweep_dir: Path) -> SweepParent:
    """Create or reopen the parent run of the sweep ``identity`` and publish its id in ``sweep_dir``."""
    global _active
    run_id = store.find_run(identity, status=None)
    if run_id:
        store.reopen_run(run_id)
        log.info("resuming sweep parent %s", run_id)
    else:
        run_id = store.start_run(name, {**tags, f"{TAG}identity": identity, f"{TAG}sweep": "parent"})
    sweep_dir.mkdir(parents=True, exist_ok=True)
    (sweep_dir / PARENT_FILE).write_text(run_id)
    _active = SweepParent(store, run_id)
    return _active


def open_sweep(
    store: TrackingStore, overrides: list[str], sweep_params: dict[str, str], sweep_dir: Path
) -> SweepParent:
    """Open the parent of the sweep of ``overrides`` (command line) and ``sweep_params`` (preset), named after them."""
    identity = sweep_identity(store.spec.experiment, overrides, sweep_params)
    name = "sweep " + " ".join([*overrides, *(f"{k}={v}" for k, v in sweep_params.items())])
    tags = {f"{TAG}overrides": " ".join(overrides)[:5000], f"{TAG}sweep_params": str(sweep_params)[:5000]}
    return open_parent(store, identity, name.strip()[:250], tags, sweep_dir)


def close_active(outcome: str | None = None) -> SweepParent | None:
    """Close the parent opened by this process, if still open (idempotent); returns it, else None."""
    global _active
    if _active is None:
        return None
    parent, _active = _active, None
    parent.close(outcome)
    return parent


def parent_of(sweep_dir: Path | None) -> str | None:
    """The parent run id published in ``sweep_dir`` (None for a single run)."""
    if sweep_dir is None:
        return None
    path = sweep_dir / PARENT_FILE
    return path.read_text().strip() if path.exists() else None
