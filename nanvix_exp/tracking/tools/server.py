"""A local MLflow tracking server: the shared store of a cluster sweep, and the UI over the runs.

``mlflow server`` runs in its light mode (one worker process, background job
execution off). Two layouts are used: the *shared server* (``just server``)
keeps its own SQLite database ``runs/server.db`` and stores the artifacts
that clients upload over HTTP in ``runs/server-artifacts``; the *UI*
(``just ui``) serves the ``tracking=local`` store ``runs/mlflow.db`` whose
artifacts already sit under ``runs/artifacts``. ``python -m
nanvix_exp.tracking.tools.server`` starts either in the foreground; tests and
scripts use ``running_server`` to start one in the background and always
stop it.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

LIGHT_MODE_ENV = {"MLFLOW_SERVER_ENABLE_JOB_EXECUTION": "false"}
"""Environment of a light server: no background job runner (the workers count is a command-line option)."""


@dataclass(frozen=True)
class ServerPlan:
    """What one ``mlflow server`` serves and where it listens."""

    backend_uri: str
    artifacts: Path | None
    host: str = "127.0.0.1"
    port: int = 5000

    @classmethod
    def shared(cls, runs_dir: Path, host: str = "127.0.0.1", port: int = 5000) -> ServerPlan:
        """The shared tracking server: its own SQLite database and proxied artifacts under ``runs_dir``."""
        runs_dir = runs_dir.resolve()
        return cls(f"sqlite:///{runs_dir / 'server.db'}", runs_dir / "server-artifacts", host, port)

    @classmethod
    def ui(cls, runs_dir: Path, host: str = "127.0.0.1", port: int = 5000) -> ServerPlan:
        """The UI over the ``tracking=local`` store of ``runs_dir`` (artifacts read from their file locations)."""
        return cls(f"sqlite:///{runs_dir.resolve() / 'mlflow.db'}", None, host, port)

    @property
    def url(self) -> str:
        """Base URL of the server (the tracking URI of its clients on this machine)."""
        return f"http://{self.host}:{self.port}"

    def command(self) -> list[str]:
        """The ``mlflow server`` command line, light mode."""
        command = [sys.executable, "-m", "mlflow", "server", "--host", self.host, "--port", str(self.port)]
        command += ["--workers", "1", "--backend-store-uri", self.backend_uri]
        if self.artifacts is not None:
            command += ["--artifacts-destination", str(self.artifacts), "--serve-artifacts"]
        return command

    def environment(self) -> dict[str, str]:
        """The current environment plus the light-mode switches."""
        return {**os.environ, **LIGHT_MODE_ENV}


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on at ``host`` right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def wait_healthy(url: str, process: subprocess.Popen[bytes], timeout: float) -> None:
    """Block until ``url``/health answers 200; raise if the server exits or ``timeout`` seconds pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"mlflow server exited with code {process.returncode} before answering at {url}")
        health = f"{url}/health"
        with contextlib.suppress(urllib.error.URLError, OSError), urllib.request.urlopen(health, timeout=2) as answer:
            if answer.status == 200:
                return
        time.sleep(0.2)
    raise TimeoutError(f"mlflow server at {url} did not answer /health within {timeout:g} s")


@contextlib.contextmanager
def running_server(plan: ServerPlan, log: Path, timeout: float = 120.0) -> Iterator[str]:
    """Start ``plan`` in the background (output to ``log``), yield its URL once healthy, always stop it."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as output:
        process = subprocess.Popen(
            plan.command(), env=plan.environment(), stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            wait_healthy(plan.url, process, timeout)
            yield plan.url
        finally:
            stop(process)


def stop(process: subprocess.Popen[bytes], grace: float = 10.0) -> None:
    """Terminate the server and the worker it forked (its own process group); kill after ``grace`` seconds."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def experiment_links(plan: ServerPlan) -> list[str]:
    """``<experiment>: <URL of its runs table>`` for each experiment with runs in the UI's store."""
    from mlflow import MlflowClient

    from nanvix_exp.tracking.tools.links import experiment_page

    if not Path(plan.backend_uri.removeprefix("sqlite:///")).exists():
        return ["no runs recorded yet: run nanvix-exp first"]
    client = MlflowClient(tracking_uri=plan.backend_uri)
    experiments = [e for e in client.search_experiments() if client.search_runs([e.experiment_id], max_results=1)]
    return [f"{e.name}: {experiment_page(plan.url, e.experiment_id)}" for e in experiments]


def main(argv: list[str] | None = None) -> None:
    """Run the shared tracking server (default) or the UI (``--ui``) in the foreground."""
    parser = argparse.ArgumentParser(
        prog="python -m nanvix_exp.tracking.tools.server",
        description="MLflow server in light mode over the runs folder: the shared tracking server "
        "(runs/server.db, artifacts proxied to runs/server-artifacts) or, with --ui, the UI over runs/mlflow.db. "
        "Other options are passed to `mlflow server` (they win over these defaults).",
    )
    parser.add_argument("--runs", type=Path, default=Path(os.environ.get("NANVIX_EXP_RUNS", "runs")))
    parser.add_argument("--host", default="127.0.0.1", help="0.0.0.0 to accept compute nodes (default: %(default)s)")
    parser.add_argument("--port", type=int, default=5000)
    parser.add_argument("--ui", action="store_true", help="serve the tracking=local store instead")
    args, extra = parser.parse_known_args(argv)
    args.runs.mkdir(parents=True, exist_ok=True)
    plan = (ServerPlan.ui if args.ui else ServerPlan.shared)(args.runs, args.host, args.port)
    print(f"[nanvix-exp] MLflow server on {plan.url} over {plan.backend_uri}", file=sys.stderr, flush=True)
    if args.ui:
        for line in experiment_links(plan):
            print(f"[nanvix-exp] {line}", file=sys.stderr, flush=True)
    command = plan.command() + extra  # any other `mlflow server` option, e.g. --allowed-hosts, --backend-store-uri
    os.execve(command[0], command, plan.environment())


if __name__ == "__main__":
    main()
