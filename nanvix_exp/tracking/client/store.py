"""The MLflow tracking store that holds every run, and one experiment in it.

The store is either one SQLite file under ``runs/`` or a tracking server.
Opening it checks a server answers (within ``tracking.timeout``), creates the
experiment once under a file lock (so parallel jobs do not race), tags it as
a model-training experiment (``mlflow.experimentKind``, so MLflow 3 shows
runs and charts rather than its GenAI pages), and marks
runs whose process died (SIGKILL, power loss) as KILLED instead of leaving
them RUNNING. Every store call is retried with backoff while SQLite reports
the database as locked by another writer.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import random
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from nanvix_exp.tracking.client.liveness import ProcessStamp
from nanvix_exp.tracking.client.schema_template import seed_new_store
from nanvix_exp.tracking.client.spec import TrackingSpec

if TYPE_CHECKING:
    from mlflow import MlflowClient

log = logging.getLogger(__name__)
T = TypeVar("T")

TAG = "nanvix."
"""Prefix of every tag this package writes."""
BUSY_MARKERS = ("database is locked", "database table is locked", "busy")
EXPERIMENT_KIND = "mlflow.experimentKind"
"""Experiment tag from which MLflow 3's UI knows what an experiment holds (key and values: the UI's ExperimentKind)."""
MODEL_TRAINING = "custom_model_development"
"""The kind of an experiment of training-style runs with params, metrics and artifacts (vs ``genai_development``)."""


_opened: dict[tuple[int, TrackingSpec, Path], TrackingStore] = {}
"""Stores opened by this process (keyed with the pid, so a forked worker opens its own)."""


class TrackingUnavailable(RuntimeError):
    """The tracking store cannot be reached; the message says which URI and why."""


class TrackingStore:
    """One experiment in one MLflow store, with busy-retry and orphan reaping."""

    def __init__(self, client: MlflowClient, experiment_id: str, spec: TrackingSpec) -> None:
        self.client = client
        self.experiment_id = experiment_id
        self.spec = spec

    @classmethod
    def open(cls, spec: TrackingSpec, runs_dir: Path) -> TrackingStore:
        """Connect, create the experiment if needed and reap dead runs.

        Once per process: the jobs of a sweep that run in one process (Hydra's basic launcher) share the store.
        """
        key = (os.getpid(), spec, runs_dir)
        known = _opened.get(key)
        if known is not None and (spec.uri.startswith("http") or Path(spec.uri.removeprefix("sqlite:///")).exists()):
            return known
        database: Path | None = None
        if spec.uri.startswith("http"):
            _check_server(spec)
            lock: contextlib.AbstractContextManager[None] = contextlib.nullcontext()
        else:
            database = Path(spec.uri.removeprefix("sqlite:///"))
            database.parent.mkdir(parents=True, exist_ok=True)
            lock = _file_lock(database.with_name(database.name + ".lock"))
        os.environ.setdefault("MLFLOW_LOGGING_LEVEL", "WARNING")
        with lock:
            if database is not None:
                seed_new_store(database)  # a new store: copy the migrated schema instead of migrating
            from mlflow import MlflowClient

            client = MlflowClient(tracking_uri=spec.uri)
            store = cls(client, "", spec)
            store.experiment_id = store.retry(lambda: _experiment_id(client, spec, runs_dir))
        store.reap_orphans()
        _opened[key] = store
        return store

    def retry(self, call: Callable[[], T]) -> T:
        """Run ``call``, retrying with jittered backoff while the store reports itself busy."""
        delay = 0.05
        deadline = time.monotonic() + self.spec.timeout
        for attempt in range(self.spec.retries + 1):
            try:
                return call()
            except Exception as error:  # MLflow wraps SQLAlchemy errors in MlflowException
                busy = any(marker in str(error).lower() for marker in BUSY_MARKERS)
                if not busy or attempt == self.spec.retries or time.monotonic() > deadline:
                    raise
                time.sleep(delay * (1 + random.random()))
                delay = min(delay * 2, 2.0)
        raise AssertionError("unreachable")

    def find_run(self, identity: str, status: str | None = "FINISHED") -> str | None:
        """Id of a run of this experiment with ``identity`` (and ``status``), if any."""
        query = f"tags.`{TAG}identity` = '{identity}'"
        if status:
            query += f" AND attributes.status = '{status}'"
        found = self.retry(lambda: self.client.search_runs([self.experiment_id], query, max_results=1))
        return found[0].info.run_id if found else None

    def start_run(self, name: str, tags: dict[str, str], parent_run_id: str | None = None) -> str:
        """Create a RUNNING run owned by this process; returns its id."""
        tags = {**tags, **ProcessStamp.current().tags(TAG)}
        if parent_run_id:
            tags["mlflow.parentRunId"] = parent_run_id
        run = self.retry(lambda: self.client.create_run(self.experiment_id, tags=tags, run_name=name))
        return run.info.run_id

    def reopen_run(self, run_id: str) -> None:
        """Mark an existing run RUNNING again, owned by this process (a resumed sweep parent)."""
        stamp = ProcessStamp.current().tags(TAG)
        self.retry(lambda: self.client.update_run(run_id, status="RUNNING"))
        for key, value in stamp.items():
            self.retry(lambda k=key, v=value: self.client.set_tag(run_id, k, v))

    def end_run(self, run_id: str, status: str) -> None:
        """Terminate a run with FINISHED, FAILED or KILLED."""
        self.retry(lambda: self.client.set_terminated(run_id, status=status))

    def reap_orphans(self) -> list[str]:
        """Mark RUNNING runs of dead processes on this host as KILLED; returns their ids."""
        host = socket.gethostname()
        query = f"attributes.status = 'RUNNING' AND tags.`{TAG}host` = '{host}'"
        running = self.retry(lambda: self.client.search_runs([self.experiment_id], query, max_results=1000))
        reaped = []
        for run in running:
            if ProcessStamp.from_tags(run.data.tags, TAG).alive():
                continue
            self.end_run(run.info.run_id, "KILLED")
            self.retry(lambda r=run: self.client.set_tag(r.info.run_id, f"{TAG}reaped", "process died while RUNNING"))
            reaped.append(run.info.run_id)
        if reaped:
            log.warning("marked %d run(s) of dead processes as KILLED: %s", len(reaped), ", ".join(reaped))
        return reaped


def _experiment_id(client: MlflowClient, spec: TrackingSpec, runs_dir: Path) -> str:
    from mlflow.exceptions import MlflowException

    experiment = client.get_experiment_by_name(spec.experiment)
    if experiment is not None:
        if experiment.lifecycle_stage == "deleted":
            client.restore_experiment(experiment.experiment_id)
        if EXPERIMENT_KIND not in experiment.tags:  # created before the tag was set: tag it once
            client.set_experiment_tag(experiment.experiment_id, EXPERIMENT_KIND, MODEL_TRAINING)
        return experiment.experiment_id
    location = None
    if spec.uri.startswith("sqlite"):
        location = (runs_dir / "artifacts" / _safe(spec.experiment)).resolve().as_uri()
    try:
        return client.create_experiment(
            spec.experiment, artifact_location=location, tags={EXPERIMENT_KIND: MODEL_TRAINING}
        )
    except MlflowException:  # created meanwhile by a job on another machine
        found = client.get_experiment_by_name(spec.experiment)
        if found is None:
            raise
        return found.experiment_id


def _check_server(spec: TrackingSpec) -> None:
    os.environ.setdefault("MLFLOW_HTTP_REQUEST_TIMEOUT", str(max(1, int(spec.timeout))))
    os.environ.setdefault("MLFLOW_HTTP_REQUEST_MAX_RETRIES", str(spec.retries))
    url = spec.uri.rstrip("/") + "/health"
    try:
        with urllib.request.urlopen(url, timeout=spec.timeout) as response:
            if response.status == 200:
                return
            reason = f"HTTP {response.status}"
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = str(getattr(error, "reason", error))
    raise TrackingUnavailable(
        f"tracking.uri={spec.uri}: no MLflow server answered within {spec.timeout:g} s ({reason}); "
        "start one with `just server` or set MLFLOW_TRACKING_URI"
    )


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name)
