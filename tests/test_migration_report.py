"""The migration report: the paper's 226 ms next to the simulation, phase bars, contention table and figure."""

from __future__ import annotations

from tests.conftest import run_cli


def test_report_shows_paper_comparison_phases_and_contention(runs_dir):
    pairs = "workload.pairs=[],[[ccluster0,ccluster2],[ccluster1,ccluster3]]"
    run_cli(
        runs_dir, "-m", "experiment=paper_migration", "workload.replications=5", pairs, "progress=never", check=True
    )
    report = run_cli(runs_dir, "--experiment", "paper_migration", module="nanvix_exp.analysis", check=True)
    text = report.stdout
    for title in ("Migration vs ERAD 2022", "Migration phases", "Concurrent migrations: contention"):
        assert f"## {title}" in text
    assert "226.0000" in text and "217.7000" in text and "15.4000" in text
    assert "353104" in text
    folder = runs_dir / "reports" / "paper_migration"
    assert (folder / "migration_phases.png").stat().st_size > 0
    assert (folder / "migration_contention.png").stat().st_size > 0
