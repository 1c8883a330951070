"""The transport of a migration: batches of portal chunks for every migrating pair, through the dispatcher and the NoC.

Each pair's chunks leave at the times the dispatcher model allows
(``kernel/dispatcher.py``: a migration task on core 0 waits for its slot
after every permission and every arrival, drawn from the pair's random
stream) and cross the NoC as flows sharing each link max-min fairly with the
other pairs (``hardware/flows.py``); every pair is simulated a second time
alone, with the same draws, to measure what the sharing cost. Mailbox
control messages wait for a dispatcher slot at both ends.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nanvix_exp.hardware.flows import simulate_streams
from nanvix_exp.hardware.topology import Torus
from nanvix_exp.kernel.dispatcher import chunk_gaps, slot_waits, tail
from nanvix_exp.kernel.portal import MAILBOX_MESSAGE, MESSAGE_HEADER, IkcTimes, chunks_of


@dataclass
class Transfer:
    """Timing of one batch of portal messages, per replication and pair (seconds from the batch start)."""

    finish: np.ndarray
    finish_alone: np.ndarray
    phases: list[np.ndarray]
    """Time of each phase of the batch (the receiver's last copy-out counts in the last phase)."""


class Transport:
    """Runs batches of portal chunks for every pair through the dispatcher model and the NoC."""

    def __init__(
        self,
        t: IkcTimes,
        torus: Torus,
        pairs: list[tuple[str, str]],
        routes: tuple[np.ndarray, np.ndarray, np.ndarray],
        capacity: np.ndarray,
        rngs: list[np.random.Generator],
        page: int,
    ) -> None:
        self.t, self.torus, self.pairs, self.capacity, self.rngs, self.page = t, torus, pairs, capacity, rngs, page
        self.offsets, self.links, self.routers = routes
        self.reps = capacity.shape[0]
        self.chunks = np.zeros(self.reps)
        self.hop_bytes = np.zeros(self.reps)

    def fixed(self, messages: tuple[int, ...]) -> np.ndarray:
        """Chunk sizes of the same portal messages for every replication and pair, shape (reps, pairs, chunks)."""
        sizes = np.array([c for size in messages for c in chunks_of(size, self.page)], dtype=float)
        return np.broadcast_to(sizes, (self.reps, len(self.pairs), sizes.shape[0])).copy()

    def pages(self, count: np.ndarray) -> np.ndarray:
        """``count[r, p]`` whole pages per replication and pair, padded with empty chunks."""
        width = int(count.max()) if count.size else 0
        return np.where(np.arange(width) < count[..., None], float(self.page), 0.0)

    def control_messages(self, count: int) -> np.ndarray:
        """Mailbox messages between the daemons' tasks, each waiting for a dispatcher slot on both ends."""
        t = self.t
        times = np.zeros((self.reps, len(self.pairs)))
        for p, (src, dst) in enumerate(self.pairs):
            route = self.torus.route(src, dst)
            draws = self.rngs[p].random((self.reps, count, 2))
            one = t.mailbox_commit(forwarded=False) + t.wire(MAILBOX_MESSAGE, route) + t.mailbox_land()
            times[:, p] = (slot_waits(t, draws).sum(axis=2) + one).sum(axis=1)
        return times

    def run(self, phases: list[np.ndarray]) -> Transfer:
        """Send the phases one after the other (each (reps, pairs, width), empty chunks last) as one chunk stream."""
        joined = np.concatenate(phases, axis=2) if phases else np.zeros((self.reps, len(self.pairs), 0))
        order = np.argsort(joined == 0, axis=2, kind="stable")
        sizes = np.take_along_axis(joined, order, axis=2)
        if sizes.shape[2] == 0:
            sizes = np.zeros((*sizes.shape[:2], 1))
        ends, alone, tails = self._simulate(sizes)
        counts = np.stack([(p > 0).sum(axis=2) for p in phases], axis=2) if phases else np.zeros((*sizes.shape[:2], 0))
        sent = (sizes > 0).sum(axis=2)
        last = np.maximum(sent - 1, 0)[..., None]
        finish = np.where(sent > 0, np.take_along_axis(ends, last, axis=2)[..., 0] + tails, 0.0)
        finish_alone = np.where(sent > 0, np.take_along_axis(alone, last, axis=2)[..., 0] + tails, 0.0)
        bounds = np.cumsum(counts, axis=2).astype(np.int64)
        marks = np.where(bounds > 0, np.take_along_axis(ends, np.maximum(bounds - 1, 0), axis=2), 0.0)
        marks[..., -1:] = finish[..., None] if counts.shape[2] else marks[..., -1:]
        starts = np.concatenate([np.zeros((*marks.shape[:2], 1)), marks[..., :-1]], axis=2)
        return Transfer(finish, finish_alone, [marks[..., i] - starts[..., i] for i in range(counts.shape[2])])

    def _simulate(self, sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        t, noc = self.t, self.t.hardware.noc
        reps, pairs, chunks = sizes.shape
        gaps = np.empty_like(sizes)
        tails = np.empty((reps, pairs))
        for p, (src, dst) in enumerate(self.pairs):
            route = self.torus.route(src, dst)
            latency = route.routers * noc.hop_latency
            draws = self.rngs[p].random((2, reps, chunks + 1))
            gaps[:, p] = chunk_gaps(
                t, sizes[:, p], draws[0, :, :chunks], draws[1, :, :chunks], latency, t.control(route)
            )
            last = sizes[:, p][np.arange(reps), np.maximum((sizes[:, p] > 0).sum(axis=1) - 1, 0)]
            tails[:, p] = tail(t, last, draws[1, :, chunks], latency)
        wire = np.where(sizes > 0, noc.wire_bytes(sizes + MESSAGE_HEADER), 0.0)
        self.chunks += (sizes > 0).sum(axis=(1, 2))
        self.hop_bytes += (wire.sum(axis=2) * self.routers[None, :]).sum(axis=1)
        ends = simulate_streams(gaps, wire, self.offsets, self.links, self.capacity)
        alone = np.empty_like(ends)
        for p in range(pairs):
            span = slice(self.offsets[p], self.offsets[p + 1])
            own = np.array([0, span.stop - span.start], dtype=np.int64)
            alone[:, p : p + 1] = simulate_streams(
                gaps[:, p : p + 1], wire[:, p : p + 1], own, self.links[span], self.capacity
            )
        return ends, alone, tails
