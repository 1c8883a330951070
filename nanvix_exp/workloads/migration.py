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

import math
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from nanvix_exp.config.errors import SpecError
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
    """Chunk ends of one batch of portal messages for every replication and pair (seconds from its start)."""

    ends: np.ndarray
    alone: np.ndarray
    finish: np.ndarray
    finish_alone: np.ndarray


class Migration(Workload[MigrationSpec]):
    """Freeze, transfer and restore a process, ``replications`` times."""

    spec_type = MigrationSpec

    def run(self, system: System, seed: np.random.SeedSequence, progress: Progress) -> SampleSet:
        spec = self.spec
        hardware, kernel = system.hardware, system.kernel
        t = IkcTimes(hardware, kernel.ikc)
        torus = Torus(hardware.noc)
        pairs = list(spec.routes())
        offsets, links, routers = torus.routes_table(pairs)
        children = seed.spawn(1 + len(pairs))
        background = np.random.default_rng(children[0]).uniform(
            0.0, hardware.noc.background, size=(spec.replications, torus.links)
        )
        used, links = np.unique(links, return_inverse=True)
        capacity = hardware.noc.link_bandwidth * (1.0 - background[:, used])
        rngs = [np.random.default_rng(c) for c in children[1:]]
        sim = _Simulator(t, torus, pairs, (offsets, links.astype(np.int64), routers), capacity, rngs, kernel.page_size)
        reps = spec.replications
        freeze = t.cycles(kernel.ikc.forward_call + kernel.ikc.interrupt)
        lines = hardware.cluster.dcache.size // hardware.cluster.dcache.line
        restore = t.cycles(kernel.ikc.invalidate_per_line * (lines + JTLB_ENTRIES)) + freeze
        phases = self._phases(system)
        durations: dict[str, np.ndarray] = {"freeze": np.full((reps, len(pairs)), freeze)}
        volumes: dict[str, np.ndarray] = {"freeze": np.zeros((reps, len(pairs)))}
        live = np.zeros((reps, len(pairs)))
        live_alone = np.zeros((reps, len(pairs)))
        if spec.protocol is Protocol.DAEMON:
            durations["control"] = sim.control_messages(migration_state.CONTROL_MESSAGES)
            volumes["control"] = np.full((reps, len(pairs)), float(migration_state.CONTROL_MESSAGES * MAILBOX_MESSAGE))
        if spec.strategy is Strategy.PRE_COPY:
            live, live_alone, live_bytes, phases = self._pre_copy(sim, system, phases)
            durations = {"precopy": live, **durations}
            volumes = {"precopy": live_bytes, **volumes}
        stop = sim.transfer([phase.messages for phase in phases], reps)
        volumes.update({p.name: np.full((reps, len(pairs)), float(p.bytes)) for p in phases})
        durations.update(_phase_durations(stop, phases, kernel.page_size))
        durations["restore"] = np.full((reps, len(pairs)), restore)
        volumes["restore"] = np.zeros((reps, len(pairs)))
        downtime = freeze + durations.get("control", 0.0) + stop.finish + restore
        downtime_alone = freeze + durations.get("control", 0.0) + stop.finish_alone + restore
        total, total_alone = live + downtime, live_alone + downtime_alone
        samples = SampleSet()
        samples.add("migration_ms", "ms", total.mean(axis=1) * 1e3)
        samples.add("downtime_ms", "ms", downtime.mean(axis=1) * 1e3)
        samples.add("slowdown", "x", (total / total_alone).max(axis=1))
        samples.add("pairs", "pairs", np.full(reps, float(len(pairs))))
        samples.add("bytes_sent", "B", sum(volumes.values()).mean(axis=1))
        samples.add("chunks", "chunks", np.full(reps, sim.chunks_sent / reps / len(pairs)))
        samples.add("hop_bytes", "B", np.full(reps, sim.hop_bytes / reps))
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
        self, sim: _Simulator, system: System, phases: list[migration_state.Phase]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[migration_state.Phase]]:
        """Live rounds over the process's pages; returns their time, bytes and the phases left for the stop."""
        spec, page = self.spec, system.kernel.page_size
        reps, pairs = spec.replications, len(spec.routes())
        memory = [p for p in phases if p.name in ("sections", "stacks", "kstacksphys", "frames_phys")]
        rest = [p for p in phases if p not in memory]
        total_pages = sum(math.ceil(size / page) for p in memory for size in p.messages)
        live = np.zeros((reps, pairs))
        live_alone = np.zeros((reps, pairs))
        volume = np.zeros((reps, pairs))
        dirty = np.full((reps, pairs), total_pages)
        messages = [tuple(p.messages) for p in memory]
        for round_index in range(spec.precopy_rounds):
            if round_index == 0:
                batch = sim.transfer(messages, reps)
                volume += sum(p.bytes for p in memory)
            else:
                batch = sim.transfer_pages(dirty, page)
                volume += dirty * page
            live += batch.finish
            live_alone += batch.finish_alone
            dirty = np.minimum(total_pages, np.ceil(spec.dirty_rate * batch.finish)).astype(np.int64)
        final = migration_state.Phase("dirty_pages", (page,) * int(dirty.max()))
        return live, live_alone, volume, [final, *rest]


def _phase_durations(stop: Transfer, phases: list[migration_state.Phase], page: int) -> dict[str, np.ndarray]:
    """Time of each phase: from the previous phase's last push to this one's (the last one up to the finish)."""
    durations, start, index = {}, 0.0, 0
    count = len(phases)
    for number, phase in enumerate(phases):
        index += sum(len(chunks_of(size, page)) for size in phase.messages)
        end = stop.finish if number == count - 1 else (stop.ends[..., index - 1] if index else 0.0)
        durations[phase.name] = np.broadcast_to(end - start, stop.finish.shape).copy()
        start = end
    return durations


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
        self.chunks_sent = 0
        self.hop_bytes = 0.0

    def transfer(self, messages: list[tuple[int, ...]], reps: int) -> Transfer:
        """The same sequence of portal messages for every replication."""
        sizes = np.array([c for group in messages for size in group for c in chunks_of(size, self.page)], float)
        return self._run(np.broadcast_to(sizes, (reps, len(self.pairs), sizes.shape[0])).copy())

    def transfer_pages(self, pages: np.ndarray, page: int) -> Transfer:
        """``pages[r, p]`` whole pages per replication and pair (padded with empty chunks)."""
        width = max(int(pages.max()), 1)
        sizes = np.where(np.arange(width) < pages[..., None], float(page), 0.0)
        return self._run(sizes)

    def control_messages(self, count: int) -> np.ndarray:
        """Mailbox messages between the daemons' tasks, each waiting for a dispatcher slot on both ends."""
        t = self.t
        reps = self.capacity.shape[0]
        times = np.zeros((reps, len(self.pairs)))
        for p, (src, dst) in enumerate(self.pairs):
            route = self.torus.route(src, dst)
            draws = self.rngs[p].random((reps, count, 2))
            one = t.mailbox_commit(forwarded=False) + t.wire(MAILBOX_MESSAGE, route) + t.mailbox_land()
            times[:, p] = (slot_waits(t, draws).sum(axis=2) + one).sum(axis=1)
        return times

    def _run(self, sizes: np.ndarray) -> Transfer:
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
        self.chunks_sent += int((sizes > 0).sum())
        self.hop_bytes += float((wire.sum(axis=2) * self.routers[None, :]).sum())
        ends = simulate_streams(gaps, wire, self.offsets, self.links, self.capacity)
        alone = np.empty_like(ends)
        for p in range(pairs):
            span = slice(self.offsets[p], self.offsets[p + 1])
            own = np.array([0, span.stop - span.start], dtype=np.int64)
            alone[:, p : p + 1] = simulate_streams(
                gaps[:, p : p + 1], wire[:, p : p + 1], own, self.links[span], self.capacity
            )
        last = np.maximum((sizes > 0).sum(axis=2) - 1, 0)
        pick = np.arange(reps)[:, None], np.arange(pairs)[None, :], last
        empty = (sizes > 0).sum(axis=2) == 0
        finish = np.where(empty, 0.0, ends[pick] + tails)
        finish_alone = np.where(empty, 0.0, alone[pick] + tails)
        return Transfer(ends, alone, finish, finish_alone)
