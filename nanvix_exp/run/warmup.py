"""Compile and cache the simulation kernels ahead of the first run (``just setup`` calls it).

Runs every registered workload once with its default config, without
recording anything, so numba compiles its cached functions for the argument
types a real run uses and stores them on disk. ``python -m nanvix_exp.run.warmup``.
"""

from __future__ import annotations

import sys
import time


def warm() -> list[str]:
    """Simulate each registered workload once with its default config; returns the workloads run."""
    import numpy as np

    from nanvix_exp.config.compose import load
    from nanvix_exp.progress import Silent
    from nanvix_exp.system import System
    from nanvix_exp.workloads.catalog import registrations

    names = list(registrations())
    for name in names:
        settings = load([f"workload={name}"])
        settings.workload.run(System(settings.hardware, settings.kernel), np.random.SeedSequence(0), Silent())
    return names


def main() -> int:
    """Warm the cache and say how long it took."""
    started = time.perf_counter()
    names = warm()
    print(f"simulation kernels compiled and cached ({', '.join(names)}) in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
