"""Process migration between compute clusters (ERAD 2022 and the later daemon).

The process on ``source`` is frozen, its user sections (``image``), UArea and
the stacks of its ``threads`` (plus ``pages`` extra user pages) are sent over
the NoC to ``destination`` with a migration ``protocol`` and ``strategy``, and
it is restored there; ``pairs`` runs several migrations at once.

PLACEHOLDER until the NoC/IKC model lands: reports only the byte count of the
process state (``placeholder_state_bytes``), no timing.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from nanvix_exp.config.errors import SpecError
from nanvix_exp.hardware.platform import HardwareSpec
from nanvix_exp.kernel.spec import KernelSpec
from nanvix_exp.progress import Progress
from nanvix_exp.quantities import Bytes
from nanvix_exp.samples import SampleSet
from nanvix_exp.system import System
from nanvix_exp.workloads.base import Workload


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
    replications: int

    def __post_init__(self) -> None:
        if self.image <= 0:
            raise SpecError("image", self.image, "a positive size of the user sections, e.g. '342.8 KB'")
        if self.pages < 0:
            raise SpecError("pages", self.pages, "0 or more extra user pages")
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


class Migration(Workload[MigrationSpec]):
    """Freeze, transfer and restore a process, ``replications`` times."""

    spec_type = MigrationSpec

    def run(self, system: System, seed: np.random.SeedSequence, progress: Progress) -> SampleSet:
        samples = SampleSet()
        state = float(self.spec.footprint(system.kernel))
        samples.add("placeholder_state_bytes", "B", np.full(self.spec.replications, state))
        return samples
