"""Monotonic properties of the timing models, searched with hypothesis over valid configs.

Contracts of the thread model (issue 3: metric ``fork_cycles`` at step N) and
of the migration model (issue 4: metric ``migration_ms``): creating more
threads never makes the fork loop cheaper, and migrating a larger process
image never makes the migration faster. Compared on means over iterations /
replications, with everything else (hardware, kernel, seed) held equal; for the
migration, whose random waits are drawn per chunk, "faster" means faster by
more than the 95 % sampling noise of the two means (hypothesis found same-seed
means 0.08 ms apart the wrong way for 8018 B vs 8348 B, one chunk apart).
"""

from __future__ import annotations

import math

import numpy as np
import polars as pl
from hypothesis import Phase, example, given, settings
from hypothesis import strategies as st
from scipy import stats

from nanvix_exp.config.load import load_settings
from nanvix_exp.progress import progress_for
from nanvix_exp.system import System
from tests.conftest import compose_config

KIB = 1024
NO_SHRINK = (Phase.explicit, Phase.reuse, Phase.generate)
"""Each example runs a model: report the failing one as found instead of spending minutes shrinking it."""


def stats_by_step(overrides: list[str], metric: str) -> dict[int, tuple[float, float, int]]:
    """Mean, sd and count of ``metric`` per step of the workload run in-process with ``overrides``."""
    experiment = load_settings(compose_config(["progress=never", *overrides]))
    system = System(experiment.hardware, experiment.kernel)
    with progress_for("never") as progress:
        samples = experiment.workload.run(system, np.random.SeedSequence(experiment.seed), progress)
    frame = samples.frame()
    produced = set(frame["metric"])
    assert metric in produced, f"the model does not produce {metric!r} yet (it produces {sorted(produced)})"
    table = (
        frame.filter(pl.col("metric") == metric)
        .group_by("step")
        .agg(
            pl.col("value").mean().alias("mean"), pl.col("value").std().fill_null(0.0).alias("sd"), pl.len().alias("n")
        )
    )
    return {row["step"]: (row["mean"], row["sd"], row["n"]) for row in table.iter_rows(named=True)}


def mean_by_step(overrides: list[str], metric: str) -> dict[int, float]:
    """Mean of ``metric`` per step."""
    return {step: mean for step, (mean, _, _) in stats_by_step(overrides, metric).items()}


hardware = st.tuples(
    st.sampled_from(["baseline", "uarea"]),
    st.sampled_from([4, 8, 16, 32]),  # D$ KiB
    st.sampled_from([1, 2, 4]),  # D$ ways
    st.integers(0, 2**31),  # seed
)


@settings(max_examples=8, deadline=None, phases=NO_SHRINK)
@given(hardware, st.integers(2, 17))
def test_more_threads_never_make_the_fork_loop_cheaper(machine, most):
    kernel, dcache_kib, ways, seed = machine
    threads = list(range(1, most + 1))
    overrides = [
        f"kernel={kernel}",
        f"hardware.cluster.dcache.size={dcache_kib * KIB}",
        f"hardware.cluster.dcache.ways={ways}",
        f"seed={seed}",
        f"workload.threads=[{','.join(map(str, threads))}]",
        "workload.iterations=3",
        "workload.warmup=1",
    ]
    cycles = mean_by_step(["workload=fork_join", *overrides], "fork_cycles")
    assert sorted(cycles) == threads
    for n in threads[:-1]:
        assert cycles[n + 1] >= cycles[n], (n, cycles)


@settings(max_examples=8, deadline=None, phases=NO_SHRINK)
@given(
    st.integers(1, 1500 * KIB),
    st.integers(1, 256 * KIB),
    st.sampled_from(["erad2022", "daemon"]),
    st.sampled_from(["stop_and_copy", "pre_copy"]),
    st.integers(0, 2**31),
)
@example(8018, 330, "daemon", "stop_and_copy", 950)  # one chunk more, same-seed mean 0.08 ms lower
def test_more_bytes_never_make_a_migration_faster(image, more, protocol, strategy, seed):
    common = [
        "workload=migration",
        f"workload.protocol={protocol}",
        f"workload.strategy={strategy}",
        "workload.replications=20",
        f"seed={seed}",
    ]
    small = stats_by_step([*common, f"workload.image={image}"], "migration_ms")
    large = stats_by_step([*common, f"workload.image={image + more}"], "migration_ms")
    assert small.keys() == large.keys()
    for step, (mean, sd, n) in small.items():
        # the modelled waits (timer phase at each chunk) are drawn per chunk, so one more chunk shifts
        # every later draw: the means of two sizes may only differ by the sampling noise, never by more
        large_mean, large_sd, large_n = large[step]
        noise = float(stats.t.ppf(0.975, n + large_n - 2)) * math.sqrt(sd**2 / n + large_sd**2 / large_n)
        assert large_mean >= mean - noise, (image, image + more, small, large, noise)
