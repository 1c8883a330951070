"""The MPPA-256 networks-on-chip: compute-cluster nodes on a 2-D torus plus the I/O clusters.

Compute clusters sit on a ``columns x rows`` torus; Nanvix names them
``ccluster0..`` in row-major order and the I/O clusters ``iocluster0..``.
"""

from __future__ import annotations

from dataclasses import dataclass

from nanvix_exp.config.errors import SpecError


@dataclass(frozen=True)
class NocSpec:
    """Topology of the network joining the clusters."""

    columns: int
    rows: int
    io_clusters: int

    def __post_init__(self) -> None:
        for name in ("columns", "rows"):
            if getattr(self, name) < 1:
                raise SpecError(name, getattr(self, name), "a positive number of compute clusters")
        if self.io_clusters < 0:
            raise SpecError("io_clusters", self.io_clusters, "zero or more I/O clusters")

    @property
    def compute_clusters(self) -> int:
        """Number of compute clusters on the torus."""
        return self.columns * self.rows
