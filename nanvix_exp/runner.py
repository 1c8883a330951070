"""One experiment run, from the composed config to a FINISHED record in MLflow.

Order matters for safety: the config is validated and the tracking store
reached before any run is created, so bad input leaves nothing behind; an
identical finished run is reused instead of recomputed (unless ``force``);
the run is then created RUNNING, simulated, logged, and always terminated:
FINISHED on success, FAILED on an error, KILLED on Ctrl-C, SIGTERM or a
SLURM time limit (submitit's warning signal before the limit).
"""

from __future__ import annotations

import logging
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from omegaconf import DictConfig, OmegaConf

from nanvix_exp.analysis.summary import summarize
from nanvix_exp.config.load import Settings, load_settings
from nanvix_exp.failures import reported
from nanvix_exp.progress import progress_for
from nanvix_exp.stop_signals import stop_signals_stick
from nanvix_exp.system import System
from nanvix_exp.tracking import identity as ident
from nanvix_exp.tracking.recorder import Recorder, flatten
from nanvix_exp.tracking.store import TAG, TrackingStore
from nanvix_exp.tracking.sweep import parent_of

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
    identity = ident.run_identity(settings.resolved)
    if not settings.force and (done := store.find_run(identity)):
        log.info("skipped: an identical run already FINISHED (%s); force=true reruns it", done)
        return done
    name = f"{settings.workload.spec.name}-{settings.kernel.name}-{ident.config_hash(settings.resolved)[:6]}"
    run_id = store.start_run(name, run_tags(settings, identity), parent_of(job.sweep_dir))
    log.info("run %s (%s) started in experiment '%s'", name, run_id, settings.tracking.experiment)
    try:
        started = time.perf_counter()
        with stop_signals_stick():  # a stop signal during numba's compilation is not lost
            _simulate_and_log(settings, Recorder(store, run_id), job)
        store.end_run(run_id, "FINISHED")
        log.info("run %s FINISHED in %.2f s", run_id, time.perf_counter() - started)
    except BaseException as error:
        store.end_run(run_id, "KILLED" if stopped(error) else "FAILED")
        raise
    return run_id


def stopped(error: BaseException) -> bool:
    """True when the job was stopped from outside rather than failing: Ctrl-C, SIGTERM, exit, or a time limit.

    Under SLURM, submitit's handler of the time-limit warning (``signal_delay_s`` before the limit) raises
    ``UncompletedJobError`` inside the job when it does not requeue it. The stop may reach here wrapped by a
    library whose call it interrupted (MLflow reports an interrupted HTTP request as its own error), so the
    chain of causes counts.
    """
    from submitit.core.utils import UncompletedJobError  # installed with the submitit launcher plugin

    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, KeyboardInterrupt | SystemExit | UncompletedJobError):
            return True
        cause = cause.__cause__ or cause.__context__
    return False


def run_tags(settings: Settings, identity: str) -> dict[str, str]:
    """Tags that identify what was simulated and by which code."""
    code = ident.code_version()
    tags = {
        "kernel": str(settings.kernel.name),
        "hardware": settings.hardware.name,
        "workload": settings.workload.spec.name,
        "seed": str(settings.seed),
        "code_version": code.label,
        "git_sha": code.sha,
        "git_dirty": str(code.dirty).lower(),
        "config_hash": ident.config_hash(settings.resolved),
        "identity": identity,
        "versions": " ".join(f"{k}=={v}" for k, v in ident.package_versions().items()),
    }
    return {TAG + key: value for key, value in tags.items()} | {"mlflow.source.git.commit": code.sha}


def _simulate_and_log(settings: Settings, recorder: Recorder, job: JobContext) -> None:
    recorder.log_params(flatten(settings.resolved))
    system = System(settings.hardware, settings.kernel)
    with progress_for(settings.progress) as progress:
        samples = settings.workload.run(system, np.random.SeedSequence(settings.seed), progress)
    frame = samples.frame().with_columns(**_key_columns(settings, recorder.run_id))
    summary = summarize(frame)
    recorder.log_summary(summary)
    with tempfile.TemporaryDirectory(prefix="nanvix-artifacts-") as scratch:
        folder = (job.output_dir / "artifacts") if job.output_dir else Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "config.yaml").write_text(OmegaConf.to_yaml(OmegaConf.create(settings.resolved)))
        frame.write_parquet(folder / "samples.parquet")
        summary.write_csv(folder / "summary.csv")
        from nanvix_exp.analysis.plots import plot_run

        plot_run(
            summary,
            folder,
            title=f"{settings.workload.spec.name} on {settings.hardware.name}, kernel={settings.kernel.name}",
        )
        recorder.log_artifacts(folder)


def _key_columns(settings: Settings, run_id: str) -> dict[str, object]:
    import polars as pl

    values = {
        "run_id": run_id,
        "experiment": settings.tracking.experiment,
        "kernel": str(settings.kernel.name),
        "hardware": settings.hardware.name,
        "workload": settings.workload.spec.name,
        "seed": settings.seed,
        "config_hash": ident.config_hash(settings.resolved),
    }
    return {key: pl.lit(value) for key, value in values.items()}
