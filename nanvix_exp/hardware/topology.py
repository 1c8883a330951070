"""Nodes, directed links and dimension-order routes of the MPPA-256 torus.

Compute cluster ``i`` is the router at column ``i % columns``, row
``i // columns``; each router has four outgoing torus links (east, west,
south, north, wrapping around) and one NoC interface with an injection
(TX) and an ejection (RX) link. I/O cluster ``k`` sits outside edge ``k``
(west, east, north, south) and reaches the torus through the router in the
middle of that edge. A route is deterministic: from the source interface,
along the X dimension by the shorter way round (ties go east), then along
Y (ties go south), into the destination interface. The same route serves
the D-NoC (data) and the C-NoC (control signals).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nanvix_exp.hardware.noc import NocSpec
from nanvix_exp.hardware.platform import COMPUTE_PREFIX, IO_PREFIX

EAST, WEST, SOUTH, NORTH = range(4)


@dataclass(frozen=True)
class Route:
    """Directed links (ids into the topology's link table) crossed from source to destination, and routers."""

    links: tuple[int, ...]
    routers: int


class Torus:
    """Link table and routing of one NoC spec."""

    def __init__(self, spec: NocSpec) -> None:
        self.spec = spec
        nodes, ios = spec.compute_clusters, spec.io_clusters
        self._tx = 4 * nodes  # after the 4 torus links of every router
        self._rx = self._tx + nodes + ios
        self._io_up = self._rx + nodes + ios
        self._io_down = self._io_up + ios
        self.links = self._io_down + ios
        """Directed links: 4 per router, TX and RX per interface, and each I/O cluster's link to and from its router."""

    def node(self, name: str) -> int:
        """Interface index of a cluster name: compute clusters first, then I/O clusters."""
        if name.startswith(COMPUTE_PREFIX):
            index = int(name.removeprefix(COMPUTE_PREFIX))
            if not 0 <= index < self.spec.compute_clusters:
                raise ValueError(f"{name} is not on a {self.spec.columns}x{self.spec.rows} torus")
            return index
        index = int(name.removeprefix(IO_PREFIX))
        if not 0 <= index < self.spec.io_clusters:
            raise ValueError(f"{name}: the chip has {self.spec.io_clusters} I/O clusters")
        return self.spec.compute_clusters + index

    def attachment(self, io: int) -> int:
        """Router in the middle of the edge I/O cluster ``io`` is attached to."""
        cols, rows = self.spec.columns, self.spec.rows
        x, y = ((0, rows // 2), (cols - 1, rows // 2), (cols // 2, 0), (cols // 2, rows - 1))[io % 4]
        return y * cols + x

    def route(self, source: str, destination: str) -> Route:
        """The dimension-order route between two clusters (by name)."""
        src, dst = self.node(source), self.node(destination)
        nodes = self.spec.compute_clusters
        links = [self._tx + src]
        here = src
        if src >= nodes:
            links.append(self._io_up + src - nodes)
            here = self.attachment(src - nodes)
        target = dst if dst < nodes else self.attachment(dst - nodes)
        path = self._torus_path(here, target)
        links.extend(path)
        if dst >= nodes:
            links.append(self._io_down + dst - nodes)
        links.append(self._rx + dst)
        routers = len(path) + 1 + (src >= nodes) + (dst >= nodes)
        return Route(tuple(links), routers)

    def _torus_path(self, start: int, target: int) -> list[int]:
        cols, rows = self.spec.columns, self.spec.rows
        x, y = start % cols, start // cols
        tx, ty = target % cols, target // cols
        path = []
        for axis, size in ((0, cols), (1, rows)):
            here, there = (x, tx) if axis == 0 else (y, ty)
            forward = (there - here) % size
            step, direction = (1, (EAST, SOUTH)[axis]) if forward <= size - forward else (-1, (WEST, NORTH)[axis])
            while here != there:
                node = (y * cols + here) if axis == 0 else (here * cols + x)
                path.append(4 * node + direction)
                here = (here + step) % size
            if axis == 0:
                x = here
            else:
                y = here
        return path

    def routes_table(self, pairs: list[tuple[str, str]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Routes as CSR arrays for the compiled flow solver: (offsets, links, routers per route)."""
        routes = [self.route(s, d) for s, d in pairs]
        offsets = np.zeros(len(routes) + 1, dtype=np.int64)
        offsets[1:] = np.cumsum([len(r.links) for r in routes])
        links = np.array([link for r in routes for link in r.links], dtype=np.int64)
        return offsets, links, np.array([r.routers for r in routes], dtype=np.int64)
