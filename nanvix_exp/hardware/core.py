"""A k1b processing element: instruction issue, stalls per class and the seven perf counters.

A core executes a precomputed trace of a kernel code path: instruction fetches
of code ranges (through the L1 I$ and the ITLB), bundles issued, taken
branches, load-use (RAW) dependences, loads and stores (through the L1 D$ and
the DTLB), uncached atomic accesses (``ldc`` on a spinlock or semaphore word
goes to the SRAM) and D$ invalidations (``dinval``). One compiled pass counts
the events; the timing is then linear in the per-class penalties:

    cycles = bundles + Σ_class events_class × penalty_class

and the k1b performance events of Figure 3 (cycles, D$-miss, I$-miss,
branch-taken, RAW, ITLB and DTLB stall cycles) are read off the same counts.
Keeping the event counts separate from the penalties lets the calibration
re-time a replay without re-running the caches.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit

from nanvix_exp.errors import SpecError
from nanvix_exp.hardware.cache import (
    CLOCK,
    POLICY,
    WRITE_BACK,
    Cache,
    CacheSpec,
    Replacement,
    WritePolicy,
    invalidate,
    lookup,
)
from nanvix_exp.quantities import Bytes, is_power_of_two

# Trace operation kinds (one int8 per operation; ``addr`` and ``arg`` complete it).
CODE, ISSUE, TAKEN, RAW, LOAD, STORE, DINVAL, UNCACHED = range(8)

# Event vector of a replay.
BUNDLES, EV_TAKEN, EV_RAW, IMISS, DMISS, ITLB_MISS, DTLB_MISS, EV_UNCACHED = range(8)
EVENTS = 8

COUNTERS = ("cycles", "dcache_stalls", "icache_stalls", "branch_stalls", "reg_stalls", "itlb_stalls", "dtlb_stalls")
"""The k1b perf events of Figure 3 (``K1B_PERF_*``), in the order of ``counters``."""


@dataclass(frozen=True)
class PipelineSpec:
    """Stall cost of each event class, in core cycles (a bundle issues in one cycle)."""

    dcache_miss: float
    icache_miss: float
    branch_taken: float
    load_use: float
    uncached: float
    tlb_refill: float
    bundle_bytes: int

    def __post_init__(self) -> None:
        for name in ("dcache_miss", "icache_miss", "branch_taken", "load_use", "uncached", "tlb_refill"):
            if getattr(self, name) < 0:
                raise SpecError(name, getattr(self, name), "a number of cycles >= 0")
        if self.bundle_bytes not in (4, 8, 12, 16, 20, 24, 28, 32):
            raise SpecError("bundle_bytes", self.bundle_bytes, "a multiple of 4 from 4 to 32 (k1b bundles: 1-8 words)")

    def weights(self) -> np.ndarray:
        """Cycles per event, aligned with the event vector."""
        w = np.zeros(EVENTS)
        w[BUNDLES] = 1.0
        w[EV_TAKEN] = self.branch_taken
        w[EV_RAW] = self.load_use
        w[IMISS] = self.icache_miss
        w[DMISS] = self.dcache_miss
        w[ITLB_MISS] = self.tlb_refill
        w[DTLB_MISS] = self.tlb_refill
        w[EV_UNCACHED] = self.uncached
        return w


@dataclass(frozen=True)
class TlbSpec:
    """A fully associative, LRU translation buffer in front of a cache."""

    entries: int
    page: Bytes

    def __post_init__(self) -> None:
        if not is_power_of_two(self.entries):
            raise SpecError("entries", self.entries, "a power of two number of entries, e.g. 8")
        if not is_power_of_two(self.page):
            raise SpecError("page", self.page, "a power of two page size, e.g. '4 KiB'")

    def as_cache(self) -> CacheSpec:
        """The TLB as a one-set cache whose lines are pages."""
        return CacheSpec(self.entries * self.page, self.entries, self.page, Replacement.LRU, WritePolicy.WRITE_THROUGH)


def counters(events: np.ndarray, pipeline: PipelineSpec) -> np.ndarray:
    """The seven k1b counters from event vectors (last axis = events)."""
    w = pipeline.weights()
    e = np.asarray(events, dtype=np.float64)
    out = np.empty((*e.shape[:-1], len(COUNTERS)))
    out[..., 0] = e @ w
    out[..., 1] = e[..., DMISS] * w[DMISS] + e[..., EV_UNCACHED] * w[EV_UNCACHED]
    out[..., 2] = e[..., IMISS] * w[IMISS]
    out[..., 3] = e[..., EV_TAKEN] * w[EV_TAKEN]
    out[..., 4] = e[..., EV_RAW] * w[EV_RAW]
    out[..., 5] = e[..., ITLB_MISS] * w[ITLB_MISS]
    out[..., 6] = e[..., DTLB_MISS] * w[DTLB_MISS]
    return out


class Core:
    """One processing element: private I$, D$, ITLB and DTLB whose state persists across replays."""

    def __init__(self, icache: CacheSpec, dcache: CacheSpec, itlb: TlbSpec, dtlb: TlbSpec, seed: int = 0) -> None:
        self.icache = Cache(icache, seed)
        self.dcache = Cache(dcache, seed + 1)
        self.itlb = Cache(itlb.as_cache())
        self.dtlb = Cache(dtlb.as_cache())

    def replay(self, kind: np.ndarray, addr: np.ndarray, arg: np.ndarray) -> np.ndarray:
        """Run one trace; returns its event vector (``EVENTS`` counts)."""
        return self.replay_segments(kind, addr, arg, np.array([0, kind.shape[0]], dtype=np.int64))[0]

    def replay_segments(self, kind: np.ndarray, addr: np.ndarray, arg: np.ndarray, bounds: np.ndarray) -> np.ndarray:
        """Run consecutive traces in one call; ``bounds`` are their start offsets plus the end.

        Returns one event vector per trace (shape ``(len(bounds) - 1, EVENTS)``).
        """
        out = np.zeros((bounds.shape[0] - 1, EVENTS), dtype=np.int64)
        i, d, it, dt = self.icache, self.dcache, self.itlb, self.dtlb
        _replay(
            kind, addr, arg, bounds, out,
            i.tags, i.stamp, i.dirty, i.meta, i.line_shift,
            d.tags, d.stamp, d.dirty, d.meta, d.line_shift,
            it.tags, it.stamp, it.dirty, it.meta, it.line_shift,
            dt.tags, dt.stamp, dt.dirty, dt.meta, dt.line_shift,
        )  # fmt: skip
        return out


@njit(cache=True)
def _replay(
    kind: np.ndarray, addr: np.ndarray, arg: np.ndarray, bounds: np.ndarray, out: np.ndarray,
    itags: np.ndarray, istamp: np.ndarray, idirty: np.ndarray, imeta: np.ndarray, ishift: int,
    dtags: np.ndarray, dstamp: np.ndarray, ddirty: np.ndarray, dmeta: np.ndarray, dshift: int,
    ttags: np.ndarray, tstamp: np.ndarray, tdirty: np.ndarray, tmeta: np.ndarray, tshift: int,
    utags: np.ndarray, ustamp: np.ndarray, udirty: np.ndarray, umeta: np.ndarray, ushift: int,
) -> None:  # fmt: skip
    last_page = -1
    seg = 0
    now = max(imeta[CLOCK], dmeta[CLOCK], tmeta[CLOCK], umeta[CLOCK]) + 1
    ip, iw, dp, dw = imeta[POLICY], imeta[WRITE_BACK], dmeta[POLICY], dmeta[WRITE_BACK]
    for j in range(kind.shape[0]):
        while j >= bounds[seg + 1]:
            seg += 1
        k = kind[j]
        if k == CODE:
            first = addr[j] >> ishift
            end = (addr[j] + arg[j] - 1) >> ishift
            for line in range(first, end + 1):
                page = (line << ishift) >> tshift
                if page != last_page:
                    now += 1
                    if lookup(ttags, tstamp, tdirty, tmeta, page, False, now, 0, 0):
                        out[seg, ITLB_MISS] += 1
                    last_page = page
                now += 1
                if lookup(itags, istamp, idirty, imeta, line, False, now, ip, iw):
                    out[seg, IMISS] += 1
        elif k == ISSUE:
            out[seg, BUNDLES] += arg[j]
        elif k == TAKEN:
            out[seg, EV_TAKEN] += arg[j]
        elif k == RAW:
            out[seg, EV_RAW] += arg[j]
        elif k in (LOAD, STORE):
            store = k == STORE
            now += 1
            if lookup(utags, ustamp, udirty, umeta, addr[j] >> ushift, False, now, 0, 0):
                out[seg, DTLB_MISS] += 1
            if lookup(dtags, dstamp, ddirty, dmeta, addr[j] >> dshift, store, now, dp, dw) and not store:
                out[seg, DMISS] += 1
        elif k == DINVAL:
            invalidate(dtags, dstamp, ddirty)
        elif k == UNCACHED:
            out[seg, EV_UNCACHED] += arg[j]
    imeta[CLOCK] = dmeta[CLOCK] = tmeta[CLOCK] = umeta[CLOCK] = now
