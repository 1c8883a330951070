"""Figure 3 end to end: the paper_fig3 sweep logs both kernels, the report compares them with the paper."""

import csv

from tests.conftest import all_runs, run_cli


def test_paper_fig3_sweep_and_report(runs_dir):
    run_cli(
        runs_dir,
        "-m",
        "experiment=paper_fig3",
        "workload.iterations=2",
        "workload.warmup=1",
        "workload.threads=[1,2,17]",
        "progress=never",
        check=True,
    )
    children = [r for r in all_runs(runs_dir, "paper_fig3") if "nanvix.kernel" in r.data.tags]
    assert sorted(r.data.tags["nanvix.kernel"] for r in children) == ["baseline", "uarea"]
    assert all(r.info.status == "FINISHED" for r in children)
    for run in children:
        for metric in ("1_results/fork_ms", "1_results/join_ms", "2_counters/fork_dcache_stalls", "3_stats/join_ms_sd"):
            assert metric in run.data.metrics
    csv_path = runs_dir / "fig3.csv"
    report = run_cli(runs_dir, "--experiment", "paper_fig3", "--csv", str(csv_path), module="nanvix_exp.analysis")
    assert report.returncode == 0, report.stderr
    for title in ("Figure 3 targets", "UArea vs baseline cycles", "Counters per operation", "fork_join_figure3.png"):
        assert title in report.stdout
    rows = list(csv.DictReader(csv_path.open()))
    fork = [r for r in rows if r["metric"] == "fork_ms"]
    assert sorted({int(r["step"]) for r in fork}) == [1, 2, 17]
    assert all(r["reference"] and r["error_pct"] for r in fork)
    assert (runs_dir / "reports" / "paper_fig3" / "fork_join_counter_deltas.png").stat().st_size > 10_000
