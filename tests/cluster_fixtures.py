"""Session fixtures of the scale-out tests: a SLURM cluster and an MLflow server backed by PostgreSQL.

Both are started once per test session and stopped at its end, all their
state in one temp folder. The MLflow server is started with the README's
command for a cluster (``python -m nanvix_exp.tracking.tools.server`` with a
PostgreSQL ``--backend-store-uri``) on 127.0.0.1. Without the Debian packages
the tests that need them are skipped, naming what to install.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from nanvix_exp.tracking.tools.server import free_port, stop, wait_healthy
from tests.postgres_server import PostgresServer, postgres_bin
from tests.slurm_cluster import SlurmCluster, missing_packages

INSTALLED_BY = "bash .ci/run installs it"


@dataclass(frozen=True)
class TrackingServer:
    """A running MLflow tracking server and the PostgreSQL server under it."""

    url: str
    database: PostgresServer


@pytest.fixture(scope="session")
def cluster_root() -> Iterator[Path]:
    """A temp folder for the daemons' state, readable by the ``postgres`` user and munged's path checks."""
    root = Path(tempfile.mkdtemp(prefix="nanvix-cluster-"))
    root.chmod(0o755)
    yield root
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def slurm_cluster(cluster_root: Path) -> Iterator[SlurmCluster]:
    """A running single-node SLURM cluster with accounting (munged, MariaDB, slurmdbd, slurmctld, slurmd)."""
    missing = missing_packages()
    if missing:
        pytest.skip(f"SLURM is not installed: apt-get install {' '.join(missing)} ({INSTALLED_BY})")
    (cluster_root / "slurm").mkdir()
    cluster = SlurmCluster.start(cluster_root / "slurm")
    yield cluster
    cluster.stop()


@pytest.fixture
def slurm(slurm_cluster: SlurmCluster, monkeypatch: pytest.MonkeyPatch) -> Iterator[SlurmCluster]:
    """The SLURM cluster with its client settings in this test's environment (inherited by the CLI and its jobs)."""
    for key, value in slurm_cluster.environment.items():
        monkeypatch.setenv(key, value)
    yield slurm_cluster
    slurm_cluster.cancel_all()  # whatever a failed test left queued


@pytest.fixture(scope="session")
def postgres_tracking(cluster_root: Path) -> Iterator[TrackingServer]:
    """An MLflow server on 127.0.0.1 recording into a PostgreSQL database, artifacts proxied to a folder."""
    binaries = postgres_bin()
    if binaries is None:
        pytest.skip(f"PostgreSQL is not installed: apt-get install postgresql ({INSTALLED_BY})")
    database = PostgresServer.start(cluster_root, binaries)
    try:
        backend = database.create_database("mlflow")
        port = free_port()
        runs = cluster_root / "tracking"
        command = [sys.executable, "-m", "nanvix_exp.tracking.tools.server", "--runs", str(runs), "--port", str(port)]
        with open(cluster_root / "mlflow-server.log", "wb") as log:
            server = subprocess.Popen(
                [*command, "--backend-store-uri", backend],
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            url = f"http://127.0.0.1:{port}"
            wait_healthy(url, server, timeout=180)
            yield TrackingServer(url, database)
        finally:
            stop(server)
    finally:
        database.stop()
