"""The Nanvix IKC micro-benchmarks (Souto 2019): mailbox and portal collectives.

``primitive`` (mailbox or portal) moves ``buffer`` bytes in a ``pattern``
(broadcast, scatter, gather, pingpong, allgather) between the I/O cluster and
``clusters`` compute clusters.

PLACEHOLDER until the NoC/IKC model lands: reports only the bytes the pattern
moves per iteration (``placeholder_bytes_moved``), no timing.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from nanvix_exp.config.errors import SpecError
from nanvix_exp.hardware.platform import HardwareSpec
from nanvix_exp.kernel.spec import KernelSpec
from nanvix_exp.progress import Progress
from nanvix_exp.quantities import Bytes
from nanvix_exp.samples import SampleSet
from nanvix_exp.system import System
from nanvix_exp.workloads.base import Workload, check_repetitions

MAILBOX_DATA = 128
"""Bytes of payload in one mailbox message (HAL ``mailbox.h``: 144 B = 16 B header + 128 B)."""
PORTAL_MAX = 1024 * 1024
"""Largest portal message (``KPORTAL_MAX_SIZE`` = 1 MiB)."""


class Primitive(StrEnum):
    """Nanvix inter-cluster communication abstraction."""

    MAILBOX = "mailbox"
    PORTAL = "portal"


class Pattern(StrEnum):
    """Collective communication pattern of the benchmark."""

    BROADCAST = "broadcast"
    SCATTER = "scatter"
    GATHER = "gather"
    PINGPONG = "pingpong"
    ALLGATHER = "allgather"


@dataclass(frozen=True)
class IkcSpec:
    """Primitive, pattern, message size and participating compute clusters."""

    name: str
    primitive: Primitive
    pattern: Pattern
    buffer: Bytes
    clusters: int
    iterations: int
    warmup: int

    def __post_init__(self) -> None:
        check_repetitions(self.iterations, self.warmup)
        limit = MAILBOX_DATA if self.primitive is Primitive.MAILBOX else PORTAL_MAX
        if not 1 <= self.buffer <= limit:
            raise SpecError("buffer", self.buffer, f"1..{limit} bytes for a {self.primitive} message")

    def check(self, hardware: HardwareSpec, kernel: KernelSpec) -> None:
        """The pattern needs as many compute clusters as the chip has, at most."""
        limit = len(hardware.compute_clusters)
        if not 1 <= self.clusters <= limit:
            raise SpecError("clusters", self.clusters, f"1..{limit} compute clusters on {hardware.name}")


class Ikc(Workload[IkcSpec]):
    """One IKC collective, repeated ``iterations`` times."""

    spec_type = IkcSpec

    def run(self, system: System, seed: np.random.SeedSequence, progress: Progress) -> SampleSet:
        samples = SampleSet()
        moved = self.spec.buffer * self.spec.clusters * (2 if self.spec.pattern is Pattern.PINGPONG else 1)
        samples.add("placeholder_bytes_moved", "B", np.full(self.spec.iterations, float(moved)))
        return samples
