"""Child process of the scaling benchmark: time one workload's simulation, without tracking.

``python -m benchmarks.sim_job REPEATS WARMUP override ...`` composes the real
``conf/`` with the overrides, validates it, builds the system and runs the
workload ``WARMUP`` untimed and ``REPEATS`` timed times (same seed), then
prints the timings as JSON on the last stdout line. The parent measures this
process's wall time and peak memory.
"""

from __future__ import annotations

import json
import sys
import time

import numpy as np


def settings_for(overrides: list[str]):  # noqa: ANN201 - Settings, imported lazily
    """Validated settings of the real config tree composed with ``overrides``."""
    from nanvix_exp.config.compose import load

    return load(overrides)


def simulate(overrides: list[str], repeats: int, warmup: int) -> dict[str, object]:
    """Seconds per simulation of the configured workload, and the sample count it produced."""
    from nanvix_exp.progress import Silent
    from nanvix_exp.system import System

    settings = settings_for(overrides)
    system = System(settings.hardware, settings.kernel)
    seconds: list[float] = []
    rows = 0
    for index in range(warmup + repeats):
        started = time.perf_counter()
        samples = settings.workload.run(system, np.random.SeedSequence(settings.seed), Silent())
        elapsed = time.perf_counter() - started
        if index >= warmup:
            seconds.append(elapsed)
        rows = len(samples)
    return {"sim_s": seconds, "samples": rows}


def main(argv: list[str]) -> int:
    repeats, warmup, *overrides = argv
    print(json.dumps(simulate(overrides, int(repeats), int(warmup))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
