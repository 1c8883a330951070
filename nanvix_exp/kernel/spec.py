"""Build-time description of the Nanvix microkernel running on every compute cluster.

The two variants differ only in where the thread subsystem keeps its state:
``baseline`` (commit 5f4fc2f) scatters it over static arrays and globals in
kernel ``.data``/``.bss``; ``uarea`` (commit 92320ed) gathers a process's
threads, join condition variables, exit values, stack pointers and ready
queue in one contiguous ``struct uarea`` reached through pointer tables.
Limits follow ``include/nanvix/kernel/thread.h`` and ``mm.h``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from nanvix_exp.config.errors import SpecError
from nanvix_exp.kernel.ikc_costs import IkcCostSpec
from nanvix_exp.quantities import Bytes, is_power_of_two


class Variant(StrEnum):
    """Which memory layout the thread subsystem uses."""

    BASELINE = "baseline"
    UAREA = "uarea"


@dataclass(frozen=True)
class KernelSpec:
    """Kernel variant and the compile-time limits of its thread subsystem."""

    name: Variant
    thread_max: int
    service_threads: int
    exit_values: int
    page_size: Bytes
    kpool: Bytes
    ikc: IkcCostSpec

    def __post_init__(self) -> None:
        if not is_power_of_two(self.page_size):
            raise SpecError("page_size", self.page_size, "a power of two number of bytes, e.g. '4 KiB'")
        if self.kpool <= 0 or self.kpool % self.page_size:
            raise SpecError("kpool", self.kpool, f"a positive multiple of the page size ({self.page_size} B)")
        if self.service_threads < 1:
            raise SpecError("service_threads", self.service_threads, "at least 1 (the master thread)")
        if self.exit_values < 1:
            raise SpecError("exit_values", self.exit_values, "at least 1 slot in the exit-value ring")
        limit = self.kpages // 2 - self.service_threads
        if not 1 <= self.thread_max <= limit:
            raise SpecError(
                "thread_max",
                self.thread_max,
                f"1..{limit} (each user thread takes 2 of the {self.kpages} kernel pages; "
                f"THREAD_MAX = NUM_KPAGES/2 - KTHREAD_SERVICE_MAX)",
            )

    @property
    def kpages(self) -> int:
        """NUM_KPAGES: pages in the kernel page pool."""
        return self.kpool // self.page_size
