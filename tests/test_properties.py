"""Properties that hold for every valid configuration, searched with hypothesis.

The real ``conf/`` is composed by Hydra with random valid overrides (cache
geometry, cores, clock, kernel, each workload's parameters, seed) and the
workload is run in-process: it must never raise and must give finite samples.
The cache engine must never count more misses than accesses, and, being LRU,
a larger fully-associative cache never misses on a trace where a smaller one
hits (the LRU stack inclusion property).
"""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

from nanvix_exp.config.errors import ConfigError
from nanvix_exp.config.load import load_settings
from nanvix_exp.hardware.cache import Cache, CacheSpec, Replacement, WritePolicy
from nanvix_exp.progress import progress_for
from nanvix_exp.system import System
from tests.conftest import compose_config

KIB = 1024
CLUSTERS = [f"ccluster{i}" for i in range(4)]  # hardware=tiny: a 2x2 torus


@st.composite
def cache_overrides(draw, which: str) -> list[str]:
    line = draw(st.sampled_from([16, 32, 64, 128]))
    size = draw(st.sampled_from([1, 2, 4, 8, 16, 32])) * KIB
    lines = size // line
    ways = draw(st.sampled_from([w for w in (1, 2, 4, 8, 16, lines) if w <= lines]))
    prefix = f"hardware.cluster.{which}"
    return [f"{prefix}.size={size}", f"{prefix}.line={line}", f"{prefix}.ways={ways}"]


@st.composite
def valid_overrides(draw) -> list[str]:
    """A random valid experiment on the small chip, kept to a few iterations."""
    overrides = ["hardware=tiny", "progress=never", f"seed={draw(st.integers(0, 2**32 - 1))}"]
    overrides += [f"kernel={draw(st.sampled_from(['baseline', 'uarea']))}"]
    overrides += draw(cache_overrides("dcache")) + draw(cache_overrides("icache"))
    overrides += [f"hardware.cluster.cores={draw(st.integers(2, 64))}"]
    overrides += [f"hardware.clock={draw(st.integers(1, 2000))} MHz"]
    workload = draw(st.sampled_from(["fork_join", "ikc", "migration"]))
    overrides += [f"workload={workload}"]
    if workload == "fork_join":
        threads = draw(st.lists(st.integers(1, 17), min_size=1, max_size=3, unique=True))
        overrides += [f"workload.threads=[{','.join(map(str, sorted(threads)))}]"]
        overrides += [f"workload.iterations={draw(st.integers(1, 3))}", f"workload.warmup={draw(st.integers(0, 2))}"]
    elif workload == "ikc":
        primitive = draw(st.sampled_from(["mailbox", "portal"]))
        limit = 128 if primitive == "mailbox" else 1024 * KIB
        overrides += [f"workload.primitive={primitive}", f"workload.buffer={draw(st.integers(1, limit))}"]
        pattern = draw(st.sampled_from(["broadcast", "scatter", "gather", "pingpong", "allgather"]))
        overrides += [f"workload.pattern={pattern}", f"workload.clusters={draw(st.integers(1, 4))}"]
        overrides += [f"workload.iterations={draw(st.integers(1, 3))}", f"workload.warmup={draw(st.integers(0, 2))}"]
    else:
        source, destination = draw(st.permutations(CLUSTERS))[:2]
        overrides += [f"workload.source={source}", f"workload.destination={destination}"]
        overrides += [f"workload.protocol={draw(st.sampled_from(['erad2022', 'daemon']))}"]
        overrides += [f"workload.strategy={draw(st.sampled_from(['stop_and_copy', 'pre_copy']))}"]
        overrides += [f"workload.image={draw(st.integers(1, 1024 * KIB))}", f"workload.pages={draw(st.integers(0, 8))}"]
        overrides += [
            f"workload.threads={draw(st.integers(1, 16))}",
            f"workload.replications={draw(st.integers(1, 3))}",
        ]
        overrides += [f"workload.skip_sections={draw(st.booleans())}"]
    return overrides


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_overrides())
def test_simulation_never_raises_on_a_valid_config(overrides):
    try:
        experiment = load_settings(compose_config(overrides))
    except ConfigError:  # a combination a model rejects (e.g. a limit added by a later model): not this property
        reject()
    system = System(experiment.hardware, experiment.kernel)
    with progress_for("never") as progress:
        samples = experiment.workload.run(system, np.random.SeedSequence(experiment.seed), progress)
    frame = samples.frame()
    assert frame.height > 0
    assert frame["value"].is_finite().all(), frame


def fully_associative(size: int, line: int = 64) -> CacheSpec:
    return CacheSpec(size, size // line, line, Replacement.LRU, WritePolicy.WRITE_THROUGH)


traces = st.lists(st.integers(0, 64 * 256 - 1), min_size=1, max_size=2000).map(lambda a: np.array(a, dtype=np.int64))


@settings(max_examples=60, deadline=None)
@given(st.data(), traces)
def test_misses_never_exceed_accesses(data, trace):
    line = data.draw(st.sampled_from([16, 32, 64, 128]))
    size = data.draw(st.sampled_from([1, 2, 4, 8, 16])) * KIB
    lines = size // line
    ways = data.draw(st.sampled_from([w for w in (1, 2, 4, 8, lines) if w <= lines]))
    cache = Cache(CacheSpec(size, ways, line, Replacement.LRU, WritePolicy.WRITE_THROUGH))
    missed = cache.access(trace)
    assert 0 <= cache.misses <= len(trace)
    assert cache.misses == int(missed.sum()) and cache.hits + cache.misses == len(trace)
    first_touches = len(np.unique(trace >> (line.bit_length() - 1)))
    assert cache.misses >= first_touches  # every distinct line misses once, at least


@settings(max_examples=60, deadline=None)
@given(traces, st.sampled_from([1, 2, 4, 8]), st.sampled_from([2, 4, 8]))
def test_a_larger_fully_associative_lru_cache_never_misses_more(trace, small_kib, factor):
    small = Cache(fully_associative(small_kib * KIB))
    large = Cache(fully_associative(small_kib * KIB * factor))
    missed_small = small.access(trace)
    missed_large = large.access(trace)
    assert large.misses <= small.misses
    assert not (missed_large & ~missed_small).any()  # inclusion: whatever hits in the small one hits in the large
