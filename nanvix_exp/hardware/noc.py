"""The MPPA-256 networks-on-chip: compute-cluster nodes on a 2-D torus plus the I/O clusters.

Compute clusters sit on a ``columns x rows`` torus; Nanvix names them
``ccluster0..`` in row-major order and the I/O clusters ``iocluster0..``.
Two networks share that topology: the data NoC (D-NoC) carries payload in
packets of at most ``packet_payload`` bytes, each preceded by a
``packet_header``; the control NoC (C-NoC) carries single
``control_message``-byte signals (the portal's "allow"). Every directed link
moves ``link_bandwidth`` bytes per second and every router crossed adds
``hop_latency``. ``background`` is the largest fraction of a link's
bandwidth taken by traffic outside the experiment (drawn per link and per
replication from the seed).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from nanvix_exp.errors import SpecError
from nanvix_exp.quantities import Bytes, BytesPerSecond, Seconds

T = TypeVar("T")


@dataclass(frozen=True)
class NocSpec:
    """Topology, links and packets of the networks joining the clusters."""

    columns: int
    rows: int
    io_clusters: int
    link_bandwidth: BytesPerSecond
    hop_latency: Seconds
    packet_payload: Bytes
    packet_header: Bytes
    control_message: Bytes
    background: float

    def __post_init__(self) -> None:
        for name in ("columns", "rows"):
            if getattr(self, name) < 1:
                raise SpecError(name, getattr(self, name), "a positive number of compute clusters")
        if not 0 <= self.io_clusters <= 4:
            raise SpecError("io_clusters", self.io_clusters, "0..4 I/O clusters (one per edge of the torus)")
        if not self.link_bandwidth > 0:
            raise SpecError("link_bandwidth", self.link_bandwidth, "a positive bandwidth, e.g. '1.6 GB/s'")
        if self.hop_latency < 0:
            raise SpecError("hop_latency", self.hop_latency, "a time >= 0, e.g. '10 ns'")
        if self.packet_payload < 1:
            raise SpecError("packet_payload", self.packet_payload, "a positive size, e.g. '256 B'")
        if self.packet_header < 0:
            raise SpecError("packet_header", self.packet_header, "a size >= 0, e.g. '8 B'")
        if self.control_message < 1:
            raise SpecError("control_message", self.control_message, "a positive size, e.g. '8 B'")
        if not 0 <= self.background < 1:
            raise SpecError("background", self.background, "a fraction of link bandwidth in [0, 1)")

    @property
    def compute_clusters(self) -> int:
        """Number of compute clusters on the torus."""
        return self.columns * self.rows

    def wire_bytes(self, payload: T) -> T:
        """Bytes on the D-NoC for ``payload`` bytes (a number or an array): the payload plus one header per packet."""
        return payload + -(-payload // self.packet_payload) * self.packet_header
