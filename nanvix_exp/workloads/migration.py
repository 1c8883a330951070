"""Process migration between compute clusters (ERAD 2022 and the later daemon).

The process on ``source`` (its user sections ``image``, thread state and the
stacks of its ``threads``, plus ``pages`` extra user pages with the daemon
protocol) is frozen, sent and restored on ``destination`` by the model
``nanvix_exp.models.migration``. ``pairs`` runs several migrations at once;
their pushes share the NoC links, and each is also simulated alone with the
same random draws to report the ``slowdown`` due to contention.
``strategy=pre_copy`` copies the pages while the process runs (``dirty_rate``,
``precopy_rounds``); ``downtime_ms`` is the final stop. ``skip_sections``
does not send the user sections (the destination already holds the binary).
A compute cluster is named ``ccluster<i>`` or by its number ``i`` alone.

Variability: the remaining master quantum each time a migration task wakes
(timer phase) and the background traffic on each link, both from the seed.

Metrics, one value per replication (mean over pairs unless said): ``migration_ms``,
``downtime_ms``, ``slowdown`` (max over pairs), ``pairs``, ``bytes_sent``,
``chunks``, ``hop_bytes`` (all pairs), and ``phase_<phase>_ms`` /
``phase_<phase>_bytes`` for every phase the migration went through.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nanvix_exp.errors import SpecError
from nanvix_exp.hardware.platform import COMPUTE_PREFIX, HardwareSpec
from nanvix_exp.kernel.spec import KernelSpec
from nanvix_exp.models.migration import (
    MigrationPhase,
    MigrationPlan,
    MigrationProtocol,
    MigrationTimes,
    Strategy,
    migrate,
)
from nanvix_exp.progress import Progress
from nanvix_exp.quantities import Bytes
from nanvix_exp.samples import SampleSet
from nanvix_exp.system import System
from nanvix_exp.workloads.base import Workload
from nanvix_exp.workloads.registration import Metric, Registration


def compute_cluster(name: str | int) -> str:
    """A cluster as written in the config: ``ccluster3`` as is, the number ``3`` (or ``"3"``) as ``ccluster3``."""
    text = str(name).strip()
    return f"{COMPUTE_PREFIX}{int(text)}" if text.isdigit() else text


@dataclass(frozen=True)
class MigrationSpec:
    """The process to migrate, where from and to, and how."""

    name: str
    protocol: MigrationProtocol
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
        object.__setattr__(self, "source", compute_cluster(self.source))
        object.__setattr__(self, "destination", compute_cluster(self.destination))
        object.__setattr__(self, "pairs", tuple((compute_cluster(s), compute_cluster(d)) for s, d in self.pairs))
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

    def plan(self) -> MigrationPlan:
        """The model's view of this spec: what is migrated and how."""
        return MigrationPlan(
            self.protocol,
            self.strategy,
            self.image,
            self.threads,
            self.pages,
            self.skip_sections,
            self.dirty_rate,
            self.precopy_rounds,
        )

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
                    allowed = f"a compute cluster {computes[0]}..{computes[-1]} or its number 0..{len(computes) - 1}"
                    raise SpecError(key, name, f"{allowed} ({name} is {kind})")
            if src == dst:
                raise SpecError(where[1], dst, f"a compute cluster other than the source {src}")


def migration_samples(times: MigrationTimes, pairs: int) -> SampleSet:
    """The metric contract from the model's per-replication, per-pair times and volumes."""
    samples = SampleSet()
    samples.add("migration_ms", "ms", times.total.mean(axis=1) * 1e3)
    samples.add("downtime_ms", "ms", times.downtime.mean(axis=1) * 1e3)
    samples.add("slowdown", "x", (times.total / times.total_alone).max(axis=1))
    samples.add("pairs", "pairs", np.full(times.total.shape[0], float(pairs)))
    samples.add("bytes_sent", "B", sum(times.volumes.values()).mean(axis=1))
    samples.add("chunks", "chunks", times.chunks / pairs)
    samples.add("hop_bytes", "B", times.hop_bytes)
    for phase, value in times.durations.items():
        samples.add(f"phase_{phase}_ms", "ms", value.mean(axis=1) * 1e3)
        samples.add(f"phase_{phase}_bytes", "B", times.volumes[phase].mean(axis=1))
    return samples


class Migration(Workload[MigrationSpec]):
    """Freeze, transfer and restore a process, ``replications`` times."""

    spec_type = MigrationSpec

    def run(self, system: System, seed: np.random.SeedSequence, progress: Progress) -> SampleSet:
        spec = self.spec
        pairs = list(spec.routes())
        times = migrate(system, spec.plan(), pairs, spec.replications, seed)
        return migration_samples(times, len(pairs))


REGISTRATION = Registration(
    name="migration",
    workload=Migration,
    metrics=(
        Metric("migration_ms", "ms", "freeze start to resume on the destination, mean over pairs"),
        Metric("downtime_ms", "ms", "time the process is stopped, mean over pairs"),
        Metric("bytes_sent", "B", "payload bytes sent, mean over pairs"),
        Metric("chunks", "chunks", "portal chunks sent, mean over pairs", "transfer"),
        Metric("hop_bytes", "B", "wire bytes times routers crossed, all pairs", "transfer"),
        *(
            Metric(f"phase_{phase}_ms", "ms", f"time of the {phase} phase, mean over pairs", "phases")
            for phase in MigrationPhase
        ),
        *(
            Metric(f"phase_{phase}_bytes", "B", f"bytes of the {phase} phase, mean over pairs", "phases")
            for phase in MigrationPhase
        ),
        Metric("slowdown", "x", "time with the other migrations / time alone, max over pairs", "contention"),
        Metric("pairs", "pairs", "migrations run at once", "contention"),
    ),
    view="nanvix_exp.analysis.views.migration",
)
