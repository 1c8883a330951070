"""The L1 cache engine agrees exactly with pycachesim (test-only oracle) and behaves like a cache."""

import numpy as np
import pytest

from nanvix_exp.hardware.cache import Cache, CacheSpec, Replacement, WritePolicy

cachesim = pytest.importorskip("cachesim")

POLICY = {Replacement.LRU: "LRU", Replacement.FIFO: "FIFO"}


def oracle(spec: CacheSpec):
    memory = cachesim.MainMemory()
    write_back = spec.write_policy is WritePolicy.WRITE_BACK
    level = cachesim.Cache(
        "L1",
        spec.sets,
        spec.ways,
        spec.line,
        POLICY[spec.replacement],
        write_back=write_back,
        write_allocate=write_back,
    )
    memory.load_to(level)
    memory.store_from(level)
    return cachesim.CacheSimulator(level, memory), level


def trace(seed: int, n: int = 20_000) -> tuple[np.ndarray, np.ndarray]:
    """A mix of a hot working set, strided scans and random far accesses, 30 % stores."""
    rng = np.random.default_rng(seed)
    hot = rng.integers(0, 6 * 1024, n)
    scan = (np.arange(n) * 68) % (48 * 1024)
    far = rng.integers(0, 1 << 20, n)
    pick = rng.integers(0, 3, n)
    addresses = np.where(pick == 0, hot, np.where(pick == 1, scan, far)).astype(np.int64)
    return addresses, rng.random(n) < 0.3


GEOMETRIES = [
    (8192, 2, 64, Replacement.LRU, WritePolicy.WRITE_THROUGH),
    (8192, 2, 64, Replacement.FIFO, WritePolicy.WRITE_THROUGH),
    (8192, 4, 32, Replacement.LRU, WritePolicy.WRITE_BACK),
    (4096, 1, 64, Replacement.LRU, WritePolicy.WRITE_THROUGH),
    (16384, 8, 128, Replacement.FIFO, WritePolicy.WRITE_BACK),
    (2048, 32, 64, Replacement.LRU, WritePolicy.WRITE_BACK),
]


@pytest.mark.parametrize(("size", "ways", "line", "replacement", "write"), GEOMETRIES)
def test_load_misses_equal_pycachesim(size, ways, line, replacement, write):
    spec = CacheSpec(size, ways, line, replacement, write)
    addresses, stores = trace(size + ways + line)
    simulator, level = oracle(spec)
    for address, store in zip(addresses.tolist(), stores.tolist(), strict=True):
        (simulator.store if store else simulator.load)(address)
    ours = Cache(spec)
    half = len(addresses) // 2  # two calls: state must persist between them
    ours.access(addresses[:half], stores[:half])
    ours.access(addresses[half:], stores[half:])
    stats = level.stats()
    allocating_store_misses = ours.store_misses if write is WritePolicy.WRITE_BACK else 0  # loads of the line
    assert ours.misses + allocating_store_misses == stats["MISS_count"] and ours.hits == stats["HIT_count"]
    assert ours.misses > 1000  # the trace really exercises replacement


def test_load_only_batch_path_equals_pycachesim():
    spec = CacheSpec(8192, 2, 64, Replacement.LRU, WritePolicy.WRITE_THROUGH)
    addresses, _ = trace(7, 50_000)
    simulator, level = oracle(spec)
    simulator.load(addresses.tolist())
    ours = Cache(spec)
    missed = ours.access(addresses)
    assert int(missed.sum()) == level.stats()["MISS_count"]


def test_write_through_stores_never_allocate_write_back_stores_do():
    through = Cache(CacheSpec(8192, 2, 64, Replacement.LRU, WritePolicy.WRITE_THROUGH))
    back = Cache(CacheSpec(8192, 2, 64, Replacement.LRU, WritePolicy.WRITE_BACK))
    page = np.arange(0, 4096, 4, dtype=np.int64)
    for cache in (through, back):
        cache.access(page, np.ones(page.size, bool))
        cache.access(page)
    assert through.misses == 64 and back.misses == 0
    back.invalidate()
    assert back.writebacks == 64 and through.writebacks == 0


def test_invalidate_drops_every_line_and_random_replacement_is_seeded():
    spec = CacheSpec(8192, 2, 64, Replacement.RANDOM, WritePolicy.WRITE_THROUGH)
    addresses, _ = trace(3)
    runs = [Cache(spec, seed=s) for s in (1, 1, 2)]
    for cache in runs:
        cache.access(addresses)
    assert runs[0].misses == runs[1].misses != runs[2].misses
    warm = Cache(spec)
    warm.access(np.arange(0, 8192, 64))
    warm.invalidate()
    assert warm.access(np.arange(0, 8192, 64)).all()


@pytest.mark.parametrize("replacement", [Replacement.LRU, Replacement.FIFO])
def test_load_batch_fast_path_equals_the_general_engine_across_invalidations(replacement):
    spec = CacheSpec(4096, 4, 64, replacement, WritePolicy.WRITE_THROUGH)
    addresses, _ = trace(11, 30_000)
    fast, general = Cache(spec), Cache(spec)
    no_stores = np.zeros(10_000, dtype=bool)
    for part in np.split(addresses, 3):
        fast.access(part)
        general.access(part, no_stores)  # the store-aware path of the same engine
        fast.invalidate()
        general.invalidate()
        fast.access(part[:500])
        general.access(part[:500], no_stores[:500])
    assert fast.misses == general.misses and fast.hits == general.hits
