"""What a migration protocol sends: the phases, and the portal transfers of each.

``erad2022`` (libnanvix ``ac8df00``, reference §1.3, §3.6): one ``kportal_write``
of the user sections, one of the UArea, then the user and the kernel stack
page of every active thread. ``daemon`` (reference §3.5): the state machine
SECTIONS, UAREA, SYSBOARD, PAGEDIR, PAGETAB, KSTACKSIDS, KSTACKSPHYS (one page
per used kernel-pool page: two per thread), FRAMES_BITMAP, FRAMES_PHYS (one
page per allocated user frame), preceded by the MIGRATE_FROM/MIGRATE_TO mailbox
messages. Sizes come from the k1b C layouts in ``kernel/structs.py``.

Without the UArea (``baseline`` kernel) the thread state is not one object:
the migration code has to ship each scattered global (threads, join
condition variables, exit values, counters, stack pointer tables, ready
queue) with a transfer of its own — our model of what the UArea saves.
"""

from __future__ import annotations

from dataclasses import dataclass

from nanvix_exp.kernel.spec import KernelSpec, Variant
from nanvix_exp.kernel.structs import CONDVAR, EXIT_VALUE, RESOURCE_ARRANGEMENT, SYSBOARD, THREAD, WORD, uarea

PGDIR_LENGTH = 1024
"""Page-directory entries of the 32-bit k1b MMU with 4 KiB pages (4 B each)."""
ROOT_PGTAB_NUM = 1
"""Page tables under the root directory (assumed: one table maps the 512 KiB user area)."""
USER_FRAMES = 128
"""User frames: 512 KiB of user memory / 4 KiB (reference §2.1)."""
CONTROL_MESSAGES = 2
"""MIGRATE_FROM to the receiver and MIGRATE_TO to the sender itself (reference §3.5)."""


@dataclass(frozen=True)
class Phase:
    """One step of a protocol: its name and the size of each portal message it sends."""

    name: str
    messages: tuple[int, ...]

    @property
    def bytes(self) -> int:
        """Payload bytes of the phase."""
        return sum(self.messages)


def thread_state(kernel: KernelSpec) -> tuple[int, ...]:
    """Messages carrying the thread subsystem's state: one UArea, or every scattered global."""
    if kernel.name is Variant.UAREA:
        return (uarea(kernel.thread_max, kernel.exit_values).size,)
    n, stacks = kernel.thread_max, kernel.thread_max + kernel.service_threads
    return (
        THREAD.size * n,
        CONDVAR.size * n,
        EXIT_VALUE.size * kernel.exit_values,
        WORD,
        WORD,
        WORD,
        WORD * stacks,
        WORD * stacks,
        RESOURCE_ARRANGEMENT.size,
    )


def erad2022(kernel: KernelSpec, image: int, threads: int, skip_sections: bool) -> list[Phase]:
    """Sections, UArea, then ustack and kstack of each thread (the paper's test)."""
    page = kernel.page_size
    return [
        Phase("sections", () if skip_sections else (image,)),
        Phase("uarea", thread_state(kernel)),
        Phase("stacks", (page,) * (2 * threads)),
    ]


def daemon(kernel: KernelSpec, cores: int, image: int, threads: int, pages: int, skip_sections: bool) -> list[Phase]:
    """The 2023 daemon's state machine (reference §3.5)."""
    page = kernel.page_size
    return [
        Phase("sections", () if skip_sections else (image,)),
        Phase("uarea", thread_state(kernel)),
        Phase("sysboard", ((cores - 1) * SYSBOARD.size,)),
        Phase("pagedir", (PGDIR_LENGTH * WORD,)),
        Phase("pagetab", (ROOT_PGTAB_NUM * PGDIR_LENGTH * WORD,)),
        Phase("kstacksids", (kernel.kpages * WORD,)),
        Phase("kstacksphys", (page,) * (2 * threads)),
        Phase("frames_bitmap", (USER_FRAMES // 32 * WORD,)),
        Phase("frames_phys", (page,) * pages),
    ]
