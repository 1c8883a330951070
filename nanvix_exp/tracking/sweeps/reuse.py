"""A sweep job that an identical FINISHED run already answers: a record under the sweep that points at it.

A job whose config and code match a run that already FINISHED is not
simulated again. So that the sweep still shows every one of its jobs (the
UI's grouped view, the table printed at the end of the sweep), the job gets a
child of the sweep's parent that records the reuse: tagged
``nanvix.reused_from`` (the finished run, which keeps the samples and plots)
and ``nanvix.reused_identity``, with that run's params and metrics copied so
its charts sit next to the others. It carries no ``nanvix.identity``: the
finished simulation stays the one record of the job that later runs find,
and the report reads only simulation records.
"""

from __future__ import annotations

from nanvix_exp.tracking.client.identity import RunKeys
from nanvix_exp.tracking.client.recorder import Recorder, run_tags
from nanvix_exp.tracking.client.store import TAG, TrackingStore

REUSED_FROM = TAG + "reused_from"
"""Tag of a reuse record: id of the FINISHED run that answers its job."""
REUSED_IDENTITY = TAG + "reused_identity"
"""Tag of a reuse record: the identity (config and code) of the job it stands for."""
NOTE = "mlflow.note.content"


def job_identity(tags: dict[str, str]) -> str | None:
    """The identity of the job a run record stands for: simulated (``nanvix.identity``) or reused."""
    return tags.get(f"{TAG}identity") or tags.get(REUSED_IDENTITY)


def record_reuse(store: TrackingStore, finished_id: str, parent_id: str, keys: RunKeys) -> str | None:
    """Record the reuse of ``finished_id`` under the sweep ``parent_id``; None if the sweep already shows the job."""
    client = store.client
    finished = store.retry(lambda: client.get_run(finished_id))
    if finished.data.tags.get("mlflow.parentRunId") == parent_id:
        return None  # simulated by this very sweep (a rerun of it)
    query = f"tags.`mlflow.parentRunId` = '{parent_id}' AND tags.`{REUSED_IDENTITY}` = '{keys.identity}'"
    if store.retry(lambda: client.search_runs([store.experiment_id], query, max_results=1)):
        return None  # recorded by an earlier run of this sweep
    tags = {key: value for key, value in run_tags(keys).items() if key != f"{TAG}identity"}
    tags |= {
        REUSED_FROM: finished_id,
        REUSED_IDENTITY: keys.identity,
        NOTE: f"Not simulated again: the identical run {finished_id} (same config and code) answers this job; "
        "its samples, summary and plots are that run's artifacts. Params and metrics are copied from it.",
    }
    recorder = Recorder.start(store, keys, parent_id, tags)
    try:
        recorder.log_params(finished.data.params)
        for key in sorted(finished.data.metrics):
            recorder.log_metrics(store.retry(lambda k=key: client.get_metric_history(finished_id, k)))
        recorder.end("FINISHED")
    except BaseException:
        recorder.end("FAILED")
        raise
    return recorder.run_id
