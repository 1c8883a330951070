"""One experiment run, from the composed config to a FINISHED record in MLflow.

Order matters for safety: the config is validated and the tracking store
reached before any run is created, so bad input leaves nothing behind; an
identical finished run is reused instead of recomputed (unless ``force``;
in a sweep the reuse is recorded under the sweep's parent, so the sweep shows
every job); the run is then created RUNNING, simulated, checked against the
workload's declared metrics, recorded, and always terminated: FINISHED on
success, FAILED on an error, KILLED on Ctrl-C, SIGTERM or a SLURM time limit
(submitit's warning signal before the limit). A single run ends
with its headline results on the screen; a sweep prints them once, at its end.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from omegaconf import DictConfig

from nanvix_exp.analysis.headline import RunSummary
from nanvix_exp.analysis.summary import summarize
from nanvix_exp.config.load import Settings, load_settings
from nanvix_exp.config.precedence import settle_job
from nanvix_exp.failures import reported
from nanvix_exp.progress import progress_for
from nanvix_exp.run.compile_notice import announce_compilation
from nanvix_exp.run.results import recorded_summaries, results_text
from nanvix_exp.stop_signals import stop_signals_stick, stopped
from nanvix_exp.system import System
from nanvix_exp.tracking.client.chart_keys import ChartKeys
from nanvix_exp.tracking.client.identity import RunKeys
from nanvix_exp.tracking.client.recorder import Recorder, flatten
from nanvix_exp.tracking.client.store import TrackingStore
from nanvix_exp.tracking.sweeps.parent import parent_of
from nanvix_exp.tracking.sweeps.reuse import record_reuse

if TYPE_CHECKING:
    import polars as pl

log = logging.getLogger("nanvix_exp")


@dataclass(frozen=True)
class JobContext:
    """Where Hydra put this job: its output folder and, in a sweep, the sweep folder."""

    output_dir: Path | None = None
    sweep_dir: Path | None = None


def run_job(cfg: DictConfig, job: JobContext) -> str:
    """Simulate and record the run described by ``cfg``; returns the MLflow run id."""
    with reported():
        settle_job(cfg)
        settings = load_settings(cfg)
        store = TrackingStore.open(settings.tracking, settings.runs_dir)
    keys = RunKeys.of(settings.resolved)
    parent = parent_of(job.sweep_dir)
    if not settings.force and (done := store.find_run(keys.identity)):
        log.info("skipped: an identical run already FINISHED (%s); force=true reruns it", done)
        if parent is not None and (record := record_reuse(store, done, parent, keys)):
            log.info("recorded under the sweep as %s, pointing at %s", record, done)
        else:
            _show_finished(store, done, keys, settings.progress)
        return done
    announce_compilation()
    recorder = Recorder.start(store, keys, parent)
    log.info("run %s (%s) started in experiment '%s'", keys.run_name, recorder.run_id, settings.tracking.experiment)
    try:
        started = time.perf_counter()
        with stop_signals_stick():  # a stop signal during numba's compilation is not lost
            summary = _simulate_and_record(settings, recorder, job)
        recorder.end("FINISHED")
        log.info("run %s FINISHED in %.2f s", recorder.run_id, time.perf_counter() - started)
    except BaseException as error:
        recorder.end("KILLED" if stopped(error) else "FAILED")
        raise
    if parent is None:
        result = RunSummary(recorder.run_id, keys.workload, keys.kernel, flatten(settings.resolved), summary)
        print(results_text(store, [result], _title(keys, recorder.run_id), settings.progress), flush=True)
    return recorder.run_id


def _show_finished(store: TrackingStore, run_id: str, keys: RunKeys, progress: str) -> None:
    results = recorded_summaries(store.client, [store.retry(lambda: store.client.get_run(run_id))])
    print(results_text(store, results, _title(keys, run_id), progress), flush=True)


def _title(keys: RunKeys, run_id: str) -> str:
    return f"results of {keys.run_name} ({keys.workload} on {keys.hardware}, kernel {keys.kernel}; run {run_id})"


def _simulate_and_record(settings: Settings, recorder: Recorder, job: JobContext) -> pl.DataFrame:
    recorder.log_params(flatten(settings.resolved))
    system = System(settings.hardware, settings.kernel)
    with progress_for(settings.progress) as progress:
        samples = settings.workload.run(system, np.random.SeedSequence(settings.seed), progress).frame()
    settings.registration.check_metrics(samples.select("metric", "unit").unique().iter_rows())
    frame = recorder.keyed(samples)
    summary = summarize(frame)
    recorder.log_summary(summary, ChartKeys.of(settings.registration))
    keys = recorder.keys
    title = f"{keys.workload} on {keys.hardware}, kernel={keys.kernel}"

    def draw(folder: Path) -> None:
        from nanvix_exp.analysis.plots import plot_run

        plot_run(summary, folder, title=title, xlabel=settings.registration.step_label)

    folder = job.output_dir / "artifacts" if job.output_dir else None
    recorder.log_artifacts(settings.resolved, frame, summary, folder, draw)
    return summary
