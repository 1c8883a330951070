"""Sweeps sent as SLURM job arrays into an MLflow server backed by PostgreSQL: complete, cancelled, timed out.

Everything is real: ``nanvix-exp -m hydra/launcher=submitit_slurm`` submits
through ``sbatch`` to the single-node cluster of ``slurm_cluster`` (with job
accounting, so submitit follows the tasks through ``sacct``), every job runs
in its own process started by ``slurmd``, and records over HTTP into the
``postgres_tracking`` server. A sweep cancelled with ``scancel`` or a job
stopped by its time limit leaves KILLED runs; the same command run again
completes only the jobs without a FINISHED run.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.cluster_fixtures import TrackingServer
from tests.conftest import FAST, run_cli
from tests.test_crash_safety import start_cli

pytestmark = pytest.mark.slurm

SLOW = ["hardware=tiny", "progress=never", "workload.threads=[17]", "workload.iterations=20000", "workload.warmup=0"]
"""A job that simulates for seconds (about 5 s on the current model): long enough to be caught RUNNING."""


def slurm_sweep(server: TrackingServer, experiment: str, *overrides: str, parallel: int) -> list[str]:
    """The arguments of a ``-m`` sweep sent to SLURM as one job array recording into ``server``."""
    launcher = ["hydra/launcher=submitit_slurm", f"hydra.launcher.array_parallelism={parallel}"]
    tracking = ["tracking=server", f"tracking.uri={server.url}", f"tracking.experiment={experiment}"]
    return ["-m", *launcher, *tracking, *overrides]


def sweep_records(server: TrackingServer, experiment: str) -> tuple:
    """The one sweep parent of ``experiment`` and its child runs, read back with an MlflowClient."""
    from mlflow import MlflowClient

    client = MlflowClient(tracking_uri=server.url)
    found = client.get_experiment_by_name(experiment)
    runs = client.search_runs([found.experiment_id], max_results=1000)
    (parent,) = [r for r in runs if r.data.tags.get("nanvix.sweep") == "parent"]
    children = [r for r in runs if r.data.tags.get("mlflow.parentRunId") == parent.info.run_id]
    assert len(runs) == 1 + len(children), "every run of the sweep hangs under its parent"
    return parent, children


def just_started(server: TrackingServer, experiment: str, launcher: subprocess.Popen[str], finished: int = 0):
    """Wait for a child run started less than a second ago (its job far from done) once ``finished`` runs are."""
    while launcher.poll() is None:
        with contextlib.suppress(AttributeError, ValueError):  # no experiment or no parent yet
            now, children = time.time() * 1000, sweep_records(server, experiment)[1]
            fresh = [c for c in children if c.info.status == "RUNNING" and now - c.info.start_time < 1000]
            if fresh and sum(c.info.status == "FINISHED" for c in children) >= finished:
                return fresh[0]
        time.sleep(0.05)
    raise AssertionError(f"the sweep ended before a job was caught running:\n{launcher.communicate()[1]}")


def most_at_once(runs) -> int:
    """The largest number of runs that were open at the same moment (from their recorded start and end)."""
    edges = sorted([(r.info.start_time, 1) for r in runs] + [(r.info.end_time, -1) for r in runs])
    level = peak = 0
    for _, step in edges:
        level += step
        peak = max(peak, level)
    return peak


def array_of(runs_dir: Path) -> str:
    """The SLURM job id of the array that ran the sweep (submitit's folders are named ``<array>_<task>``)."""
    (array,) = {folder.name.split("_")[0] for folder in runs_dir.glob("hydra/multirun/*/*/.submitit/[0-9]*_[0-9]*")}
    return array


def seconds(runs) -> float:
    """Mean time from a run's creation to its end (the simulation and its records), in seconds."""
    return sum(r.info.end_time - r.info.start_time for r in runs) / len(runs) / 1000


def assert_one_finished_per_seed(children, seeds: range) -> None:
    assert not [c for c in children if c.info.status == "RUNNING"]
    finished = Counter(int(c.data.params["seed"]) for c in children if c.info.status == "FINISHED")
    assert finished == Counter(seeds), "exactly one FINISHED run per job"
    assert {c.info.status for c in children} <= {"FINISHED", "KILLED"}


def test_eight_job_array_finishes_every_child_into_postgres(slurm, postgres_tracking, runs_dir, record_property):
    from mlflow import MlflowClient

    jobs, parallel = 8, 2
    started = time.perf_counter()
    sweep = slurm_sweep(postgres_tracking, "slurm-sweep", *FAST, f"seed=range(0,{jobs})", parallel=parallel)
    result = run_cli(runs_dir, *sweep, timeout=600, check=True)
    wall = time.perf_counter() - started
    assert "Submitit 'slurm' sweep output dir" in result.stderr
    assert "sacct" not in result.stderr, "submitit polls job states through accounting without warnings"
    slurm.wait_idle()  # the launcher returns once every result file is written, before the last tasks exit

    parent, children = sweep_records(postgres_tracking, "slurm-sweep")
    assert parent.info.status == "FINISHED" and len(children) == jobs
    assert {c.info.status for c in children} == {"FINISHED"}
    assert sorted(int(c.data.params["seed"]) for c in children) == list(range(jobs))
    client = MlflowClient(tracking_uri=postgres_tracking.url)
    metric = next(k for k in children[0].data.metrics if not k.endswith(("_sd", "_ci95", "_n")))
    histories = [client.get_metric_history(c.info.run_id, metric) for c in children]
    assert all(len(history) == 2 for history in histories), "one point per thread count (workload.threads=[1,2])"
    assert len({c.data.tags["nanvix.pid"] for c in children}) == jobs, "each job ran in its own process"

    array = array_of(runs_dir)
    assert slurm.accounting(array) == {f"{array}_{task}": "COMPLETED" for task in range(jobs)}
    assert most_at_once(children) <= parallel
    slot, inside = wall * parallel / jobs, seconds(children)
    record_property("measured SLURM sweep, 8 tiny jobs, array_parallelism=2", f"{wall:.1f} s wall")
    record_property(
        "measured SLURM per-job overhead (wall x parallelism / jobs, less the time inside the run)",
        f"{slot - inside:.1f} s ({slot:.1f} s per job, {inside:.1f} s of it inside the MLflow run)",
    )


def test_cancelled_array_is_completed_by_the_same_command(slurm, postgres_tracking, runs_dir, record_property):
    seeds = range(6)
    sweep = slurm_sweep(postgres_tracking, "slurm-cancel", *SLOW, f"seed=range(0,{len(seeds)})", parallel=2)
    launcher = start_cli(runs_dir, *sweep)
    caught = just_started(postgres_tracking, "slurm-cancel", launcher, finished=1)
    slurm.run("scancel", array_of(runs_dir))
    _, stderr = launcher.communicate(timeout=600)
    assert launcher.returncode != 0 and "CANCELLED" in stderr, stderr
    slurm.wait_idle()

    parent, children = sweep_records(postgres_tracking, "slurm-cancel")
    assert parent.info.status == "FAILED"
    cancelled = Counter(c.info.status for c in children)
    logs = "\n".join(f.read_text() for f in sorted(runs_dir.glob("hydra/multirun/*/*/.submitit/*/*_log.err")))
    assert cancelled["KILLED"] >= 1 and cancelled["RUNNING"] == 0, f"{caught.info.run_id} {cancelled}\n{logs}"
    assert cancelled["FINISHED"] < len(seeds)
    before = {c.info.run_id for c in children}
    done = {int(c.data.params["seed"]) for c in children if c.info.status == "FINISHED"}

    started = time.perf_counter()
    rerun = run_cli(runs_dir, *sweep, timeout=600, check=True)
    resume = time.perf_counter() - started
    assert "resuming sweep parent" in rerun.stderr
    resumed, children = sweep_records(postgres_tracking, "slurm-cancel")
    assert resumed.info.run_id == parent.info.run_id and resumed.info.status == "FINISHED"
    assert_one_finished_per_seed(children, seeds)
    new = [c for c in children if c.info.run_id not in before]
    assert sorted(int(c.data.params["seed"]) for c in new) == sorted(set(seeds) - done), "only missing jobs ran"
    assert Counter(c.info.status for c in children if c.info.run_id in before) == cancelled, "old runs unchanged"
    record_property(
        "measured SLURM resume after scancel",
        f"{resume:.1f} s wall for {len(new)} missing of {len(seeds)} jobs ({len(done)} skipped)",
    )


def test_job_past_its_time_limit_ends_killed_and_is_rerun(slurm, postgres_tracking, runs_dir):
    limit = ["hydra.launcher.timeout_min=1", "hydra.launcher.signal_delay_s=1"]  # warning ~30-60 s into the job
    sweep = slurm_sweep(postgres_tracking, "slurm-timeout", *SLOW, *limit, "seed=0,1", parallel=2)
    launcher = start_cli(runs_dir, *sweep)
    stalled = just_started(postgres_tracking, "slurm-timeout", launcher)
    os.kill(int(stalled.data.tags["nanvix.pid"]), signal.SIGSTOP)  # the job stalls, as on a hung file system
    _, stderr = launcher.communicate(timeout=600)
    assert launcher.returncode != 0 and "timed-out" in stderr, stderr
    slurm.wait_idle()
    _, children = sweep_records(postgres_tracking, "slurm-timeout")
    statuses = {c.info.run_id: c.info.status for c in children}
    assert statuses[stalled.info.run_id] == "KILLED", "SLURM woke it with its time-limit signal"
    seed = next(c.data.params["seed"] for c in children if c.info.run_id == stalled.info.run_id)
    assert sorted(statuses.values()) == ["FINISHED", "KILLED"]

    rerun = run_cli(runs_dir, *sweep, timeout=600, check=True)
    assert "resuming sweep parent" in rerun.stderr
    parent, children = sweep_records(postgres_tracking, "slurm-timeout")
    assert parent.info.status == "FINISHED"
    assert_one_finished_per_seed(children, range(2))
    again = [c for c in children if c.info.run_id not in statuses]
    assert [c.data.params["seed"] for c in again] == [seed], "only the stopped job ran again"
