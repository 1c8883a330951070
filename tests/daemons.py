"""Server processes the cluster tests start for themselves: one process group each, its output in a log file.

A daemon runs in the foreground (no forking, no init system), so the test
owns its process id: it waits for the daemon to answer, reads its log when it
dies early, and stops its process group with SIGTERM (SIGKILL after a
grace period).
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from nanvix_exp.tracking.tools.server import stop


@dataclass
class Daemon:
    """A running server process and the file its output goes to."""

    name: str
    process: subprocess.Popen[bytes]
    log: Path

    @classmethod
    def start(
        cls, name: str, command: list[str], log: Path, env: dict[str, str] | None = None, user: str | None = None
    ) -> Daemon:
        """Start ``command`` in its own process group (as ``user`` when given), output appended to ``log``."""
        with open(log, "ab") as output:
            process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                env={**os.environ, **(env or {})},
                user=user,
                start_new_session=True,
            )
        return cls(name, process, log)

    def check(self) -> None:
        """Raise with the end of the log when the daemon has exited."""
        if self.process.poll() is not None:
            tail = self.log.read_text(errors="replace")[-3000:]
            raise RuntimeError(f"{self.name} exited with code {self.process.returncode}; end of {self.log}:\n{tail}")

    def wait_for(self, ready: Callable[[], bool], what: str, timeout: float = 60.0) -> None:
        """Poll ``ready`` until it is true; raise if the daemon exits or ``timeout`` seconds pass."""
        deadline = time.monotonic() + timeout
        while not ready():
            self.check()
            if time.monotonic() > deadline:
                raise TimeoutError(f"{self.name}: {what} not reached within {timeout:g} s (log: {self.log})")
            time.sleep(0.2)

    def stop(self, grace: float = 20.0) -> None:
        """SIGTERM to the daemon's process group, SIGKILL after ``grace`` seconds."""
        stop(self.process, grace)


def listening(port: int, host: str = "127.0.0.1") -> Callable[[], bool]:
    """A readiness check: something accepts TCP connections on ``host:port``."""

    def check() -> bool:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.settimeout(1)
            return probe.connect_ex((host, port)) == 0

    return check
