"""A hundred jobs as one SLURM array of four parallel tasks, all recording into the PostgreSQL-backed server.

The reliability sweep of ``test_parallel_writers`` again, this time with
every job a separate process started by ``slurmd`` and four of them writing
to the MLflow server at once: no run may be lost or recorded twice, and the
database itself (read with psycopg2, not through MLflow) must agree.
"""

from __future__ import annotations

import time
from collections import Counter

import pytest

from tests.conftest import FAST, run_cli
from tests.test_slurm_sweeps import array_of, most_at_once, slurm_sweep, sweep_records

pytestmark = pytest.mark.slurm

JOBS = 100
PARALLEL = 4

RUNS_BY_STATUS = """
    SELECT runs.status, count(*) FROM runs JOIN experiments USING (experiment_id)
    WHERE experiments.name = %s GROUP BY runs.status
"""
IDENTITIES_RECORDED_TWICE = """
    SELECT tags.value FROM tags JOIN runs USING (run_uuid) JOIN experiments USING (experiment_id)
    WHERE experiments.name = %s AND tags.key = 'nanvix.identity' GROUP BY tags.value HAVING count(*) > 1
"""


@pytest.mark.timeout(1800)
def test_hundred_jobs_from_four_array_tasks_all_finish_once(slurm, postgres_tracking, runs_dir, record_property):
    started = time.perf_counter()
    sweep = slurm_sweep(postgres_tracking, "slurm-writers", *FAST, f"seed=range(0,{JOBS})", parallel=PARALLEL)
    result = run_cli(runs_dir, *sweep, timeout=1700, check=True)
    wall = time.perf_counter() - started
    assert "Traceback" not in result.stderr and "sacct" not in result.stderr
    slurm.wait_idle()  # the last tasks exit after writing their result files

    parent, children = sweep_records(postgres_tracking, "slurm-writers")
    assert parent.info.status == "FINISHED" and len(children) == JOBS
    assert Counter(c.info.status for c in children) == Counter({"FINISHED": JOBS})
    assert sorted(int(c.data.params["seed"]) for c in children) == list(range(JOBS)), "none lost, none twice"
    assert all(c.data.metrics for c in children)
    array = array_of(runs_dir)
    assert Counter(slurm.accounting(array).values()) == Counter({"COMPLETED": JOBS})
    concurrent = most_at_once(children)
    assert 2 <= concurrent <= PARALLEL, "several jobs wrote at once, never more than the array allows"

    with postgres_tracking.database.connect("mlflow") as connection, connection.cursor() as cursor:
        cursor.execute(RUNS_BY_STATUS, ("slurm-writers",))
        assert dict(cursor.fetchall()) == {"FINISHED": JOBS + 1}
        cursor.execute(IDENTITIES_RECORDED_TWICE, ("slurm-writers",))
        assert cursor.fetchall() == []
    record_property(
        "measured SLURM sweep, 100 tiny jobs, array_parallelism=4, PostgreSQL server",
        f"{wall:.1f} s wall ({JOBS / wall * 60:.0f} jobs/min, at most {concurrent} runs open at once)",
    )
