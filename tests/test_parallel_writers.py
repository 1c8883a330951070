"""Many jobs writing one SQLite store at once: the joblib launcher with two worker processes.

SQLite lets one writer in at a time; every store call of a job retries with
backoff while the database is locked, and the experiment is created once
under a file lock. A hundred small jobs must all end FINISHED under one
parent, a job failing inside a worker must be reported as one line without
leaving runs open, and parallel runs must give the sequential numbers.
"""

from __future__ import annotations

import sqlite3
from collections import Counter

from nanvix_exp.tracking.tools.server import free_port
from tests.conftest import FAST, all_runs, client_for, run_cli
from tests.test_crash_safety import start_cli

JOBLIB = ["hydra/launcher=joblib", "hydra.launcher.n_jobs=2"]
JOBS = 100


def children_of(runs, parent) -> list:
    return [r for r in runs if r.data.tags.get("mlflow.parentRunId") == parent.info.run_id]


def test_hundred_jobs_from_two_workers_all_finish_under_one_parent(runs_dir):
    result = run_cli(runs_dir, "-m", *FAST, f"seed=range(0,{JOBS})", *JOBLIB, timeout=1200, check=True)
    assert "database is locked" not in result.stderr and "Traceback" not in result.stderr
    with sqlite3.connect(runs_dir / "mlflow.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    runs = all_runs(runs_dir)
    (parent,) = [r for r in runs if r.data.tags.get("nanvix.sweep") == "parent"]
    assert parent.info.status == "FINISHED"
    children = children_of(runs, parent)
    assert len(runs) == JOBS + 1 and len(children) == JOBS
    assert Counter(r.info.status for r in children) == Counter({"FINISHED": JOBS})
    assert sorted(int(r.data.params["seed"]) for r in children) == list(range(JOBS))
    assert all(r.data.metrics for r in children)
    assert len({r.data.tags["nanvix.pid"] for r in children}) >= 2  # really several worker processes

    # the same jobs run one after the other in this process give the same numbers
    run_cli(runs_dir, "-m", *FAST, "seed=0,1,2", "force=true", check=True)
    runs = all_runs(runs_dir)
    (sequential,) = [r for r in runs if r.data.tags.get("nanvix.sweep") == "parent" and "force" in r.info.run_name]
    again = {int(r.data.params["seed"]): r.data.metrics for r in children_of(runs, sequential)}
    parallel = {int(r.data.params["seed"]): r.data.metrics for r in children if int(r.data.params["seed"]) < 3}
    assert again == parallel and len(again) == 3


def test_job_failing_in_a_worker_is_one_line_and_closes_the_sweep(runs_dir):
    store = f"sqlite:///{runs_dir / 'mlflow.db'}"
    server = f"http://127.0.0.1:{free_port()}"  # nobody listens: the job on it fails inside its worker
    sweep = ["-m", *FAST, f"tracking.uri={store},{server}", "tracking.timeout=2 s", "seed=0,1", *JOBLIB]
    result = run_cli(runs_dir, *sweep, timeout=300)
    assert result.returncode == 2, result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith(f"tracking.uri={server}: no MLflow server answered within 2 s"), result.stderr
    assert "Traceback" not in result.stderr
    runs = all_runs(runs_dir)
    (parent,) = [r for r in runs if r.data.tags.get("nanvix.sweep") == "parent"]
    assert parent.info.status == "FAILED"
    # jobs of the store that were under way when joblib gave up were closed (or reaped: their worker is dead)
    run_cli(runs_dir, *FAST, "seed=7", check=True)
    statuses = Counter(r.info.status for r in all_runs(runs_dir) if r.info.run_id != parent.info.run_id)
    assert statuses["RUNNING"] == 0 and statuses["FINISHED"] >= 2  # seed=7 and at least the first job
    client = client_for(runs_dir)
    assert client.get_run(parent.info.run_id).info.status == "FAILED"


def test_runs_started_together_on_a_fresh_store_create_it_once(runs_dir):
    starts = [start_cli(runs_dir, *FAST, f"seed={seed}") for seed in range(3)]
    errors = [process.communicate(timeout=300)[1] for process in starts]
    assert [process.returncode for process in starts] == [0, 0, 0], errors
    assert not any("locked" in error or "Traceback" in error for error in errors)
    runs = all_runs(runs_dir)
    assert sorted(int(r.data.params["seed"]) for r in runs) == [0, 1, 2]
    assert {r.info.status for r in runs} == {"FINISHED"}
    experiments = client_for(runs_dir).search_experiments()
    assert sorted(e.name for e in experiments).count("default") == 1
