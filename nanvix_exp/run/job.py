"""One experiment run, from the composed config to a FINISHED record in MLflow.

Order matters for safety: the config is validated and the tracking store
reached before any run is created, so bad input leaves nothing behind; an
identical finished run is reused instead of recomputed (unless ``force``);
the run is then created RUNNING, simulated, checked against the workload's
declared metrics, recorded, and always terminated: FINISHED on success,
FAILED on an error, KILLED on Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from omegaconf import DictConfig

from nanvix_exp.analysis.summary import summarize
from nanvix_exp.config.load import Settings, load_settings
from nanvix_exp.failures import reported
from nanvix_exp.progress import progress_for
from nanvix_exp.system import System
from nanvix_exp.tracking.client.identity import RunKeys
from nanvix_exp.tracking.client.recorder import Recorder
from nanvix_exp.tracking.client.store import TrackingStore
from nanvix_exp.tracking.sweeps.parent import parent_of

log = logging.getLogger("nanvix_exp")


@dataclass(frozen=True)
class JobContext:
    """Where Hydra put this job: its output folder and, in a sweep, the sweep folder."""

    output_dir: Path | None = None
    sweep_dir: Path | None = None


def run_job(cfg: DictConfig, job: JobContext) -> str:
    """Simulate and record the run described by ``cfg``; returns the MLflow run id."""
    with reported():
        settings = load_settings(cfg)
        store = TrackingStore.open(settings.tracking, settings.runs_dir)
    keys = RunKeys.of(settings.resolved)
    if not settings.force and (done := store.find_run(keys.identity)):
        log.info("skipped: an identical run already FINISHED (%s); force=true reruns it", done)
        return done
    recorder = Recorder.start(store, keys, parent_of(job.sweep_dir))
    log.info("run %s (%s) started in experiment '%s'", keys.run_name, recorder.run_id, settings.tracking.experiment)
    try:
        started = time.perf_counter()
        _simulate_and_record(settings, recorder, job)
        recorder.end("FINISHED")
        log.info("run %s FINISHED in %.2f s", recorder.run_id, time.perf_counter() - started)
    except (KeyboardInterrupt, SystemExit):
        recorder.end("KILLED")
        raise
    except BaseException:
        recorder.end("FAILED")
        raise
    return recorder.run_id


def _simulate_and_record(settings: Settings, recorder: Recorder, job: JobContext) -> None:
    recorder.log_params(settings.resolved)
    system = System(settings.hardware, settings.kernel)
    with progress_for(settings.progress) as progress:
        samples = settings.workload.run(system, np.random.SeedSequence(settings.seed), progress).frame()
    settings.registration.check_metrics(samples.select("metric", "unit").unique().iter_rows())
    frame = recorder.keyed(samples)
    summary = summarize(frame)
    recorder.log_summary(summary)
    keys = recorder.keys
    title = f"{keys.workload} on {keys.hardware}, kernel={keys.kernel}"

    def draw(folder: Path) -> None:
        from nanvix_exp.analysis.plots import plot_run

        plot_run(summary, folder, title=title, xlabel=settings.registration.step_label)

    folder = job.output_dir / "artifacts" if job.output_dir else None
    recorder.log_artifacts(settings.resolved, frame, summary, folder, draw)
