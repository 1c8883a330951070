"""Sweeps interrupted by Ctrl-C (SIGINT) or killed outright (SIGKILL) lose nothing and duplicate nothing.

A real ``nanvix-exp -m`` sweep runs in its own process group; the test waits
until the SQLite store shows one child run FINISHED and the next one RUNNING,
then interrupts it the way a terminal (Ctrl-C) or the OOM killer (SIGKILL)
would. The store must stay readable, no run may stay RUNNING once the program
has started again, and rerunning the same command must complete only the
missing jobs: one parent run, exactly one FINISHED child per job config.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import all_runs, run_cli

SEEDS = (0, 1, 2, 3)
SWEEP = [
    "-m",
    "hardware=tiny",
    "progress=never",
    "workload.threads=[17]",
    "workload.iterations=5000",  # about a second of simulation per job on the placeholder model
    "workload.warmup=0",
    "seed=" + ",".join(map(str, SEEDS)),
]
CHILD_STATUSES = """
    SELECT runs.status FROM runs JOIN tags ON tags.run_uuid = runs.run_uuid AND tags.key = 'mlflow.parentRunId'
"""


def start_cli(runs_dir: Path, *args: str, new_session: bool = False) -> subprocess.Popen[str]:
    """``python -m nanvix_exp <args>`` started in the background against ``runs_dir``, output captured."""
    environment = {k: v for k, v in os.environ.items() if k not in ("HYDRA_FULL_ERROR", "MLFLOW_TRACKING_URI")}
    environment.update({"NANVIX_EXP_RUNS": str(runs_dir), "CI": "1"})
    return subprocess.Popen(
        [sys.executable, "-m", "nanvix_exp", *args],
        cwd=runs_dir.parent,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=new_session,  # its own process group, as a terminal starts it
    )


def child_statuses(runs_dir: Path) -> Counter[str]:
    """Statuses of the sweep's child runs, read straight from SQLite (empty until the store exists)."""
    try:
        with sqlite3.connect(f"file:{runs_dir / 'mlflow.db'}?mode=ro", uri=True, timeout=5) as db:
            return Counter(status for (status,) in db.execute(CHILD_STATUSES))
    except sqlite3.OperationalError:  # not created yet, or tables not migrated yet
        return Counter()


def interrupt_mid_job(runs_dir: Path, signum: int, extra: list[str]) -> subprocess.CompletedProcess[str]:
    """Start the sweep, send ``signum`` to its process group once a job FINISHED and another is RUNNING."""
    sweep = start_cli(runs_dir, *SWEEP, *extra, new_session=True)
    seen: Counter[str] = Counter()
    while sweep.poll() is None:
        seen = child_statuses(runs_dir)
        if seen["FINISHED"] >= 1 and seen["RUNNING"] >= 1:
            os.killpg(sweep.pid, signum)
            break
        time.sleep(0.02)
    stdout, stderr = sweep.communicate(timeout=120)
    assert seen["RUNNING"] >= 1, f"the sweep ended before it could be interrupted:\n{stderr}"
    return subprocess.CompletedProcess(sweep.args, sweep.returncode, stdout, stderr)


def assert_readable(runs_dir: Path) -> None:
    with sqlite3.connect(runs_dir / "mlflow.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert all_runs(runs_dir)  # MLflow itself reads every run back


def assert_completed_once(runs_dir: Path) -> None:
    """One parent, no RUNNING run, exactly one FINISHED child per seed, interrupted children KILLED."""
    runs = all_runs(runs_dir)
    parents = [r for r in runs if r.data.tags.get("nanvix.sweep") == "parent"]
    assert len(parents) == 1 and parents[0].info.status == "FINISHED"
    children = [r for r in runs if r.data.tags.get("mlflow.parentRunId") == parents[0].info.run_id]
    assert len(children) == len(runs) - 1
    finished = Counter(int(r.data.params["seed"]) for r in children if r.info.status == "FINISHED")
    assert finished == Counter(SEEDS)
    assert {r.info.status for r in children if r.info.status != "FINISHED"} == {"KILLED"}
    assert not [r for r in runs if r.info.status == "RUNNING"]


@pytest.mark.parametrize(
    ("signum", "launcher"),
    [(signal.SIGINT, []), (signal.SIGTERM, ["hydra/launcher=joblib", "hydra.launcher.n_jobs=2"])],
    ids=["ctrl-c", "sigterm-joblib"],
)
def test_interrupted_sweep_closes_its_runs_and_resumes(runs_dir, signum, launcher):
    interrupted = interrupt_mid_job(runs_dir, signum, launcher)
    assert interrupted.returncode == 130, interrupted.stderr
    assert "interrupted; open runs marked KILLED" in interrupted.stderr
    assert "Traceback" not in interrupted.stderr
    assert_readable(runs_dir)
    statuses = Counter(r.info.status for r in all_runs(runs_dir))
    assert statuses["KILLED"] >= 2  # the parent and the job(s) in progress
    if not launcher:  # one process: it closed its own runs before exiting
        assert statuses["RUNNING"] == 0 and statuses["KILLED"] == 2

    rerun = run_cli(runs_dir, *SWEEP, *launcher, check=True)
    assert "resuming sweep parent" in rerun.stderr
    assert rerun.stderr.count("skipped") == statuses["FINISHED"]
    assert_completed_once(runs_dir)


def test_killed_sweep_is_reaped_on_next_start_and_resumes(runs_dir):
    killed = interrupt_mid_job(runs_dir, signal.SIGKILL, [])
    assert killed.returncode == -signal.SIGKILL
    assert_readable(runs_dir)
    runs = all_runs(runs_dir)
    left = [r for r in runs if r.info.status == "RUNNING"]
    assert len(left) == 2  # no chance to close them: the job in progress and the parent

    rerun = run_cli(runs_dir, *SWEEP, check=True)
    assert "marked 2 run(s) of dead processes as KILLED" in rerun.stderr
    assert rerun.stderr.count("skipped") == sum(r.info.status == "FINISHED" for r in runs)
    assert_completed_once(runs_dir)
    reaped = {r.info.run_id for r in all_runs(runs_dir) if r.data.tags.get("nanvix.reaped")}
    assert reaped == {r.info.run_id for r in left}
