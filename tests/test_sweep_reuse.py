"""A sweep keeps every job: a job answered by an earlier identical run is recorded under the sweep, not re-simulated."""

import polars as pl

from tests.conftest import FAST, all_runs, client_for, run_cli


def test_sweep_after_a_single_run_shows_both_jobs_under_one_parent_without_simulating_twice(runs_dir):
    run_cli(runs_dir, *FAST, check=True)  # the uarea job, as a single run
    (single,) = all_runs(runs_dir)
    sweep = run_cli(runs_dir, "-m", *FAST, "kernel=baseline,uarea", check=True)
    assert sweep.stderr.count("skipped") == 1 and sweep.stderr.count("started in experiment") == 1

    runs = all_runs(runs_dir)
    (parent,) = [r for r in runs if r.data.tags.get("nanvix.sweep") == "parent"]
    children = {r.data.tags["nanvix.kernel"]: r for r in runs if r.data.tags.get("mlflow.parentRunId")}
    assert set(children) == {"baseline", "uarea"} and parent.info.status == "FINISHED"
    assert all(c.data.tags["mlflow.parentRunId"] == parent.info.run_id for c in children.values())
    reused = children["uarea"]
    assert reused.info.status == "FINISHED" and reused.data.tags["nanvix.reused_from"] == single.info.run_id
    assert reused.data.tags["nanvix.reused_identity"] == single.data.tags["nanvix.identity"]
    assert reused.data.metrics == single.data.metrics and reused.data.params == single.data.params
    client = client_for(runs_dir)
    history = client.get_metric_history(reused.info.run_id, "1_results/fork_ms")
    assert sorted(m.step for m in history) == [1, 2]
    assert client.list_artifacts(reused.info.run_id) == []  # nothing simulated: the samples stay with the single run

    # exactly one FINISHED simulation record per job: the single run and the sweep's baseline job
    identities = [r.data.tags["nanvix.identity"] for r in runs if "nanvix.identity" in r.data.tags]
    simulated = [r for r in runs if r.info.status == "FINISHED" and "nanvix.identity" in r.data.tags]
    assert len(identities) == len(set(identities)) == 3  # parent, single run, baseline job
    assert {r.info.run_id for r in simulated} >= {single.info.run_id, children["baseline"].info.run_id}

    rows = [line for line in sweep.stdout.splitlines() if line.startswith("| uarea ")]
    assert len(rows) == 4  # the reused job is in the sweep's results table

    again = run_cli(runs_dir, "-m", *FAST, "kernel=baseline,uarea", check=True)  # resume: nothing new
    assert "resuming sweep parent" in again.stderr and again.stderr.count("skipped") == 2
    assert "started in experiment" not in again.stderr and "recorded under the sweep" not in again.stderr
    assert len(all_runs(runs_dir)) == len(runs)

    csv = runs_dir / "report.csv"
    run_cli(runs_dir, "--experiment", "default", "--csv", str(csv), module="nanvix_exp.analysis", check=True)
    reported = set(pl.read_csv(csv)["run_id"])
    assert reported == {single.info.run_id, children["baseline"].info.run_id}  # the report reads simulations only
