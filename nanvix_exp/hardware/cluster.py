"""A compute cluster of the MPPA-256: its cores, its SRAM and each core's L1 caches.

A compute cluster has 16 processing elements (PE0 is the Nanvix master core,
PE1..PE15 run user threads) sharing 2 MiB of SRAM, with private 8 KiB L1
instruction and data caches per core and no coherence between them. Each
core issues bundles and stalls per event class (``core``: the penalties),
translates through small TLBs and takes the master's timer tick every
``tick``; a sleeping core (an idle thread after a KEVENT_SCHED IPI, a joiner
after a condition broadcast) runs again ``wakeup`` cycles after it is
notified, on average.
"""

from __future__ import annotations

from dataclasses import dataclass

from nanvix_exp.errors import SpecError
from nanvix_exp.hardware.cache import CacheSpec
from nanvix_exp.hardware.core import Core, PipelineSpec, TlbSpec
from nanvix_exp.quantities import Bytes, Seconds

MAX_CORES = 64
"""Upper bound on cores per cluster accepted for what-if studies (the k1b cluster has 16 PEs)."""


@dataclass(frozen=True)
class ClusterSpec:
    """Resources of one compute cluster."""

    cores: int
    sram: Bytes
    dcache: CacheSpec
    icache: CacheSpec
    core: PipelineSpec
    itlb: TlbSpec
    dtlb: TlbSpec
    tick: Seconds
    wakeup: float

    def __post_init__(self) -> None:
        if not self.tick > 0:
            raise SpecError("tick", self.tick, "a positive period, e.g. '100 us'")
        if self.wakeup < 0:
            raise SpecError("wakeup", self.wakeup, "a number of cycles >= 0")
        if not 2 <= self.cores <= MAX_CORES:
            raise SpecError("cores", self.cores, f"2..{MAX_CORES} (one master core plus at least one user core)")
        if self.sram <= 0:
            raise SpecError("sram", self.sram, "a positive size, e.g. '2 MiB'")

    def new_core(self, seed: int = 0) -> Core:
        """A core of this cluster with empty caches and TLBs."""
        return Core(self.icache, self.dcache, self.itlb, self.dtlb, seed)
