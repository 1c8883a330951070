"""The Nanvix fork-join micro-benchmark (nanvix/benchmarks ``fork-join/main.c``; reference §1.2).

One user thread creates N threads whose body returns at once, then joins
them, for each N in ``threads``; ``warmup`` iterations are discarded and
``iterations`` are kept per N. As on the real board, the counters are the
master core's (``kstats`` is forwarded to core 0) over the fork loop and over
the join loop. The cluster, kernel layout and code paths are simulated by
``kernel/fork_join_model.py``; run-to-run variability comes from the seeded
timer phase, the wake-up phases of notified cores and the cache state the
result print leaves between iterations; ``cache_states`` kept iterations per
N are replayed through the caches and the others reuse them (the warm cache
state repeats up to that pollution) with their own timer and wake-up phases.

Metrics, with ``step = N``: ``fork_ms``, ``join_ms`` and ``fork_<c>`` /
``join_<c>`` for the seven k1b counters ``c`` (cycles and stall cycles).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nanvix_exp.errors import SpecError
from nanvix_exp.hardware.core import COUNTERS
from nanvix_exp.hardware.platform import HardwareSpec
from nanvix_exp.kernel.fork_join_model import ForkJoinModel, time_sweep
from nanvix_exp.kernel.spec import KernelSpec
from nanvix_exp.progress import Progress
from nanvix_exp.samples import SampleSet
from nanvix_exp.system import System
from nanvix_exp.workloads.base import Workload, check_repetitions
from nanvix_exp.workloads.registration import Metric, Registration


@dataclass(frozen=True)
class ForkJoinSpec:
    """Thread counts to sweep and how many iterations to keep per count."""

    name: str
    threads: tuple[int, ...]
    iterations: int
    warmup: int
    cache_states: int

    def __post_init__(self) -> None:
        check_repetitions(self.iterations, self.warmup)
        if self.cache_states < 1:
            raise SpecError("cache_states", self.cache_states, "at least 1 cache replay per N")
        if not self.threads:
            raise SpecError("threads", list(self.threads), "a non-empty list of thread counts, e.g. [1,2,4]")

    def check(self, hardware: HardwareSpec, kernel: KernelSpec) -> None:
        """Every N must leave room for the main thread within THREAD_MAX."""
        limit = kernel.thread_max - 1
        for n in self.threads:
            if not 1 <= n <= limit:
                raise SpecError("threads", n, f"thread counts 1..{limit} (THREAD_MAX-1 = kernel.thread_max-1)")


def fork_join_samples(timed: dict[int, tuple[np.ndarray, np.ndarray]], clock: float) -> SampleSet:
    """The metric contract from master-core counters per N."""
    samples = SampleSet()
    for n, (fork, join) in timed.items():
        for op, values in (("fork", fork), ("join", join)):
            samples.add(f"{op}_ms", "ms", values[:, 0] / clock * 1e3, step=n)
            for c, counter in enumerate(COUNTERS):
                samples.add(f"{op}_{counter}", "cycles", values[:, c], step=n)
    return samples


class ForkJoin(Workload[ForkJoinSpec]):
    """Create N threads, join them, for every N."""

    spec_type = ForkJoinSpec

    def run(self, system: System, seed: np.random.SeedSequence, progress: Progress) -> SampleSet:
        spec, hardware = self.spec, system.hardware
        root = int(seed.generate_state(1)[0])
        model = ForkJoinModel(hardware, system.kernel, root)
        rng = np.random.default_rng(root)
        replayed = {
            n: model.repeat(n, rng, spec.warmup, spec.iterations, spec.cache_states)
            for n in progress.track(spec.threads, total=len(spec.threads), description="fork_join N")
        }
        return fork_join_samples(time_sweep(replayed, hardware), hardware.clock)


REGISTRATION = Registration(
    name="fork_join",
    workload=ForkJoin,
    metrics=(
        *(Metric(f"{op}_ms", "ms", f"master-core time of the {op} loop") for op in ("fork", "join")),
        *(
            Metric(f"{op}_{counter}", "cycles", f"master-core k1b {counter} over the {op} loop", "counters")
            for op in ("fork", "join")
            for counter in COUNTERS
        ),
    ),
    step="number of threads N",
    view="nanvix_exp.analysis.views.fork_join",
)
