"""Runs recorded in a real MLflow SQLite store by real CLI processes, read back with MlflowClient."""

import math

import polars as pl

from nanvix_exp.tracking.client.chart_keys import ChartKeys
from nanvix_exp.workloads.catalog import registrations
from tests.conftest import FAST, all_runs, client_for, run_cli

STATS = ("mean", "sd")
"""The charted statistics of a run with one boot: n and ci95 are only in summary.csv."""


def test_single_run_leaves_a_complete_finished_record(runs_dir):
    result = run_cli(runs_dir, *FAST, check=True)
    assert "FINISHED" in result.stderr
    (run,) = all_runs(runs_dir)
    assert run.info.status == "FINISHED"
    params = run.data.params
    assert params["hardware.cluster.dcache.size"] == "8 KiB"
    assert params["kernel.name"] == "uarea" and params["seed"] == "0"
    tags = run.data.tags
    for key in (
        "kernel",
        "hardware",
        "workload",
        "code_version",
        "git_sha",
        "git_dirty",
        "config_hash",
        "identity",
        "versions",
    ):
        assert tags[f"nanvix.{key}"], key
    assert tags["nanvix.kernel"] == "uarea" and tags["nanvix.hardware"] == "tiny"
    client = client_for(runs_dir)
    keys = ChartKeys.of(registrations()["fork_join"])
    metric = "fork_ms"
    for statistic in ("mean", "sd"):
        history = client.get_metric_history(run.info.run_id, keys.key(metric, statistic))
        assert sorted(m.step for m in history) == [1, 2]
    assert keys.key(metric) == "1_results/fork_ms" and keys.key(metric, "sd") == "3_stats/fork_ms_sd"
    assert keys.key("fork_cycles") == "2_counters/fork_cycles"
    assert set(run.data.metrics) == {keys.key(m.name, s) for m in registrations()["fork_join"].metrics for s in STATS}
    names = {a.path for a in client.list_artifacts(run.info.run_id)}
    assert {"config.yaml", "samples.parquet", "summary.csv", "metrics_vs_step.png"} <= names
    local = client.download_artifacts(run.info.run_id, "samples.parquet", str(runs_dir.parent))
    samples = pl.read_parquet(local)
    assert {"metric", "step", "iteration", "value", "unit", "run_id", "kernel", "config_hash"} <= set(samples.columns)
    assert samples.height == 2 * 3 * samples["metric"].n_unique()
    of_metric = samples.filter(pl.col("metric") == metric)
    means = of_metric.group_by("step").agg(pl.col("value").mean()).sort("step")["value"].to_list()
    logged = sorted(client.get_metric_history(run.info.run_id, keys.key(metric)), key=lambda m: m.step)
    assert [m.value for m in logged] == means  # unrounded: mean of the Parquet equals the logged metric


def test_identical_rerun_is_skipped_and_force_reruns(runs_dir):
    run_cli(runs_dir, *FAST, check=True)
    again = run_cli(runs_dir, *FAST, check=True)
    assert "skipped" in again.stderr
    assert len(all_runs(runs_dir)) == 1
    forced = run_cli(runs_dir, *FAST, "force=true", check=True)
    assert "FINISHED" in forced.stderr
    runs = all_runs(runs_dir)
    assert len(runs) == 2 and {r.info.status for r in runs} == {"FINISHED"}
    other_seed = run_cli(runs_dir, *FAST, "seed=1", check=True)
    assert "skipped" not in other_seed.stderr


def test_sweep_gives_one_parent_and_a_child_per_job(runs_dir):
    run_cli(runs_dir, "-m", *FAST, "kernel=baseline,uarea", "seed=0,1", check=False)
    run_cli(runs_dir, "-m", *FAST, "workload.iterations=4,5,6", check=True)
    runs = all_runs(runs_dir)
    parents = [r for r in runs if r.data.tags.get("nanvix.sweep") == "parent"]
    assert len(parents) == 2
    last = next(p for p in parents if "iterations=4,5,6" in p.info.run_name)
    children = [r for r in runs if r.data.tags.get("mlflow.parentRunId") == last.info.run_id]
    assert len(children) == 3
    assert {c.info.status for c in children} == {"FINISHED"} and last.info.status == "FINISHED"
    assert sorted(c.data.params["workload.iterations"] for c in children) == ["4", "5", "6"]
    assert not [r for r in runs if r.info.status == "RUNNING"]


def test_rerun_sweep_reuses_its_parent_and_skips_finished_children(runs_dir):
    run_cli(runs_dir, "-m", *FAST, "kernel=baseline,uarea", check=True)
    again = run_cli(runs_dir, "-m", *FAST, "kernel=baseline,uarea", check=True)
    assert again.stderr.count("skipped") == 2 and "resuming sweep parent" in again.stderr
    runs = all_runs(runs_dir)
    assert len(runs) == 3 and {r.info.status for r in runs} == {"FINISHED"}


def test_report_compares_kernels_and_writes_tidy_csv(runs_dir):
    run_cli(runs_dir, "-m", *FAST, "kernel=baseline,uarea", "workload.threads=[1,2,3]", check=True)
    csv = runs_dir / "report.csv"
    result = run_cli(runs_dir, "-e", "default", "--csv", str(csv), module="nanvix_exp.analysis", check=True)
    assert "Kernels side by side" in result.stdout and "delta_pct" in result.stdout
    tidy = pl.read_csv(csv)
    for column in ("experiment", "kernel", "metric", "step", "mean", "sd", "n", "reference", "error_pct"):
        assert column in tidy.columns
    assert set(tidy["kernel"]) == {"baseline", "uarea"} and sorted(set(tidy["step"])) == [1, 2, 3]
    assert all(n == 3 for n in tidy["n"]) and not any(math.isnan(v) for v in tidy["mean"])


def test_report_on_unknown_experiment_lists_the_known_ones(runs_dir):
    run_cli(runs_dir, *FAST, check=True)
    result = run_cli(runs_dir, "--experiment", "nope", module="nanvix_exp.analysis")
    assert result.returncode == 2 and "default" in result.stderr and "nope" in result.stderr
