"""The whole chip: clock, compute clusters and the network between them.

``HardwareSpec`` is the validated description read from ``conf/hardware``;
cluster names follow Nanvix (``ccluster<i>`` for compute clusters,
``iocluster<i>`` for I/O clusters).
"""

from __future__ import annotations

from dataclasses import dataclass

from nanvix_exp.errors import SpecError
from nanvix_exp.hardware.cluster import ClusterSpec
from nanvix_exp.hardware.noc import NocSpec
from nanvix_exp.quantities import Hertz

COMPUTE_PREFIX = "ccluster"
IO_PREFIX = "iocluster"


@dataclass(frozen=True)
class HardwareSpec:
    """A lightweight manycore: one clock, identical compute clusters, one NoC."""

    name: str
    clock: Hertz
    cluster: ClusterSpec
    noc: NocSpec

    def __post_init__(self) -> None:
        if not self.clock > 0:
            raise SpecError("clock", self.clock, "a positive frequency, e.g. '400 MHz'")

    @property
    def compute_clusters(self) -> tuple[str, ...]:
        """Names of the compute clusters, ``ccluster0`` first."""
        return tuple(f"{COMPUTE_PREFIX}{i}" for i in range(self.noc.compute_clusters))

    @property
    def io_clusters(self) -> tuple[str, ...]:
        """Names of the I/O clusters, ``iocluster0`` first."""
        return tuple(f"{IO_PREFIX}{i}" for i in range(self.noc.io_clusters))
