"""A compute cluster of the MPPA-256: its cores, its SRAM and each core's L1 caches.

A compute cluster has 16 processing elements (PE0 is the Nanvix master core,
PE1..PE15 run user threads) sharing 2 MiB of SRAM, with private 8 KiB L1
instruction and data caches per core and no coherence between them.
"""

from __future__ import annotations

from dataclasses import dataclass

from nanvix_exp.config.errors import SpecError
from nanvix_exp.hardware.cache import CacheSpec
from nanvix_exp.quantities import Bytes

MAX_CORES = 64
"""Upper bound on cores per cluster accepted for what-if studies (the k1b cluster has 16 PEs)."""


@dataclass(frozen=True)
class ClusterSpec:
    """Resources of one compute cluster."""

    cores: int
    sram: Bytes
    dcache: CacheSpec
    icache: CacheSpec

    def __post_init__(self) -> None:
        if not 2 <= self.cores <= MAX_CORES:
            raise SpecError("cores", self.cores, f"2..{MAX_CORES} (one master core plus at least one user core)")
        if self.sram <= 0:
            raise SpecError("sram", self.sram, "a positive size, e.g. '2 MiB'")
