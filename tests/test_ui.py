"""The MLflow UI end to end: Figure 3 runs of both kernels, a real UI server, pages rendered by headless Chromium.

A new experiment is tagged as model training (``mlflow.experimentKind``); the link a run prints opens on the
runs table, not MLflow 3's GenAI overview, and the chart view leads with the results (the time curves).
"""

import re
import urllib.request

import pytest

from nanvix_exp.tracking.tools.browser import chromium, render, visible_text
from nanvix_exp.tracking.tools.links import runs_page
from nanvix_exp.tracking.tools.server import ServerPlan, experiment_links, free_port, running_server
from tests.conftest import FAST, all_runs, client_for, run_cli

KIND = "mlflow.experimentKind"
GENAI_OVERVIEW = ("Token Usage", "Tokens per Trace")
"""Words of the GenAI overview page an experiment opens on without the model-training workflow."""
SECTION = re.compile(r"\b(\d_[a-z_]+) \((\d+)\)")
"""A chart section header in the chart view: ``1_results (2)``."""

needs_chromium = pytest.mark.skipif(chromium() is None, reason="no Chromium (.ci/run installs Debian's chromium)")


def test_new_and_existing_experiments_are_tagged_as_model_training(runs_dir):
    client = client_for(runs_dir)
    run_cli(runs_dir, *FAST, check=True)  # a fresh store: the run creates the experiment with its kind
    assert client.get_experiment_by_name("default").tags[KIND] == "custom_model_development"
    client.create_experiment("older", artifact_location=(runs_dir / "older").as_uri())  # no tag: made by hand
    run_cli(runs_dir, *FAST, "tracking.experiment=older", check=True)
    assert client.get_experiment_by_name("older").tags[KIND] == "custom_model_development"
    ids = {name: client.get_experiment_by_name(name).experiment_id for name in ("default", "older")}
    links = experiment_links(ServerPlan.ui(runs_dir))  # what `just ui` prints before it serves
    assert set(links) == {
        f"{n}: http://127.0.0.1:5000/#/experiments/{i}?workflowType=machine_learning" for n, i in ids.items()
    }


@needs_chromium
def test_printed_link_opens_on_the_runs_table_and_the_charts_lead_with_the_times(runs_dir):
    sweep = run_cli(runs_dir, "-m", "experiment=paper_fig3", *FAST, "workload.threads=[1,2,3]", check=True)
    runs = all_runs(runs_dir, "paper_fig3")
    children = {r.data.tags["nanvix.kernel"]: r for r in runs if "mlflow.parentRunId" in r.data.tags}
    assert set(children) == {"baseline", "uarea"}
    experiment_id = runs[0].info.experiment_id
    printed = re.search(r"^open: .*, then (http://127\.0\.0\.1:5000)(/\S+)$", sweep.stdout, flags=re.M)
    assert printed is not None, sweep.stdout

    with running_server(ServerPlan.ui(runs_dir, port=free_port()), runs_dir / "ui.log") as url:
        landing = visible_text(render(url + printed.group(2)))
        bare = visible_text(render(f"{url}/#/experiments/{experiment_id}"))  # the tag alone, no workflow in the URL
        charts = visible_text(
            render(runs_page(url, experiment_id, "CHART"), screenshot=runs_dir / "ui.png", window=(1600, 6000))
        )
        plot_url = f"{url}/get-artifact?path=metrics_vs_step.png&run_uuid={children['uarea'].info.run_id}"
        with urllib.request.urlopen(plot_url, timeout=30) as answer:  # what the run page's artifact view loads
            run_plot = answer.read()

    assert landing.startswith("Runs - Experiment"), landing[:300]  # the first view is the runs table
    assert "Run Name" in landing and not any(word in landing for word in GENAI_OVERVIEW)
    (parent,) = [r for r in runs if r.data.tags.get("nanvix.sweep") == "parent"]
    assert parent.info.run_name in landing  # the sweep, its jobs folded under it
    # MLflow 3.17 picks the landing page from a browser-side workflow switch, not from the experiment tag:
    assert bare.startswith("Overview - Experiment") and "Token Usage" in bare

    sections = SECTION.findall(charts)
    assert sections[:3] == [("1_results", "2"), ("2_counters", "14"), ("3_stats", "16")], sections
    first = charts[charts.index("1_results (2)") : charts.index("2_counters (14)")]
    for run in children.values():
        for metric in ("fork_ms", "join_ms"):
            assert f"{run.info.run_name} (1_results/{metric})" in first, f"no {metric} curve of {run.info.run_name}"
    assert "Step" in first and "_ci95" not in charts and "_n)" not in charts
    assert run_plot.startswith(b"\x89PNG"), "the run's own plot is served to the UI"
    png = (runs_dir / "ui.png").read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 50_000  # a rendered page, not an empty canvas
