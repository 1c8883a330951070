"""How the suite measures: child processes with wall time and peak memory, medians, fits, result rows.

Every figure is the median of repeated measurements. A child process is
timed from spawn to exit (a cold interpreter, as a user would start it) and
its peak resident memory is read from the kernel's resource accounting of
that one child (``wait4``), not of all children.
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
"""The checkout the suite benchmarks (its ``conf/`` and ``nanvix_exp``)."""


@dataclass(frozen=True)
class Options:
    """What the runner asked for: repeats per figure, quick mode, where outputs go."""

    repeats: int
    quick: bool
    out_dir: Path


@dataclass
class Figure:
    """One row of the results table: a measured value, optionally against a target."""

    name: str
    value: float | None
    unit: str
    target: str = ""
    met: bool | None = None
    note: str = ""


@dataclass
class Result:
    """Outcome of one benchmark: its table rows and the raw measurements behind them."""

    name: str
    figures: list[Figure] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)

    def add(self, *args: Any, **kwargs: Any) -> Figure:
        """Append a ``Figure`` and return it."""
        figure = Figure(*args, **kwargs)
        self.figures.append(figure)
        return figure


@dataclass(frozen=True)
class ChildRun:
    """A finished child process: exit code, wall seconds, peak RSS in MiB, captured output."""

    returncode: int
    wall_s: float
    maxrss_mib: float
    stdout: str
    stderr: str


SPAWNER = """
import os, sys, time
started = time.perf_counter()
pid = os.posix_spawnp(sys.argv[2], sys.argv[2:], os.environ)
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - started
with open(sys.argv[1], "w") as report:
    report.write(f"{wall} {usage.ru_maxrss}")
sys.exit(os.waitstatus_to_exitcode(status) % 256)
"""
"""A minimal interpreter that starts the measured command and reports that command's own wall time and peak
RSS. Linux counts the memory of the process a child was forked from in the child's peak (the copied address
space at fork, the old one at exec), so the command must be forked from a small process, not from the suite."""


def run_child(argv: Sequence[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> ChildRun:
    """Run ``argv`` to completion; its wall time from spawn to exit and its own peak RSS (see ``SPAWNER``)."""
    with (
        tempfile.TemporaryFile("w+") as out,
        tempfile.TemporaryFile("w+") as err,
        tempfile.NamedTemporaryFile("r", suffix=".usage") as usage,
    ):
        spawner = [sys.executable, "-S", "-c", SPAWNER, usage.name, *argv]
        code = subprocess.run(spawner, stdout=out, stderr=err, env=env, cwd=cwd, check=False).returncode
        wall, maxrss_kib = usage.read().split()
        out.seek(0)
        err.seek(0)
        return ChildRun(code, float(wall), int(maxrss_kib) / 1024, out.read(), err.read())


def python(*args: str) -> list[str]:
    """The current interpreter with ``args`` (the venv the suite runs in)."""
    return [sys.executable, *args]


def cli_env(runs_dir: Path, **extra: str) -> dict[str, str]:
    """Environment of a ``nanvix-exp`` child writing into ``runs_dir`` (no tracking-server override)."""
    env = {k: v for k, v in os.environ.items() if k not in ("HYDRA_FULL_ERROR", "MLFLOW_TRACKING_URI")}
    env.update({"NANVIX_EXP_RUNS": str(runs_dir), "CI": "1", **extra})
    return env


def checked(run: ChildRun, what: str) -> ChildRun:
    """``run`` if it exited 0, else an error carrying its output tail."""
    if run.returncode != 0:
        raise RuntimeError(f"{what} exited {run.returncode}:\n{run.stdout[-2000:]}\n{run.stderr[-4000:]}")
    return run


def median(values: Sequence[float]) -> float:
    """Median of the repeated measurements."""
    return float(statistics.median(values))


def timed(call: Callable[[], object]) -> float:
    """Seconds one call of ``call`` takes."""
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


@dataclass(frozen=True)
class Growth:
    """How a cost grows along an axis: a least-squares line and the log-log exponent ``k`` in cost ~ x^k."""

    slope: float
    intercept: float
    r2: float
    exponent: float

    def at_most_linear(self, tolerance: float = 1.25) -> bool:
        """Cost grows no faster than about linearly (k <= ``tolerance``: flat, sub-linear or linear)."""
        return self.exponent <= tolerance


def growth(x: Sequence[float], y: Sequence[float]) -> Growth:
    """Fit a line and a power law through the points (needs two distinct positive x and positive y)."""
    import numpy as np

    xs, ys = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    slope, intercept = np.polyfit(xs, ys, 1)
    residual = float(((ys - (intercept + slope * xs)) ** 2).sum())
    total = float(((ys - ys.mean()) ** 2).sum())
    r2 = 1.0 - residual / total if total > 0 else 1.0
    exponent = float(np.polyfit(np.log(xs), np.log(np.maximum(ys, 1e-12)), 1)[0])
    return Growth(float(slope), float(intercept), r2, exponent)


def machine() -> dict[str, Any]:
    """The machine and software the figures were measured on."""
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpus": os.cpu_count(),
        "memory_gib": round(memory, 1),
        "load_average_1m": round(os.getloadavg()[0], 2),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }
