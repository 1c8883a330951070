"""The results a run ends with: its headline table on stdout, measured next to simulated, and where to find it."""

import csv
import re

import pytest

from tests.conftest import FAST, ROOT, all_runs, client_for, run_cli

SHORT = ["workload.iterations=3", "workload.warmup=1", "progress=never"]
"""The default run (MPPA-256, UArea kernel, N = 1..17) with few iterations."""


def table(stdout: str, title: str) -> list[dict[str, str]]:
    """The Markdown table printed after the line starting with ``title``, as dicts of its cells."""
    lines = stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(title))
    rows = []
    for line in lines[start + 1 :]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    header, _, *body = rows
    return [dict(zip(header, row, strict=True)) for row in body]


def measured_fig3() -> dict[tuple[str, int], float]:
    path = ROOT / "nanvix_exp" / "reference" / "fig3_fork_join_time.csv"
    rows = csv.DictReader(path.open())
    return {(f"{r['operation']}_ms", int(r["nthreads"])): float(r["mean_ms"]) for r in rows if r["kernel"] == "uarea"}


def test_default_run_ends_with_fork_join_times_vs_the_paper_and_how_to_open_them(runs_dir):
    result = run_cli(runs_dir, *SHORT, check=True)
    (run,) = all_runs(runs_dir)
    rows = table(result.stdout, "results of fork_join-uarea-")
    assert [(r["metric"], r["number of threads N"]) for r in rows] == [
        ("fork_ms", "1"),
        ("fork_ms", "9"),
        ("fork_ms", "17"),
        ("join_ms", "1"),
        ("join_ms", "9"),
        ("join_ms", "17"),
    ]
    client = client_for(runs_dir)
    logged = {
        (key.rsplit("/", 1)[1], m.step): m.value
        for key in ("1_results/fork_ms", "1_results/join_ms")
        for m in client.get_metric_history(run.info.run_id, key)
    }
    published = measured_fig3()
    for row in rows:
        point = (row["metric"], int(row["number of threads N"]))
        simulated = logged[point]
        assert row["simulated"].startswith(f"{simulated:.4g} ± ") and row["simulated"].endswith(" ms")
        assert row["measured"].startswith(f"{published[point]:.4g} ± ")
        assert row["error"] == f"{(simulated - published[point]) / published[point] * 100:+.1f} %"
    experiment_id = run.info.experiment_id
    assert f"recorded: experiment 'default' in sqlite:///{runs_dir.resolve()}/mlflow.db" in result.stdout
    opened = re.search(r"^open: +(.+), then (\S+)$", result.stdout, flags=re.M)
    assert opened is not None, result.stdout
    assert opened.group(1) == f"python -m nanvix_exp.tracking.tools.server --ui --runs {runs_dir.resolve()}"
    assert opened.group(2) == f"http://127.0.0.1:5000/#/experiments/{experiment_id}?workflowType=machine_learning"
    assert "report:   nanvix-exp-report --experiment default" in result.stdout

    again = run_cli(runs_dir, *SHORT, check=True)  # skipped as done: the same table, from the recorded run
    assert "skipped" in again.stderr and table(again.stdout, "results of fork_join-uarea-") == rows


def test_migration_shows_time_downtime_and_bytes_with_the_papers_226_ms(runs_dir):
    result = run_cli(runs_dir, "experiment=paper_migration", "workload.replications=5", "progress=never", check=True)
    rows = table(result.stdout, "results of migration-uarea-")
    assert [r["metric"] for r in rows] == ["migration_ms", "downtime_ms", "bytes_sent"]
    assert "number of threads N" not in rows[0] and "step" not in rows[0]  # a workload without steps
    assert rows[0]["measured"] == "226 ± 15 ms" and rows[0]["error"].endswith(" %")
    assert rows[1]["measured"] == "-" and rows[2]["simulated"] == "353,104 B"


def test_a_sweep_prints_one_table_over_its_jobs(runs_dir):
    result = run_cli(runs_dir, "-m", *FAST, "kernel=baseline,uarea", check=True)
    assert "results of fork_join-" not in result.stdout  # no table per job
    assert result.stdout.count("results of ") == 1
    rows = table(result.stdout, "results of sweep ")
    assert [(r["kernel"], r["metric"], r["number of threads N"]) for r in rows] == [
        (kernel, metric, n) for kernel in ("baseline", "uarea") for metric in ("fork_ms", "join_ms") for n in "12"
    ]
    assert "measured" not in rows[0]  # hardware=tiny: no published data for that chip


@pytest.mark.parametrize("progress", ["never", "always"])
def test_a_long_sweep_table_is_cut_only_where_it_would_flood_a_log(runs_dir, progress):
    seeds = ",".join(str(seed) for seed in range(6))  # 6 jobs x 2 metrics x 2 steps = 24 rows
    result = run_cli(runs_dir, "-m", *FAST[:-1], f"progress={progress}", f"seed={seeds}", check=True)
    rows = table(result.stdout, "results of sweep ")
    if progress == "never":
        assert len(rows) == 20 and "... 4 more rows: see the report command below" in result.stdout
    else:
        assert len(rows) == 24 and "more rows" not in result.stdout
