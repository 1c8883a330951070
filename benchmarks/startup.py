"""Start-up paths: ``--help`` and a config error must answer without loading MLflow or matplotlib.

Both are timed as cold ``python -m nanvix_exp`` processes; a run with
``-X importtime`` lists every module the path loaded, so the table says
whether a heavy package was imported. The cost of opening the tracking store
is measured apart: importing MLflow, a new store created by MLflow itself
(schema migrations), a new store from ``TrackingStore.open`` (a copy of the
migrated schema) and an existing store.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from benchmarks.measure import ROOT, Options, Result, checked, cli_env, median, python, run_child

NAME = "startup"
HEAVY = ("mlflow", "matplotlib")
PATHS = {
    "--help": ["--help"],
    "config error": ["hardware.cluster.dcache.size=3KiB"],
}


def imported_heavy(stderr: str) -> list[str]:
    """Heavy top-level packages named in a ``-X importtime`` report."""
    found = set()
    for line in stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            module = line.rsplit("|", 1)[1].strip()
            if module.split(".")[0] in HEAVY:
                found.add(module.split(".")[0])
    return sorted(found)


def run(options: Options) -> Result:
    result = Result(NAME)
    with tempfile.TemporaryDirectory(prefix="nanvix-bench-startup-") as scratch_name:
        scratch = Path(scratch_name)
        env_runs = cli_env(scratch / "runs")
        for label, args in PATHS.items():
            walls = []
            expected = 0 if label == "--help" else 2
            for _ in range(options.repeats):
                child = run_child(python("-m", "nanvix_exp", *args), env=env_runs, cwd=scratch)
                assert child.returncode == expected, f"{label}: exit {child.returncode}\n{child.stderr[-2000:]}"
                walls.append(child.wall_s)
            traced = run_child(python("-X", "importtime", "-m", "nanvix_exp", *args), env=env_runs, cwd=scratch)
            heavy = imported_heavy(traced.stderr)
            wall = median(walls)
            result.add(f"nanvix-exp {label}", wall, "s", note="cold process, Hydra composition included")
            result.add(f"{label} imports mlflow/matplotlib", len(heavy), "modules", "0", not heavy, ", ".join(heavy))
            result.data[label] = {"wall_s": walls, "heavy_imports": heavy}
        stores = _store_costs(options, scratch)
    result.add("import mlflow and its SQLite store", median(stores["mlflow-new"]["import_s"]), "s")
    for mode, label in (
        ("mlflow-new", "new store, MLflow migrations"),
        ("nanvix-new", "new store, TrackingStore.open (schema copy)"),
        ("nanvix-existing", "existing store, TrackingStore.open"),
    ):
        result.add(label, median(stores[mode]["open_s"]), "s")
    result.data["store_open"] = stores
    return result


def _store_costs(options: Options, scratch: Path) -> dict[str, dict[str, list[float]]]:
    costs: dict[str, dict[str, list[float]]] = {}
    for index in range(options.repeats):
        fresh = scratch / f"store{index}"
        for mode, folder in (("mlflow-new", "mlflow"), ("nanvix-new", "nanvix"), ("nanvix-existing", "nanvix")):
            child = checked(run_child(python("-m", "benchmarks.store_job", mode, str(fresh / folder)), cwd=ROOT), mode)
            timing = json.loads(child.stdout.strip().splitlines()[-1])
            for key, value in timing.items():
                costs.setdefault(mode, {}).setdefault(key, []).append(value)
    return costs
