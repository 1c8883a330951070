"""Cache engine throughput against pycachesim on the same trace, with exact miss agreement.

The trace is 5 M byte addresses (seeded): blocks of 256 alternate between a
sequential walk of 4-byte words from a random base and uniform random words
over 1 MiB. Both simulators model an 8 KiB, 2-way, LRU, 64 B-line cache from
cold; pycachesim runs in its batch mode (one ``load`` call over the whole
trace, given the Python list it iterates fastest, also timed on the NumPy
array). The two are timed alternately in the same process and their miss
counts must agree on every repeat.
"""

from __future__ import annotations

import numpy as np

from benchmarks.measure import Options, Result, median, timed

NAME = "cache_engine"
ACCESSES = 5_000_000
BLOCK = 256
GEOMETRY = ["hardware.cluster.dcache.size=8KiB", "hardware.cluster.dcache.ways=2", "hardware.cluster.dcache.line=64B"]
TARGET_RATIO = 3.0


def mixed_trace(accesses: int, seed: int = 2022) -> np.ndarray:
    """Byte addresses: alternating blocks of sequential words and random words over 1 MiB."""
    rng = np.random.default_rng(seed)
    blocks = -(-accesses // BLOCK)
    bases = rng.integers(0, 1 << 20, size=blocks) & ~3
    sequential = bases[:, None] + 4 * np.arange(BLOCK)[None, :]
    random = rng.integers(0, 1 << 18, size=(blocks, BLOCK)) * 4
    trace = np.where((np.arange(blocks) % 2 == 0)[:, None], sequential, random)
    return trace.reshape(-1)[:accesses].astype(np.int64)


def _pycachesim(sets: int, ways: int, line: int) -> tuple[object, object]:
    from cachesim import Cache, CacheSimulator, MainMemory

    memory = MainMemory()
    level = Cache("L1", sets, ways, line, "LRU")
    memory.load_to(level)
    memory.store_from(level)
    return CacheSimulator(level, memory), level


def run(options: Options) -> Result:
    from benchmarks.sim_job import settings_for
    from nanvix_exp.hardware.cache import Cache

    result = Result(NAME)
    spec = settings_for(GEOMETRY).hardware.cluster.dcache
    accesses = ACCESSES // 5 if options.quick else ACCESSES
    trace = mixed_trace(accesses)
    as_list = trace.tolist()
    Cache(spec).access(trace[:1000])  # load the compiled loop before timing

    ours: list[float] = []
    theirs: list[float] = []
    theirs_array: list[float] = []
    misses: dict[str, int] = {}
    for _ in range(options.repeats):
        cache = Cache(spec)
        ours.append(timed(lambda c=cache: c.access(trace)))
        simulator, level = _pycachesim(spec.sets, spec.ways, spec.line)
        theirs.append(timed(lambda s=simulator: s.load(as_list)))
        simulator_array, level_array = _pycachesim(spec.sets, spec.ways, spec.line)
        theirs_array.append(timed(lambda s=simulator_array: s.load(trace)))
        misses = {
            "nanvix_exp": int(cache.misses),
            "pycachesim": int(level.backend.MISS_count),
            "pycachesim_array": int(level_array.backend.MISS_count),
        }
        assert len(set(misses.values())) == 1, f"miss counts disagree on the same trace: {misses}"

    rate, rate_theirs, rate_array = (accesses / median(t) for t in (ours, theirs, theirs_array))
    ratio = rate / rate_theirs
    result.add("nanvix-exp cache engine", rate / 1e6, "M acc/s")
    result.add("pycachesim (list input)", rate_theirs / 1e6, "M acc/s")
    result.add("pycachesim (ndarray input)", rate_array / 1e6, "M acc/s")
    result.add(
        "engine / pycachesim (list)",
        ratio,
        "x",
        f">= {TARGET_RATIO:g}x",
        ratio >= TARGET_RATIO,
        f"vs ndarray input {rate / rate_array:.2f}x",
    )
    result.add("misses (all agree)", misses["nanvix_exp"], "count", note=f"of {accesses} accesses")
    result.data = {
        "accesses": accesses,
        "geometry": {"size": spec.size, "ways": spec.ways, "line": spec.line, "sets": spec.sets},
        "seconds": {"nanvix_exp": ours, "pycachesim_list": theirs, "pycachesim_ndarray": theirs_array},
        "misses": misses,
    }
    return result
