"""The Nanvix fork-join micro-benchmark (nanvix/benchmarks ``fork-join/main.c``).

One user thread creates N threads whose body returns at once, then joins
them, for each N in ``threads``; ``warmup`` iterations are discarded and
``iterations`` are kept per N.

PLACEHOLDER until the thread-subsystem model lands: each iteration replays a
seeded random address trace over N pages through the configured L1 D$ and
reports the misses as ``placeholder_trace_dcache_misses``. It exercises the
config, cache engine and tracking path end to end; it is not Figure 3.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nanvix_exp.config.errors import SpecError
from nanvix_exp.hardware.cache import Cache
from nanvix_exp.hardware.platform import HardwareSpec
from nanvix_exp.kernel.spec import KernelSpec
from nanvix_exp.progress import Progress
from nanvix_exp.samples import SampleSet
from nanvix_exp.system import System
from nanvix_exp.workloads.base import Workload, check_repetitions


@dataclass(frozen=True)
class ForkJoinSpec:
    """Thread counts to sweep and how many iterations to keep per count."""

    name: str
    threads: tuple[int, ...]
    iterations: int
    warmup: int

    def __post_init__(self) -> None:
        check_repetitions(self.iterations, self.warmup)
        if not self.threads:
            raise SpecError("threads", list(self.threads), "a non-empty list of thread counts, e.g. [1,2,4]")

    def check(self, hardware: HardwareSpec, kernel: KernelSpec) -> None:
        """Every N must leave room for the main thread within THREAD_MAX."""
        limit = kernel.thread_max - 1
        for n in self.threads:
            if not 1 <= n <= limit:
                raise SpecError("threads", n, f"thread counts 1..{limit} (THREAD_MAX-1 = kernel.thread_max-1)")


class ForkJoin(Workload[ForkJoinSpec]):
    """Create N threads, join them, for every N."""

    spec_type = ForkJoinSpec

    def run(self, system: System, seed: np.random.SeedSequence, progress: Progress) -> SampleSet:
        samples = SampleSet()
        rng = np.random.default_rng(seed)
        page = system.kernel.page_size
        for n in progress.track(self.spec.threads, total=len(self.spec.threads), description="fork_join N"):
            misses = np.empty(self.spec.iterations)
            for it in range(self.spec.warmup + self.spec.iterations):
                cache = Cache(system.hardware.cluster.dcache)
                cache.access(rng.integers(0, n * page, size=256 * n))
                if it >= self.spec.warmup:
                    misses[it - self.spec.warmup] = cache.misses
            samples.add("placeholder_trace_dcache_misses", "count", misses, step=n)
        return samples
