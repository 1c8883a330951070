"""Process migration between compute clusters (ERAD 2022 and the later daemon).

The process on ``source`` is frozen (``kernel_freeze``: the non-master cores
park on their idle threads), its user sections (``image``), thread state
(the UArea, or the scattered globals without it) and the stacks of its
``threads`` (plus ``pages`` extra user pages with the daemon protocol) are
sent as portal chunks by kernel tasks on core 0 of both clusters, and it is
restored on ``destination`` (data cache and TLB invalidated, unfreeze).
``pairs`` runs several migrations at once; their pushes share the NoC links
(max-min fair, ``hardware/flows.py``), and each is also simulated alone with
the same random draws to report the ``slowdown`` due to contention.

``strategy=pre_copy`` copies the process's pages while it runs, re-sends the
pages it dirtied meanwhile (``dirty_rate`` pages per second) for up to
``precopy_rounds`` rounds, then stops it for a short stop-and-copy of the last
dirty pages and the thread state; ``downtime_ms`` is that stop.
``skip_sections`` does not send the user sections (the destination already
holds the same binary).

Variability: the remaining master quantum each time a migration task wakes
(timer phase) and the background traffic on each link, both from the seed.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from nanvix_exp.errors import SpecError
from nanvix_exp.hardware.flows import simulate_streams
from nanvix_exp.hardware.platform import HardwareSpec
from nanvix_exp.hardware.topology import Torus
from nanvix_exp.kernel import migration_state
from nanvix_exp.kernel.dispatcher import chunk_gaps, slot_waits, tail
from nanvix_exp.kernel.portal import MAILBOX_MESSAGE, MESSAGE_HEADER, IkcTimes, chunks_of
from nanvix_exp.kernel.spec import KernelSpec
from nanvix_exp.progress import Progress
from nanvix_exp.quantities import Bytes
from nanvix_exp.samples import SampleSet
from nanvix_exp.system import System
from nanvix_exp.workloads.base import Workload

JTLB_ENTRIES = 128
"""Entries of the k1b joint TLB flushed on restore (reference §4)."""


class Protocol(StrEnum):
    """Which migration code is modelled."""

    ERAD2022 = "erad2022"
    DAEMON = "daemon"


class Strategy(StrEnum):
    """When the process stops relative to the copy."""

    STOP_AND_COPY = "stop_and_copy"
    PRE_COPY = "pre_copy"


@dataclass(frozen=True)
class MigrationSpec:
    """The process to migrate, where from and to, and how."""

    name: str
    protocol: Protocol
    strategy: Strategy
    image: Bytes
    threads: int
    pages: int
    source: str
    destination: str
    pairs: tuple[tuple[str, str], ...]
    skip_sections: bool
    dirty_rate: float
    precopy_rounds: int
    replications: int

    def __post_init__(self) -> None:
        if self.image <= 0:
            raise SpecError("image", self.image, "a positive size of the user sections, e.g. '342.8 KB'")
        if self.pages < 0:
            raise SpecError("pages", self.pages, "0 or more extra user pages")
        if self.dirty_rate < 0:
            raise SpecError("dirty_rate", self.dirty_rate, "pages dirtied per second, >= 0")
        if self.precopy_rounds < 1:
            raise SpecError("precopy_rounds", self.precopy_rounds, "at least 1 live copy round")
        if self.replications < 1:
            raise SpecError("replications", self.replications, "at least 1")

    def routes(self) -> tuple[tuple[str, str], ...]:
        """Source/destination of every migration run at once (``pairs``, else the single one)."""
        return self.pairs or ((self.source, self.destination),)

    def footprint(self, kernel: KernelSpec) -> int:
        """Bytes of process state held on a cluster: image, two stack pages per thread, extra pages."""
        return self.image + (2 * self.threads + self.pages) * kernel.page_size

    def check(self, hardware: HardwareSpec, kernel: KernelSpec) -> None:
        """Thread count within THREAD_MAX, the process fits the SRAM, routes join distinct compute clusters."""
        if not 1 <= self.threads <= kernel.thread_max:
            raise SpecError("threads", self.threads, f"1..{kernel.thread_max} (kernel.thread_max)")
        if self.footprint(kernel) > hardware.cluster.sram:
            raise SpecError(
                "image",
                self.image,
                f"a process (image + stacks + pages = {self.footprint(kernel)} B) that fits the "
                f"{hardware.cluster.sram} B cluster SRAM (hardware.cluster.sram)",
            )
        computes = hardware.compute_clusters
        for index, (src, dst) in enumerate(self.routes()):
            where = ("source", "destination") if not self.pairs else (f"pairs[{index}][0]", f"pairs[{index}][1]")
            for key, name in zip(where, (src, dst), strict=True):
                if name not in computes:
                    kind = "an I/O cluster, not a compute cluster" if name in hardware.io_clusters else "unknown"
                    raise SpecError(key, name, f"a compute cluster {computes[0]}..{computes[-1]} ({name} is {kind})")
            if src == dst:
                raise SpecError(where[1], dst, f"a compute cluster other than the source {src}")


@dataclass
class Transfer:
    """Timing of one batch of portal messages, per replication and pair (seconds from the batch start)."""

    finish: np.ndarray
    finish_alone: np.ndarray
    phases: list[np.ndarray]
    """Time of each phase of the batch (the receiver's last copy-out counts in the last phase)."""


class Migration(Workload[MigrationSpec]):
    """Freeze, transfer and restore a process, ``replications`` times."""

    spec_type = MigrationSpec

    def run(self, system: System, seed: np.random.SeedSequence, progress: Progress) -> SampleSet:
        spec = self.spec
        hardware, kernel = system.hardware, system.kernel
        t = IkcTimes(hardware, kernel.ikc)
        torus = Torus(hardware.noc)
        pairs = list(spec.routes())
        reps, shape = spec.replications, (spec.replications, len(pairs))
        offsets, links, routers = torus.routes_table(pairs)
        children = seed.spawn(1 + len(pairs))
        background = np.random.default_rng(children[0]).uniform(0.0, hardware.noc.background, size=(reps, torus.links))
        used, links = np.unique(links, return_inverse=True)
        capacity = hardware.noc.link_bandwidth * (1.0 - background[:, used])
        rngs = [np.random.default_rng(c) for c in children[1:]]
        sim = _Simulator(t, torus, pairs, (offsets, links.astype(np.int64), routers), capacity, rngs, kernel.page_size)
        freeze = t.cycles(kernel.ikc.forward_call + kernel.ikc.interrupt)
        lines = hardware.cluster.dcache.size // hardware.cluster.dcache.line
        restore = t.cycles(kernel.ikc.invalidate_per_line * (lines + JTLB_ENTRIES)) + freeze
        durations: dict[str, np.ndarray] = {}
        volumes: dict[str, np.ndarray] = {}
        live = live_alone = np.zeros(shape)
        phases = [(p.name, sim.fixed(p.messages)) for p in self._phases(system)]
        if spec.strategy is Strategy.PRE_COPY:
            live, live_alone, volumes["precopy"], phases = self._pre_copy(sim, phases)
            durations["precopy"] = live
        durations["freeze"], volumes["freeze"] = np.full(shape, freeze), np.zeros(shape)
        if spec.protocol is Protocol.DAEMON:
            durations["control"] = sim.control_messages(migration_state.CONTROL_MESSAGES)
            volumes["control"] = np.full(shape, float(migration_state.CONTROL_MESSAGES * MAILBOX_MESSAGE))
        stop = sim.run([sizes for _, sizes in phases])
        for (name, sizes), duration in zip(phases, stop.phases, strict=True):
            durations[name], volumes[name] = duration, sizes.sum(axis=2)
        durations["restore"], volumes["restore"] = np.full(shape, restore), np.zeros(shape)
        control = durations.get("control", 0.0)
        downtime = freeze + control + stop.finish + restore
        total, total_alone = live + downtime, live_alone + freeze + control + stop.finish_alone + restore
        samples = SampleSet()
        samples.add("migration_ms", "ms", total.mean(axis=1) * 1e3)
        samples.add("downtime_ms", "ms", downtime.mean(axis=1) * 1e3)
        samples.add("slowdown", "x", (total / total_alone).max(axis=1))
        samples.add("pairs", "pairs", np.full(reps, float(len(pairs))))
        samples.add("bytes_sent", "B", sum(volumes.values()).mean(axis=1))
        samples.add("chunks", "chunks", sim.chunks / len(pairs))
        samples.add("hop_bytes", "B", sim.hop_bytes)
        for name, value in durations.items():
            samples.add(f"phase_{name}_ms", "ms", value.mean(axis=1) * 1e3)
            samples.add(f"phase_{name}_bytes", "B", volumes[name].mean(axis=1))
        return samples

    def _phases(self, system: System) -> list[migration_state.Phase]:
        spec, kernel = self.spec, system.kernel
        if spec.protocol is Protocol.ERAD2022:
            return migration_state.erad2022(kernel, spec.image, spec.threads, spec.skip_sections)
        cores = system.hardware.cluster.cores
        return migration_state.daemon(kernel, cores, spec.image, spec.threads, spec.pages, spec.skip_sections)

    def _pre_copy(
        self, sim: _Simulator, phases: list[tuple[str, np.ndarray]]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[tuple[str, np.ndarray]]]:
        """Live rounds over the process's memory pages; returns their time (together, alone), bytes, stop phases."""
        spec = self.spec
        memory = [sizes for name, sizes in phases if name in MEMORY_PHASES]
        rest = [(name, sizes) for name, sizes in phases if name not in MEMORY_PHASES]
        total_pages = sum(np.ceil(sizes / sim.page).sum(axis=2) for sizes in memory)
        live = live_alone = volume = 0.0
        batch = memory
        for _ in range(spec.precopy_rounds):
            transfer = sim.run(batch)
            live, live_alone = live + transfer.finish, live_alone + transfer.finish_alone
            volume = volume + sum(sizes.sum(axis=2) for sizes in batch)
            dirty = np.minimum(total_pages, np.ceil(spec.dirty_rate * transfer.finish))
            batch = [sim.pages(dirty)]
        return live, live_alone, volume, [("dirty_pages", batch[0]), *rest]


MEMORY_PHASES = ("sections", "stacks", "kstacksphys", "frames_phys")
"""Phases that copy process memory pages: what pre-copy sends live and re-sends when dirtied."""


class _Simulator:
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
