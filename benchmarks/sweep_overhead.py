"""Per-job cost of a 20-job ``-m`` sweep of nanvix-exp against a trivial Hydra + MLflow app.

Both run as cold processes with Hydra's basic launcher (jobs one after the
other in one process), alternately in the same invocation, each against a
copy of the same freshly migrated SQLite store (so neither pays the schema
creation). nanvix-exp jobs simulate a tiny fork-join (seed 0..19) so the
figure is the framework's cost: composition, validation, run identity,
params, metrics, artifacts and plots. Per-job time = sweep wall / jobs.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from benchmarks.measure import ROOT, Options, Result, checked, cli_env, median, python, run_child

NAME = "sweep_overhead"
JOBS = 20
TINY = ["hardware=tiny", "workload.iterations=3", "workload.warmup=1", "workload.threads=[1,2]", "progress=never"]
TARGET_RATIO = 1.2


def migrated_store(folder: Path) -> Path:
    """An empty MLflow SQLite store with the current schema (created once, copied per measurement)."""
    from mlflow import MlflowClient

    folder.mkdir(parents=True, exist_ok=True)
    MlflowClient(tracking_uri=f"sqlite:///{folder / 'mlflow.db'}").search_experiments()
    return folder / "mlflow.db"


def _fresh_runs(template: Path, scratch: Path, name: str) -> Path:
    runs_dir = scratch / name
    runs_dir.mkdir()
    shutil.copyfile(template, runs_dir / "mlflow.db")
    return runs_dir


def run(options: Options) -> Result:
    result = Result(NAME)
    jobs = 5 if options.quick else JOBS
    seeds = f"seed=range(0,{jobs})"
    ours: list[float] = []
    trivial: list[float] = []
    with tempfile.TemporaryDirectory(prefix="nanvix-bench-sweep-") as scratch_name:
        scratch = Path(scratch_name)
        template = migrated_store(scratch / "template")
        for index in range(options.repeats):
            runs_dir = _fresh_runs(template, scratch, f"nanvix{index}")
            child = run_child(python("-m", "nanvix_exp", "-m", seeds, *TINY), env=cli_env(runs_dir), cwd=scratch)
            ours.append(checked(child, "nanvix-exp sweep").wall_s / jobs)
            runs_dir = _fresh_runs(template, scratch, f"trivial{index}")
            argv = python("-m", "benchmarks.trivial_app", "-m", f"x=range(0,{jobs})", f"runs={runs_dir}")
            argv.append(f"hydra.sweep.dir={runs_dir}/hydra")
            child = run_child(argv, env=cli_env(runs_dir, PYTHONPATH=str(ROOT)), cwd=scratch)
            trivial.append(checked(child, "trivial app sweep").wall_s / jobs)
    ratio = median(ours) / median(trivial)
    result.add(f"nanvix-exp per job ({jobs}-job sweep)", median(ours), "s")
    result.add(f"trivial Hydra+MLflow per job ({jobs}-job sweep)", median(trivial), "s")
    result.add("per-job overhead ratio", ratio, "x", f"<= {TARGET_RATIO:g}x", ratio <= TARGET_RATIO)
    result.data = {"jobs": jobs, "per_job_s": {"nanvix_exp": ours, "trivial": trivial}, "overrides": [seeds, *TINY]}
    return result
