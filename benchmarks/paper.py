"""The whole paper (``experiment=paper``: Figure 3 and the migration, both kernels) from a cold start.

Each repeat runs ``python -m nanvix_exp -m experiment=paper`` in a fresh
process into a fresh temporary store, so the wall time includes interpreter
start, imports, Hydra composition, every simulation and all MLflow logging.
The simulated chip time those runs represent is computed from what they
recorded, read back from MLflow: Figure 3 took the chip 7 counter passes ×
``iterations`` × the sum over N of the simulated fork + join time, per
kernel; the migration took ``replications`` × the simulated migration time.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from benchmarks.measure import Options, Result, checked, cli_env, median, python, run_child

NAME = "paper"
COMMAND = ["-m", "nanvix_exp", "-m", "experiment=paper", "progress=never"]
COUNTER_PASSES = 7
"""The k1b exposes one performance counter per run: Figure 3 needed seven passes (ref §1.2)."""
FORK_JOIN_METRICS = ("fork_ms", "join_ms")
MIGRATION_METRIC = "migration_ms"
"""Metric names; their MLflow keys come from ``chart_key`` (the chart section first)."""
TARGET_WALL_S = 10.0
TARGET_SPEEDUP = 19.0


def chart_key(workload: str, metric: str) -> str:
    """The MLflow key of the mean of ``metric`` of ``workload`` (see ``tracking/client/chart_keys.py``)."""
    from nanvix_exp.tracking.client.chart_keys import ChartKeys
    from nanvix_exp.workloads.catalog import registrations

    return ChartKeys.of(registrations()[workload]).key(metric)


def chip_seconds(runs_dir: Path, experiment: str = "paper") -> dict[str, float | None]:
    """Simulated chip time per workload, from the FINISHED child runs in the store (None if not modelled)."""
    from mlflow import MlflowClient

    client = MlflowClient(tracking_uri=f"sqlite:///{runs_dir / 'mlflow.db'}")
    found = client.get_experiment_by_name(experiment)
    assert found is not None, f"no experiment {experiment!r} in {runs_dir}"
    runs = client.search_runs([found.experiment_id], "attributes.status = 'FINISHED'", max_results=1000)
    totals: dict[str, float | None] = {"fork_join": 0.0, "migration": 0.0}
    for run in runs:
        workload = run.data.tags.get("nanvix.workload")
        if workload == "fork_join":
            per_n = [_by_step(client, run.info.run_id, chart_key(workload, m)) for m in FORK_JOIN_METRICS]
            if totals["fork_join"] is None or not all(per_n):
                totals["fork_join"] = None
                continue
            iterations = int(run.data.params["workload.iterations"])
            milliseconds = sum(sum(values.values()) for values in per_n)
            totals["fork_join"] += COUNTER_PASSES * iterations * milliseconds / 1000
        elif workload == "migration":
            key = chart_key(workload, MIGRATION_METRIC)
            if totals["migration"] is None or key not in run.data.metrics:
                totals["migration"] = None
                continue
            replications = int(run.data.params["workload.replications"])
            totals["migration"] += replications * run.data.metrics[key] / 1000
    return totals


def _by_step(client: object, run_id: str, metric: str) -> dict[int, float]:
    history = client.get_metric_history(run_id, metric)  # type: ignore[attr-defined]
    return {point.step: point.value for point in history}


def run(options: Options) -> Result:
    result = Result(NAME)
    walls: list[float] = []
    rss: list[float] = []
    chip: dict[str, float | None] = {}
    repeats = 1 if options.quick else options.repeats
    for _ in range(repeats):
        with tempfile.TemporaryDirectory(prefix="nanvix-bench-paper-") as scratch:
            runs_dir = Path(scratch) / "runs"
            child = checked(run_child(python(*COMMAND), env=cli_env(runs_dir), cwd=Path(scratch)), "experiment=paper")
            walls.append(child.wall_s)
            rss.append(child.maxrss_mib)
            chip = chip_seconds(runs_dir)
    wall = median(walls)
    result.add("paper wall (cold CLI -> MLflow)", wall, "s", f"<= {TARGET_WALL_S:g} s", wall <= TARGET_WALL_S)
    result.add("paper peak RSS", max(rss), "MiB")
    modelled = [v for v in chip.values() if v is not None]
    for workload, seconds in chip.items():
        note = "" if seconds is not None else "metrics not recorded: model not in this build"
        result.add(f"simulated chip time: {workload}", seconds, "s", note=note)
    if len(modelled) == len(chip):
        total = sum(modelled)
        speedup = total / wall
        result.add("simulated / wall", speedup, "x", f">= {TARGET_SPEEDUP:g}x", speedup >= TARGET_SPEEDUP)
    else:
        result.add("simulated / wall", None, "x", f">= {TARGET_SPEEDUP:g}x", None, "not computable: see above")
    result.data = {"command": ["python", *COMMAND], "wall_s": walls, "maxrss_mib": rss, "chip_s": chip}
    return result
