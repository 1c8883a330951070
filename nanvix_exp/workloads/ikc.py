"""The Nanvix IKC micro-benchmarks (Souto 2019): mailbox and portal collectives.

``primitive`` (mailbox or portal) moves ``buffer`` bytes in a ``pattern``
between the master I/O cluster (``iocluster0``) and ``clusters`` compute
clusters, ``warmup`` + ``iterations`` times; the timeline of one collective
is the model ``nanvix_exp.models.ikc``.

Variability: the background traffic drawn per link and iteration slows the pushes.

Metric: ``latency_us`` (one value per kept iteration, step 0).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nanvix_exp.errors import SpecError
from nanvix_exp.hardware.platform import HardwareSpec
from nanvix_exp.hardware.topology import Torus
from nanvix_exp.kernel.spec import KernelSpec
from nanvix_exp.models.ikc import MAILBOX_DATA, PORTAL_MAX, Pattern, Primitive, latency
from nanvix_exp.progress import Progress
from nanvix_exp.quantities import Bytes
from nanvix_exp.samples import SampleSet
from nanvix_exp.system import System
from nanvix_exp.workloads.base import Workload, check_repetitions
from nanvix_exp.workloads.registration import Metric, Registration


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
        """The pattern needs as many compute clusters as the chip has, at most, and the master I/O cluster."""
        limit = len(hardware.compute_clusters)
        if not 1 <= self.clusters <= limit:
            raise SpecError("clusters", self.clusters, f"1..{limit} compute clusters on {hardware.name}")
        if not hardware.io_clusters:
            raise SpecError("clusters", self.clusters, "a chip with an I/O cluster (hardware.noc.io_clusters >= 1)")


class Ikc(Workload[IkcSpec]):
    """One IKC collective, repeated ``iterations`` times (after ``warmup`` discarded ones)."""

    spec_type = IkcSpec

    def run(self, system: System, seed: np.random.SeedSequence, progress: Progress) -> SampleSet:
        spec = self.spec
        torus = Torus(system.hardware.noc)
        rng = np.random.default_rng(seed)
        background = system.hardware.noc.background
        total = spec.warmup + spec.iterations
        taken = (
            rng.uniform(0.0, background, size=(total, torus.links)) if background else np.zeros((total, torus.links))
        )
        values = np.empty(total)
        for i in progress.track(range(total), total, "ikc iterations"):
            free = 1.0 - taken[i]
            values[i] = latency(
                system,
                spec.primitive,
                spec.pattern,
                spec.buffer,
                spec.clusters,
                lambda route, free=free: float(free[list(route.links)].min()),
            )
        samples = SampleSet()
        samples.add("latency_us", "us", values[spec.warmup :] * 1e6)
        return samples


REGISTRATION = Registration(
    name="ikc",
    workload=Ikc,
    metrics=(Metric("latency_us", "us", "latency of one collective, from the first call to the last delivery"),),
    view="nanvix_exp.analysis.views.ikc",
)
