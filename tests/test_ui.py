"""The MLflow UI end to end: Figure 3 runs of both kernels, a real UI server, pages rendered by headless Chromium."""

import urllib.request

import pytest

from nanvix_exp.tracking.tools.browser import chromium, render, runs_page, visible_text
from nanvix_exp.tracking.tools.server import ServerPlan, free_port, running_server
from tests.conftest import FAST, all_runs, run_cli

pytestmark = pytest.mark.skipif(chromium() is None, reason="no Chromium (.ci/run installs Debian's chromium)")


def test_runs_page_shows_both_kernels_as_table_and_as_metric_charts(runs_dir):
    run_cli(runs_dir, "-m", "experiment=paper_fig3", *FAST, "workload.threads=[1,2,3]", check=True)
    runs = all_runs(runs_dir, "paper_fig3")
    children = {r.data.tags["nanvix.kernel"]: r for r in runs if "mlflow.parentRunId" in r.data.tags}
    assert set(children) == {"baseline", "uarea"}
    experiment_id = runs[0].info.experiment_id
    stepped = sorted(
        key
        for key in children["uarea"].data.metrics
        if not key.endswith(("_sd", "_ci95", "_n")) and key in children["baseline"].data.metrics
    )
    metric = "fork_ms" if "fork_ms" in stepped else stepped[0]

    with running_server(ServerPlan.ui(runs_dir, port=free_port()), runs_dir / "ui.log") as url:
        table = visible_text(render(runs_page(url, experiment_id, "TABLE")))
        charts = visible_text(
            render(runs_page(url, experiment_id, "CHART"), screenshot=runs_dir / "ui.png", window=(1600, 6000))
        )
        plot_url = f"{url}/get-artifact?path=metrics_vs_step.png&run_uuid={children['uarea'].info.run_id}"
        with urllib.request.urlopen(plot_url, timeout=30) as answer:  # what the run page's artifact view loads
            run_plot = answer.read()

    assert "paper_fig3" in table and "Sort: run_name" in table
    for run in children.values():
        assert run.info.run_name in table, f"{run.info.run_name} missing from the runs table"
        assert f"{run.info.run_name} ({metric})" in charts, f"no {metric} line of {run.info.run_name} in the charts"
    assert "Step" in charts
    assert run_plot.startswith(b"\x89PNG"), "the run's own plot is served to the UI"
    png = (runs_dir / "ui.png").read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 50_000  # a rendered page, not an empty canvas
