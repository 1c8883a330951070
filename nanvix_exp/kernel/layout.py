"""Kernel data layouts: every symbol the thread paths touch gets an address.

``baseline`` (nanvix/microkernel 5f4fc2f) keeps the thread subsystem in
scattered static arrays and globals of ``common.c`` and ``preemptive.c``,
among their neighbours in ``.kernel_data``/``.kernel_bss`` (reference §2.4).
``uarea`` (92320ed) keeps the system threads in ``threads_sys[]`` and a
process's user threads, join condition variables, counters, exit values,
stack pointers and ready queue in one contiguous ``struct uarea``; the code
reaches them through pointer tables and pointer globals — one extra load per
access. Sizes come from the C structures on the 32-bit k1b ABI
(``kernel/structs.py``); link order and the sizes of the unrelated neighbours
are assumptions, stated next to them.

Accessors return the chain of addresses one C access loads: the pointer(s)
first, then the datum.
"""

from __future__ import annotations

from dataclasses import dataclass

from nanvix_exp.kernel import structs
from nanvix_exp.kernel.spec import KernelSpec, Variant

DATA_BASE = 0x70000
"""Start of ``.kernel_data`` (after ~384 KiB of kernel text; assumed)."""
KPOOL_BASE = 0x140000
"""Kernel page pool (ref §2.1 memory map, 2022 boot logs)."""
CORE_STACKS = 0x97000
"""Per-core kernel/exception stacks, 0x1000 apart (ref §2.1, boot logs "exception stack at 0x97000…")."""
CORE_STACK_STRIDE = 0x1000


@dataclass(frozen=True)
class Symbol:
    """One object in kernel data."""

    name: str
    address: int
    size: int


class Layout:
    """Addresses of the thread subsystem's data in one kernel variant."""

    def __init__(self, kernel: KernelSpec, cores: int) -> None:
        self.kernel = kernel
        self.variant = kernel.name
        self.cores = cores
        self.sys_threads = kernel.service_threads + cores  # master, dispatcher and one idle thread per core
        self.kthreads = self.sys_threads + kernel.thread_max
        self.uarea_struct = structs.uarea(kernel.thread_max, kernel.exit_values)
        self.symbols: dict[str, Symbol] = {}
        cursor = DATA_BASE
        for name, size, align in self._objects():
            cursor = -(-cursor // align) * align
            self.symbols[name] = Symbol(name, cursor, size)
            cursor += size

    # -- layout ---------------------------------------------------------------------------------------
    def _objects(self) -> list[tuple[str, int, int]]:
        """(name, size, alignment) in link order: ``.kernel_data`` then ``.kernel_bss``.

        ``*_data``/``*_bss``/``noc_*`` are the unrelated neighbours of the thread state (sizes assumed:
        the kernel's other tables, e.g. the NoC layer's mailbox/portal/sync tables).
        """
        k = self.kernel
        thread, condvar, line = structs.THREAD.size, structs.CONDVAR.size, structs.CACHE_LINE
        baseline = self.variant is Variant.BASELINE
        kstack_max = k.thread_max + k.service_threads
        data = [
            ("hal_data", 1824, 8),
            ("noc_tables", 5376, 8),
            # common.c: the thread table is statically initialised, so it lives in .data
            ("threads", thread * self.kthreads, line) if baseline else ("threads_sys", thread * self.sys_threads, line),
            ("pm_data", 296, 8),
            ("sys_data", 512, 8),
        ]
        bss = [
            ("kevent_lock", 8, 8),
            ("kevents", 4 * self.cores, 4),
            ("perf_state", 64, 8),
            ("kpages", 4 * k.kpages, 4),
            ("mm_bss", 704, 8),
            ("curr_threads", 4 * self.cores, 4),
            ("lock_tm", 8, 8),
        ]
        if baseline:
            bss += [
                ("joincond", condvar * self.kthreads, 8),  # common.c .bss, in declaration order
                ("nthreads", 4, 4),
                ("next_tid", 4, 4),
                ("retvals", structs.EXIT_VALUE.size * k.exit_values, 4),
                ("retval_curr_slot", 4, 4),
                ("pm_bss", 1216, 8),  # event.c, sync objects, semaphores/mutex tables between the two files
                ("ustacks", 4 * kstack_max, 4),  # preemptive.c .bss
                ("kstacks", 4 * kstack_max, 4),
                ("scheduling", structs.RESOURCE_ARRANGEMENT.size, 4),
            ]
        else:
            bss += [
                ("joincond_sys", condvar * self.sys_threads, 8),
                ("threads", 4 * self.kthreads, 4),  # pointer tables, wired by uarea_init()
                ("joincond", 4 * self.kthreads, 4),
                ("nthreads", 4, 4),  # pointer globals into the uarea
                ("next_tid", 4, 4),
                ("retval_curr_slot", 4, 4),
                ("retvals", 4, 4),
                ("ustacks", 4, 4),
                ("kstacks", 4, 4),
                ("scheduling", 4, 4),
                ("pm_bss", 1216, 8),
                ("uarea", self.uarea_struct.size, self.uarea_struct.align),
            ]
        bss += [
            ("syssem", structs.SEMAPHORE.size, 8),
            ("sys_next_coreid", 4, 4),
            ("sysboard", structs.SYSBOARD.size * self.cores, line),
        ]
        return data + bss

    def addr(self, name: str, offset: int = 0) -> int:
        """Address of ``name`` plus ``offset``."""
        return self.symbols[name].address + offset

    # -- accessors (chains of loaded addresses) ----------------------------------------------------------
    def thread(self, i: int, field: str) -> list[int]:
        """``threads[i]->field`` (KTHREAD index ``i``)."""
        return self._per_thread("threads", structs.THREAD, i, field)

    def joincond(self, i: int, field: str = "lock") -> list[int]:
        """``joincond[i].field``."""
        return self._per_thread("joincond", structs.CONDVAR, i, field)

    def _per_thread(self, table: str, struct: structs.CStruct, i: int, field: str) -> list[int]:
        """``table[i].field``: a static array in the baseline; a pointer table into ``<table>_sys`` or the UArea."""
        off = struct.offsets[field]
        if self.variant is Variant.BASELINE:
            return [self.addr(table, struct.size * i + off)]
        if i < self.sys_threads:
            target = self.addr(f"{table}_sys", struct.size * i)
        else:
            target = self._uarea(table, struct.size * (i - self.sys_threads))
        return [self.addr(table, 4 * i), target + off]

    def scalar(self, name: str) -> list[int]:
        """``nthreads``, ``next_tid`` or ``retval_curr_slot``."""
        if self.variant is Variant.BASELINE:
            return [self.addr(name)]
        return [self.addr(name), self._uarea(name)]

    def array(self, name: str, index: int, element: int = 4) -> list[int]:
        """``ustacks[i]``, ``kstacks[i]``, ``retvals[i]`` (``element`` bytes each)."""
        if self.variant is Variant.BASELINE:
            return [self.addr(name, element * index)]
        return [self.addr(name), self._uarea(name, element * index)]

    def ready_queue(self, field: str) -> list[int]:
        """``scheduling->field`` (the single ready FIFO)."""
        off = structs.RESOURCE_ARRANGEMENT.offsets[field]
        if self.variant is Variant.BASELINE:
            return [self.addr("scheduling", off)]
        return [self.addr("scheduling"), self._uarea("scheduling", off)]

    def sysboard(self, core: int, field: str, sub: str | None = None) -> int:
        """Address of ``sysboard[core].field`` (``sub``: member of a nested semaphore/mutex)."""
        off = structs.SYSBOARD.offsets[field]
        if sub is not None:
            inner = structs.SEMAPHORE if field == "syssem" else structs.MUTEX
            off += inner.offsets[sub]
        return self.addr("sysboard", structs.SYSBOARD.size * core + off)

    def kpage(self, index: int) -> int:
        """First byte of kernel pool page ``index``."""
        return KPOOL_BASE + index * self.kernel.page_size

    def core_stack(self, core: int) -> int:
        """Top of ``core``'s kernel stack."""
        return CORE_STACKS + (core + 1) * CORE_STACK_STRIDE

    def _uarea(self, member: str, offset: int = 0) -> int:
        return self.addr("uarea", self.uarea_struct.offsets[member] + offset)

    def thread_state_lines(self, line: int = structs.CACHE_LINE) -> int:
        """Distinct cache lines holding the user-thread state (a measure of its locality)."""
        names = ("threads", "joincond", "nthreads", "next_tid", "retval_curr_slot", "retvals", "ustacks", "kstacks")
        spans = [(self.symbols[n].address, self.symbols[n].size) for n in (*names, "scheduling")]
        if self.variant is Variant.UAREA:
            spans.append((self.symbols["uarea"].address, self.symbols["uarea"].size))
        lines = {a // line for start, size in spans for a in range(start, start + size)}
        return len(lines)
