"""Shared fixtures: real Hydra composition of the real conf/, real CLI subprocesses, temp SQLite stores.

The scale-out fixtures (a SLURM cluster, a PostgreSQL-backed MLflow server) live in ``tests/cluster_fixtures.py``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from nanvix_exp.config.compose import compose
from tests.cluster_fixtures import cluster_root, postgres_tracking, slurm, slurm_cluster  # noqa: F401 (fixtures)

ROOT = Path(__file__).resolve().parents[1]
FAST = ["hardware=tiny", "workload.iterations=3", "workload.warmup=1", "workload.threads=[1,2]", "progress=never"]
"""Overrides that keep a fork_join run to a fraction of a second."""


def compose_config(overrides: list[str] | None = None):
    """The real config tree composed by Hydra with ``overrides`` (no job is run)."""
    return compose(overrides or [])


@pytest.fixture
def runs_dir(tmp_path: Path) -> Path:
    """A fresh outputs folder (MLflow SQLite store inside) for one test."""
    path = tmp_path / "runs"
    path.mkdir()
    return path


def run_cli(
    runs_dir: Path,
    *args: str,
    module: str = "nanvix_exp",
    env: dict[str, str] | None = None,
    timeout: float = 300,
    check: bool = False,
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m nanvix_exp <args>`` (or another module) against ``runs_dir``; returns the completed process."""
    environment = {k: v for k, v in os.environ.items() if k not in ("HYDRA_FULL_ERROR", "MLFLOW_TRACKING_URI")}
    environment.update({"NANVIX_EXP_RUNS": str(runs_dir), "CI": "1", **(env or {})})
    result = subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=runs_dir.parent,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"exit {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}")
    return result


def client_for(runs_dir: Path):
    """An MlflowClient on the SQLite store of ``runs_dir``."""
    from mlflow import MlflowClient

    return MlflowClient(tracking_uri=f"sqlite:///{runs_dir / 'mlflow.db'}")


def all_runs(runs_dir: Path, experiment: str = "default"):
    """Every run of ``experiment`` in the store of ``runs_dir``."""
    client = client_for(runs_dir)
    found = client.get_experiment_by_name(experiment)
    return [] if found is None else client.search_runs([found.experiment_id], max_results=1000)


def pytest_terminal_summary(terminalreporter) -> None:
    """Print the figures that tests measured (``record_property("measured <what>", value)``), e.g. for the README."""
    reports = terminalreporter.stats.get("passed", [])
    figures = [(name, value) for report in reports for name, value in report.user_properties]
    figures = [(name.removeprefix("measured "), value) for name, value in figures if name.startswith("measured ")]
    if figures:
        terminalreporter.section("measured")
        for name, value in figures:
            terminalreporter.write_line(f"{name}: {value}")
