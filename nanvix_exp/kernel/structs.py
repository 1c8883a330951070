"""C structures of the Nanvix thread subsystem laid out on the 32-bit k1b ABI.

Field lists follow ``include/nanvix/kernel/thread.h`` and ``uarea.h`` of the
UArea branch (reference §2.2–2.5); sizes follow the k1b ABI (``int``, pointers
and ``word_t`` 4 B, ``short`` 2 B, ``uint64_t`` and ``spinlock_t`` 8 B,
naturally aligned). ``CStruct`` computes offsets, padding and the total size
exactly as a C compiler does, so layouts and transfer sizes come from the
structures, not from typed-in totals.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

WORD = 4
CACHE_LINE = 64
CONTEXT_SIZE = 320
"""``K1B_CONTEXT_SIZE``: r0–r63 plus special registers, 80 words (reference §2.1)."""


@dataclass(frozen=True)
class Field:
    """One member: ``count`` elements of ``size`` bytes aligned to ``align``."""

    name: str
    size: int
    align: int
    count: int = 1


@dataclass(frozen=True)
class CStruct:
    """A C struct: members in declaration order, optional ``alignas`` of the whole struct."""

    name: str
    fields: tuple[Field, ...]
    alignas: int = 1

    @cached_property
    def offsets(self) -> dict[str, int]:
        """Byte offset of every member."""
        offsets, cursor = {}, 0
        for field in self.fields:
            cursor = _round_up(cursor, field.align)
            offsets[field.name] = cursor
            cursor += field.size * field.count
        return offsets

    @cached_property
    def align(self) -> int:
        """Alignment of the struct (largest member alignment or ``alignas``)."""
        return max([self.alignas, *(f.align for f in self.fields)])

    @cached_property
    def size(self) -> int:
        """``sizeof``: last member end rounded up to the struct alignment."""
        last = self.fields[-1]
        return _round_up(self.offsets[last.name] + last.size * last.count, self.align)

    def member(self, name: str) -> Field:
        """The member called ``name``."""
        return next(f for f in self.fields if f.name == name)

    def as_field(self, name: str, count: int = 1) -> Field:
        """The struct used as a member (or array of ``count``) of another struct."""
        return Field(name, self.size, self.align, count)


def _round_up(value: int, align: int) -> int:
    return -(-value // align) * align


def word(name: str, count: int = 1) -> Field:
    """An ``int``, pointer or ``word_t`` member."""
    return Field(name, WORD, WORD, count)


RESOURCE = CStruct("resource", (word("flags"), word("next")))
"""``struct resource``: scheduling-queue link, first member of every thread."""

RESOURCE_ARRANGEMENT = CStruct("resource_arrangement", (word("head"), word("tail"), word("size")))
"""A FIFO of resources (the ready queue, a condition variable's waiters)."""

THREAD = CStruct(
    "thread",
    (
        RESOURCE.as_field("resource"),
        word("tid"),
        Field("coreid", 2, 2),
        Field("state", 2, 2),
        word("affinity"),
        Field("age", 8, 8),
        Field("core_mode", 2, 2),
        word("arg"),
        word("start"),
        word("ctx"),
    ),
    alignas=CACHE_LINE,
)
"""``struct thread``, aligned to ``CACHE_LINE_SIZE``: 48 B of fields in one 64 B line (reference §2.2)."""

SPINLOCK = Field("lock", 8, 8)
"""``spinlock_t`` is ``uint64_t`` on k1b (reference §2.1)."""

CONDVAR = CStruct("condvar", (SPINLOCK, RESOURCE_ARRANGEMENT.as_field("queue")))
"""``struct condvar``: a spinlock and the queue of waiting threads."""

EXIT_VALUE = CStruct("exit_value", (word("tid"), word("retval")))
"""One slot of the exit-value ring."""


def uarea(thread_max: int, exit_values: int) -> CStruct:
    """``struct uarea`` (reference §2.3) for ``THREAD_MAX`` user threads and the exit-value ring size."""
    return CStruct(
        "uarea",
        (
            word("nthreads"),
            word("next_tid"),
            word("retval_curr_slot"),
            THREAD.as_field("threads", thread_max),
            CONDVAR.as_field("joincond", thread_max),
            EXIT_VALUE.as_field("retvals", exit_values),
            word("freezing"),
            RESOURCE_ARRANGEMENT.as_field("scheduling"),
            word("ustacks", thread_max),
            word("kstacks", thread_max),
            word("sysboard"),
        ),
    )


SEMAPHORE = CStruct("semaphore", (word("count"), SPINLOCK, RESOURCE_ARRANGEMENT.as_field("queue")))
"""``struct semaphore`` (estimate: count, lock, waiting queue; the exact members are not in the reference)."""

MUTEX = CStruct("mutex", (word("locked"), SPINLOCK, RESOURCE_ARRANGEMENT.as_field("queue")))
"""``struct mutex`` (estimate, as the semaphore)."""

SYSBOARD = CStruct(
    "sysboard",
    (
        word("arg", 5),
        word("syscall_nr"),
        word("ret"),
        SEMAPHORE.as_field("syssem"),
        MUTEX.as_field("sysmutex"),
        word("pending"),
    ),
    alignas=CACHE_LINE,
)
"""``struct sysboard``: one per core, cache-line aligned, the mailbox of a forwarded system call (reference §2.5)."""
