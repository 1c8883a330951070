"""L1 cache of a k1b core: geometry and a set-associative hit/miss engine.

Each MPPA-256 core has private L1 instruction and data caches (8 KiB with
64 B lines on a compute cluster). The engine replays a precomputed trace of
line addresses through the sets and ways in a compiled loop and counts hits
and misses exactly; it keeps its tag state between calls so consecutive code
paths see each other's footprint.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from numba import njit

from nanvix_exp.config.errors import SpecError
from nanvix_exp.quantities import Bytes, is_power_of_two


class Replacement(StrEnum):
    """Victim choice within a set."""

    LRU = "lru"


class WritePolicy(StrEnum):
    """What a store does to the cache."""

    WRITE_THROUGH = "write_through"


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

    def __init__(self, spec: CacheSpec) -> None:
        self.spec = spec
        self._line_shift = spec.line.bit_length() - 1
        self._tags = np.full((spec.sets, spec.ways), -1, dtype=np.int64)
        self._stamp = np.zeros((spec.sets, spec.ways), dtype=np.int64)
        self._clock = np.zeros(1, dtype=np.int64)
        self.hits = 0
        self.misses = 0

    def access(self, addresses: np.ndarray) -> np.ndarray:
        """Replay byte addresses in order; returns a boolean array, True where the access missed."""
        lines = np.asarray(addresses, dtype=np.int64) >> self._line_shift
        missed = _replay_lru(lines, self._tags, self._stamp, self._clock)
        misses = int(missed.sum())
        self.misses += misses
        self.hits += len(lines) - misses
        return missed

    def invalidate(self) -> None:
        """Drop every line (the k1b ``dinval``/``iinval``)."""
        self._tags.fill(-1)


@njit(cache=True)
def _replay_lru(lines: np.ndarray, tags: np.ndarray, stamp: np.ndarray, clock: np.ndarray) -> np.ndarray:
    sets, ways = tags.shape
    missed = np.zeros(lines.shape[0], dtype=np.bool_)
    now = clock[0]
    for i in range(lines.shape[0]):
        line = lines[i]
        row = line & (sets - 1)
        now += 1
        hit = False
        for way in range(ways):
            if tags[row, way] == line:
                stamp[row, way] = now
                hit = True
                break
        if hit:
            continue
        missed[i] = True
        victim = 0
        for way in range(ways):
            if tags[row, way] == -1:
                victim = way
                break
            if stamp[row, way] < stamp[row, victim]:
                victim = way
        tags[row, victim] = line
        stamp[row, victim] = now
    clock[0] = now
    return missed
