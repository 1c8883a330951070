"""A process migration between compute clusters: freeze, the protocol's transfers, restore.

The process on the source is frozen (``kernel_freeze``: a forwarded call and
the IPI that parks the user cores), its state is sent as portal chunks by
kernel tasks on core 0 of both clusters (``models/transport.py``), phase by
phase as the protocol lists them (``kernel/migration_state.py``), and it is
restored on the destination (every D$ line and JTLB entry invalidated, then
unfrozen). The ``daemon`` protocol first exchanges its control messages.

``Strategy.PRE_COPY`` copies the process's memory pages while it runs,
re-sends the pages it dirtied meanwhile (``dirty_rate`` pages per second) for
``precopy_rounds`` rounds, then stops it for a short stop-and-copy of the last
dirty pages and the thread state. Every pair is also timed alone (same random
draws) so contention can be measured.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from nanvix_exp.hardware.topology import Torus
from nanvix_exp.kernel import migration_state
from nanvix_exp.kernel.portal import MAILBOX_MESSAGE, IkcTimes
from nanvix_exp.models.transport import Transport
from nanvix_exp.system import System

JTLB_ENTRIES = 128
"""Entries of the k1b joint TLB flushed on restore (reference §4)."""


class MigrationProtocol(StrEnum):
    """Which migration code is modelled."""

    ERAD2022 = "erad2022"
    DAEMON = "daemon"


class Strategy(StrEnum):
    """When the process stops relative to the copy."""

    STOP_AND_COPY = "stop_and_copy"
    PRE_COPY = "pre_copy"


class MigrationPhase(StrEnum):
    """The steps of a migration, in the order a migration goes through them."""

    PRECOPY = "precopy"
    FREEZE = "freeze"
    CONTROL = "control"
    DIRTY_PAGES = "dirty_pages"
    SECTIONS = "sections"
    UAREA = "uarea"
    STACKS = "stacks"
    SYSBOARD = "sysboard"
    PAGEDIR = "pagedir"
    PAGETAB = "pagetab"
    KSTACKSIDS = "kstacksids"
    KSTACKSPHYS = "kstacksphys"
    FRAMES_BITMAP = "frames_bitmap"
    FRAMES_PHYS = "frames_phys"
    RESTORE = "restore"


MEMORY_PHASES = frozenset(
    {MigrationPhase.SECTIONS, MigrationPhase.STACKS, MigrationPhase.KSTACKSPHYS, MigrationPhase.FRAMES_PHYS}
)
"""Phases that copy process memory pages: what pre-copy sends live and re-sends when dirtied."""


@dataclass(frozen=True)
class MigrationPlan:
    """What is migrated and how: the protocol, the strategy and the process's size."""

    protocol: MigrationProtocol
    strategy: Strategy
    image: int
    threads: int
    pages: int
    skip_sections: bool
    dirty_rate: float
    precopy_rounds: int


@dataclass
class MigrationTimes:
    """Seconds and bytes of every replication (rows) and pair (columns), per phase and in total."""

    total: np.ndarray
    total_alone: np.ndarray
    """The same migrations, each simulated without the others."""
    downtime: np.ndarray
    durations: dict[MigrationPhase, np.ndarray]
    volumes: dict[MigrationPhase, np.ndarray]
    chunks: np.ndarray
    """Portal chunks sent per replication, all pairs and batches together."""
    hop_bytes: np.ndarray
    """Wire bytes times routers crossed per replication, all pairs and batches together."""


PhaseSizes = list[tuple[MigrationPhase, np.ndarray]]
"""Each phase with its chunk sizes, shape (replications, pairs, chunks)."""


def migrate(
    system: System,
    plan: MigrationPlan,
    pairs: list[tuple[str, str]],
    replications: int,
    seed: np.random.SeedSequence,
) -> MigrationTimes:
    """Migrate the process of ``plan`` over every (source, destination) pair at once, ``replications`` times."""
    hardware, kernel = system.hardware, system.kernel
    t = IkcTimes(hardware, kernel.ikc)
    torus = Torus(hardware.noc)
    reps, shape = replications, (replications, len(pairs))
    offsets, links, routers = torus.routes_table(pairs)
    children = seed.spawn(1 + len(pairs))
    background = np.random.default_rng(children[0]).uniform(0.0, hardware.noc.background, size=(reps, torus.links))
    used, links = np.unique(links, return_inverse=True)
    capacity = hardware.noc.link_bandwidth * (1.0 - background[:, used])
    rngs = [np.random.default_rng(c) for c in children[1:]]
    sim = Transport(t, torus, pairs, (offsets, links.astype(np.int64), routers), capacity, rngs, kernel.page_size)
    freeze = t.cycles(kernel.ikc.forward_call + kernel.ikc.interrupt)
    lines = hardware.cluster.dcache.size // hardware.cluster.dcache.line
    restore = t.cycles(kernel.ikc.invalidate_per_line * (lines + JTLB_ENTRIES)) + freeze
    durations: dict[MigrationPhase, np.ndarray] = {}
    volumes: dict[MigrationPhase, np.ndarray] = {}
    live = live_alone = np.zeros(shape)
    phases = [(MigrationPhase(p.name), sim.fixed(p.messages)) for p in protocol_phases(system, plan)]
    if plan.strategy is Strategy.PRE_COPY:
        live, live_alone, volumes[MigrationPhase.PRECOPY], phases = _pre_copy(sim, plan, phases)
        durations[MigrationPhase.PRECOPY] = live
    durations[MigrationPhase.FREEZE], volumes[MigrationPhase.FREEZE] = np.full(shape, freeze), np.zeros(shape)
    if plan.protocol is MigrationProtocol.DAEMON:
        durations[MigrationPhase.CONTROL] = sim.control_messages(migration_state.CONTROL_MESSAGES)
        volumes[MigrationPhase.CONTROL] = np.full(shape, float(migration_state.CONTROL_MESSAGES * MAILBOX_MESSAGE))
    stop = sim.run([sizes for _, sizes in phases])
    for (phase, sizes), duration in zip(phases, stop.phases, strict=True):
        durations[phase], volumes[phase] = duration, sizes.sum(axis=2)
    durations[MigrationPhase.RESTORE], volumes[MigrationPhase.RESTORE] = np.full(shape, restore), np.zeros(shape)
    control = durations.get(MigrationPhase.CONTROL, 0.0)
    downtime = freeze + control + stop.finish + restore
    total, total_alone = live + downtime, live_alone + freeze + control + stop.finish_alone + restore
    return MigrationTimes(total, total_alone, downtime, durations, volumes, sim.chunks, sim.hop_bytes)


def protocol_phases(system: System, plan: MigrationPlan) -> list[migration_state.Phase]:
    """The transfers the protocol of ``plan`` makes, phase by phase."""
    kernel = system.kernel
    if plan.protocol is MigrationProtocol.ERAD2022:
        return migration_state.erad2022(kernel, plan.image, plan.threads, plan.skip_sections)
    cores = system.hardware.cluster.cores
    return migration_state.daemon(kernel, cores, plan.image, plan.threads, plan.pages, plan.skip_sections)


def _pre_copy(
    sim: Transport, plan: MigrationPlan, phases: PhaseSizes
) -> tuple[np.ndarray, np.ndarray, np.ndarray, PhaseSizes]:
    """Live rounds over the process's memory pages; returns their time (together, alone), bytes, stop phases."""
    memory = [sizes for phase, sizes in phases if phase in MEMORY_PHASES]
    rest = [(phase, sizes) for phase, sizes in phases if phase not in MEMORY_PHASES]
    total_pages = sum(np.ceil(sizes / sim.page).sum(axis=2) for sizes in memory)
    live = live_alone = volume = 0.0
    batch = memory
    for _ in range(plan.precopy_rounds):
        transfer = sim.run(batch)
        live, live_alone = live + transfer.finish, live_alone + transfer.finish_alone
        volume = volume + sum(sizes.sum(axis=2) for sizes in batch)
        dirty = np.minimum(total_pages, np.ceil(plan.dirty_rate * transfer.finish))
        batch = [sim.pages(dirty)]
    return live, live_alone, volume, [(MigrationPhase.DIRTY_PAGES, batch[0]), *rest]
