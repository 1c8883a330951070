"""L1 cache of a k1b core: geometry, policies and a set-associative hit/miss engine.

Each MPPA-256 core has private L1 instruction and data caches (8 KiB with
64 B lines on a compute cluster). The engine replays a precomputed trace of
byte addresses (loads and stores) through the sets and ways in a compiled
loop and counts hits and misses exactly; it keeps its tag state between calls
so consecutive code paths see each other's footprint.

Replacement: ``lru`` (least recently used), ``fifo`` (oldest fill) or
``random`` (a seeded xorshift stream, so a seed fixes the victims). Writes:
``write_through`` (a store updates a present line and never allocates; the
k1b D$ as Nanvix maps it) or ``write_back`` (a store allocates and dirties the
line; dirty victims are counted as write-backs). Only loads refresh the LRU
order. ``invalidate`` drops every line, like the k1b ``dinval``/``iinval``.
Hits and misses are counted for loads; store misses are counted separately
(together they are pycachesim's counts, the test oracle).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from numba import njit

from nanvix_exp.errors import SpecError
from nanvix_exp.quantities import Bytes, is_power_of_two


class Replacement(StrEnum):
    """Victim choice within a set."""

    LRU = "lru"
    FIFO = "fifo"
    RANDOM = "random"


class WritePolicy(StrEnum):
    """What a store does to the cache."""

    WRITE_THROUGH = "write_through"
    WRITE_BACK = "write_back"


REPLACEMENT_CODE = {Replacement.LRU: 0, Replacement.FIFO: 1, Replacement.RANDOM: 2}

# Layout of the small int64 state vector every compiled routine shares.
CLOCK, RNG, POLICY, WRITE_BACK, WRITEBACKS, STORE_MISSES = range(6)
META_SIZE = 6


@dataclass(frozen=True)
class CacheSpec:
    """Geometry and policies of one L1 cache."""

    size: Bytes
    ways: int
    line: Bytes
    replacement: Replacement
    write_policy: WritePolicy

    def __post_init__(self) -> None:
        if not is_power_of_two(self.size):
            raise SpecError("size", self.size, "a power of two number of bytes, e.g. '8 KiB'")
        if not is_power_of_two(self.line):
            raise SpecError("line", self.line, "a power of two number of bytes, e.g. '64 B'")
        if self.line > self.size:
            raise SpecError("line", self.line, f"at most the cache size ({self.size} B)")
        lines = self.size // self.line
        if self.ways < 1 or lines % self.ways or not is_power_of_two(lines // self.ways):
            choices = ", ".join(str(w) for w in _ways_choices(lines))
            raise SpecError("ways", self.ways, f"a way count giving a power-of-two number of sets: {choices}")

    @property
    def sets(self) -> int:
        """Number of sets (size / line / ways)."""
        return self.size // (self.line * self.ways)


def _ways_choices(lines: int) -> list[int]:
    return [w for w in range(1, lines + 1) if lines % w == 0 and is_power_of_two(lines // w)]


class Cache:
    """Tag state of one cache plus exact hit/miss counters."""

    def __init__(self, spec: CacheSpec, seed: int = 0) -> None:
        self.spec = spec
        self.line_shift = spec.line.bit_length() - 1
        self.tags = np.full((spec.sets, spec.ways), -1, dtype=np.int64)
        self.stamp = np.zeros((spec.sets, spec.ways), dtype=np.int64)
        self.dirty = np.zeros((spec.sets, spec.ways), dtype=np.bool_)
        self.meta = np.zeros(META_SIZE, dtype=np.int64)
        self.meta[RNG] = (seed * 0x9E3779B97F4A7C15 + 0x2545F4914F6CDD1D) & 0x7FFFFFFFFFFFFFFF or 1
        self.meta[POLICY] = REPLACEMENT_CODE[spec.replacement]
        self.meta[WRITE_BACK] = int(spec.write_policy is WritePolicy.WRITE_BACK)
        self.hits = 0
        self.misses = 0

    @property
    def writebacks(self) -> int:
        """Dirty lines written back on eviction (write-back caches only)."""
        return int(self.meta[WRITEBACKS])

    @property
    def store_misses(self) -> int:
        """Stores whose line was not present."""
        return int(self.meta[STORE_MISSES])

    def access(self, addresses: np.ndarray, stores: np.ndarray | None = None) -> np.ndarray:
        """Replay byte addresses in order (``stores`` marks writes); True where a load missed."""
        lines = np.asarray(addresses, dtype=np.int64) >> self.line_shift
        if stores is None and self.spec.replacement is not Replacement.RANDOM:
            missed = _replay_loads_ordered(lines, self.tags, self.stamp, self.meta)
            loads = len(lines)
        elif stores is None:
            missed = _replay_loads(lines, self.tags, self.stamp, self.dirty, self.meta)
            loads = len(lines)
        else:
            is_store = np.asarray(stores, dtype=np.bool_)
            missed = _replay(lines, is_store, self.tags, self.stamp, self.dirty, self.meta)
            loads = len(lines) - int(is_store.sum())
        misses = int(missed.sum())
        self.misses += misses
        self.hits += loads - misses
        return missed

    def invalidate(self) -> None:
        """Drop every line (the k1b ``dinval``/``iinval``); dirty lines are written back first."""
        self.meta[WRITEBACKS] += int(self.dirty.sum())
        invalidate(self.tags, self.stamp, self.dirty)


@njit(cache=True)
def lookup(
    tags: np.ndarray,
    stamp: np.ndarray,
    dirty: np.ndarray,
    meta: np.ndarray,
    line: int,
    store: bool,
    now: int,
    policy: int,
    write_back: int,
) -> bool:
    """One access to ``line`` at time ``now`` (increasing); updates the set and returns True on a miss.

    Callers read ``meta`` once: they pass ``clock + i`` for their i-th access (and store the clock back),
    ``meta[POLICY]`` and ``meta[WRITE_BACK]``.
    """
    sets, ways = tags.shape
    row = line & (sets - 1)
    for way in range(ways):
        if tags[row, way] == line:
            if policy == 0 and not store:
                stamp[row, way] = now
            if store and write_back == 1:
                dirty[row, way] = True
            return False
    if store:
        meta[STORE_MISSES] += 1
        if write_back == 0:
            return True
    victim = -1
    for way in range(ways):
        if tags[row, way] == -1:
            victim = way
            break
    if victim < 0:
        if policy == 2:
            victim = random_way(meta, ways)
        else:
            victim = 0
            for way in range(1, ways):
                if stamp[row, way] < stamp[row, victim]:
                    victim = way
    if write_back == 1:
        if dirty[row, victim]:
            meta[WRITEBACKS] += 1
        dirty[row, victim] = store
    tags[row, victim] = line
    stamp[row, victim] = now
    return True


@njit(cache=True, inline="never")
def random_way(meta: np.ndarray, ways: int) -> int:
    """Next way of the seeded xorshift stream kept in ``meta[RNG]``."""
    x = meta[RNG]
    x ^= (x << 13) & 0x7FFFFFFFFFFFFFFF
    x ^= x >> 7
    x ^= (x << 17) & 0x7FFFFFFFFFFFFFFF
    meta[RNG] = x
    return x % ways


@njit(cache=True)
def invalidate(tags: np.ndarray, stamp: np.ndarray, dirty: np.ndarray) -> None:
    """Every way of every set empty (stamp 0: chosen before any filled way) and clean."""
    tags.fill(-1)
    stamp.fill(0)
    dirty.fill(False)


@njit(cache=True)
def _replay_loads(
    lines: np.ndarray, tags: np.ndarray, stamp: np.ndarray, dirty: np.ndarray, meta: np.ndarray
) -> np.ndarray:
    missed = np.zeros(lines.shape[0], dtype=np.bool_)
    clock, policy, write_back = meta[CLOCK] + 1, meta[POLICY], meta[WRITE_BACK]
    for i in range(lines.shape[0]):
        missed[i] = lookup(tags, stamp, dirty, meta, lines[i], False, clock + i, policy, write_back)
    meta[CLOCK] = clock + lines.shape[0]
    return missed


@njit(cache=True)
def _replay_loads_ordered(lines: np.ndarray, tags: np.ndarray, stamp: np.ndarray, meta: np.ndarray) -> np.ndarray:
    """Loads only, LRU or FIFO: the batch fast path (loads never dirty a line, no random victims)."""
    sets, ways = tags.shape
    mask = sets - 1
    lru = meta[POLICY] == 0
    now = meta[CLOCK]
    missed = np.zeros(lines.shape[0], dtype=np.bool_)
    for i in range(lines.shape[0]):
        line = lines[i]
        row = line & mask
        now += 1
        hit = False
        for way in range(ways):
            if tags[row, way] == line:
                if lru:
                    stamp[row, way] = now
                hit = True
                break
        if hit:
            continue
        missed[i] = True
        victim = 0
        for way in range(ways):  # an empty way first (stamp 0 = never filled), else the oldest stamp
            if stamp[row, way] < stamp[row, victim]:
                victim = way
        tags[row, victim] = line
        stamp[row, victim] = now
    meta[CLOCK] = now
    return missed


@njit(cache=True)
def _replay(
    lines: np.ndarray, stores: np.ndarray, tags: np.ndarray, stamp: np.ndarray, dirty: np.ndarray, meta: np.ndarray
) -> np.ndarray:
    missed = np.zeros(lines.shape[0], dtype=np.bool_)
    clock, policy, write_back = meta[CLOCK] + 1, meta[POLICY], meta[WRITE_BACK]
    for i in range(lines.shape[0]):
        miss = lookup(tags, stamp, dirty, meta, lines[i], stores[i], clock + i, policy, write_back)
        missed[i] = miss and not stores[i]
    meta[CLOCK] = clock + lines.shape[0]
    return missed
