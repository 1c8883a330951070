"""Which process owns a RUNNING run, and whether it is still alive.

A run records the host, process id and process start time of its owner.
On the same host, a run whose owner no longer exists (or whose pid was
reused by a process started later) was interrupted without a chance to
say so (SIGKILL, OOM, power loss) and can be marked KILLED.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ProcessStamp:
    """Host, pid and kernel start time (clock ticks since boot) of a process."""

    host: str
    pid: int
    start: str

    @classmethod
    def current(cls) -> ProcessStamp:
        """The stamp of this process."""
        return cls(socket.gethostname(), os.getpid(), _start_time(os.getpid()))

    @classmethod
    def from_tags(cls, tags: dict[str, str], prefix: str) -> ProcessStamp:
        """The stamp stored in run tags (missing values read as unknown)."""
        pid = tags.get(f"{prefix}pid", "")
        return cls(tags.get(f"{prefix}host", ""), int(pid) if pid.isdigit() else -1, tags.get(f"{prefix}pid_start", ""))

    def tags(self, prefix: str) -> dict[str, str]:
        """Run tags recording this stamp."""
        return {f"{prefix}host": self.host, f"{prefix}pid": str(self.pid), f"{prefix}pid_start": self.start}

    def alive(self) -> bool:
        """False only when this host can prove the owner is gone; other hosts' runs count as alive."""
        if self.host != socket.gethostname():
            return True
        if self.pid <= 0:
            return False
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return not self.start or _start_time(self.pid) == self.start


def _start_time(pid: int) -> str:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return ""
    return fields[19]
