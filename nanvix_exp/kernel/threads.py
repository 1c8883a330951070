"""The Nanvix thread paths as traces: create on the master, pickup and exit on the target, join.

Control flow follows the UArea microkernel (reference §2.5–2.8), the same
for both layouts; only the addresses (and the pointer-table loads of the
UArea) differ:

- ``forward``/``reply``: the user core's side of a forwarded kernel call —
  trap, ``mutex_lock(sysboard[c].sysmutex)``, arguments and ``pending``,
  ``semaphore_up(syssem)``; later the wake-up, ``ret``, unlock and return.
- ``create``: the master's ``do_kcall2`` (semaphore, round-robin sysboard
  scan) and ``thread_create`` under ``lock_tm``: ``thread_alloc`` scan (freeing
  the zombie it meets), two ``kpage_get`` (refcount scan, ``dcache_invalidate``,
  4 KiB zeroing by the ``-O0`` byte loop of ``kmemset``), tid and affinity,
  stack pointers, ``context_create`` (320 B frame), enqueue, ``kevent_notify``
  + IPI, unlock, ``*tid`` and ``dcache_invalidate``, reply.
- ``pickup``/``run``/``exit``: the target core's idle thread takes the IPI,
  ``thread_yield`` picks the thread from the ready queue, switches to it;
  ``thread_start``'s prolog, the task (returns at once), ``thread_exit``
  (state, ``cond_broadcast(joincond)``) and the final yield to idle.
- ``join``: ``thread_join`` on the user core: ``thread_get`` scan over
  ``threads[]`` comparing tids, state check, ``next_tid``, unlock.
- ``idle``: what the master does while it waits on ``syssem``: its thread
  sleeps in ``cond_wait`` and core 0 yields to the ktask dispatcher thread,
  whose loop looks for work (invalidating the D$ to see other cores' writes)
  and yields back — one round trip per pass.
- ``tick``: the master's timer interrupt and ``thread_manager`` (ages of
  every core's current thread, the ready queue).
"""

from __future__ import annotations

from nanvix_exp.kernel import structs
from nanvix_exp.kernel.code import CodeRegion
from nanvix_exp.kernel.layout import Layout
from nanvix_exp.kernel.trace import Trace, TraceBuilder

RESERVED_KPAGES = 3
"""kpool pages in use before any user thread (master/dispatcher stacks; ref §3.5 KSTACKSPHYS from index 3)."""
MASTER = 0

# Loop bodies at -O0, in bundles and load-use stalls per iteration (assumed from the C loops).
KMEMSET = (10, 3)  # while (n--) *p++ = c;  loads n, p, c from the frame
ALLOC_SCAN = (9, 3)  # for (i = SYS; i < KTHREAD_MAX; i++) if (threads[i].state == ...)
KPAGE_SCAN = (7, 2)  # for (i = 0; i < NUM_KPAGES; i++) if (kpages[i] == 0)
TID_SCAN = (8, 3)  # thread_get: if (threads[i].tid == tid)
SYSBOARD_SCAN = (7, 2)  # do_kcall2: round robin over the sysboards' pending flags
CONTEXT_WORDS = (4, 1)  # context_create: one saved register word per iteration
AGE_SCAN = (14, 4)  # thread_manager: age of each core's current thread


class ThreadPaths:
    """Builds the traces of one kernel variant on one cluster."""

    def __init__(self, layout: Layout, code: dict[str, CodeRegion], bundle_bytes: int) -> None:
        self.L = layout
        self.code = code
        self.bundle_bytes = bundle_bytes

    def _builder(self, core: int) -> TraceBuilder:
        return TraceBuilder(self.code, self.L.core_stack(core), self.bundle_bytes)

    def _slot(self, utid: int) -> int:
        return self.L.sys_threads + utid

    def target_core(self, utid: int) -> int:
        """``coreid = (utid % (CORES_NUM - 1)) + 1`` (static affinity, ref §2.6)."""
        return utid % (self.L.cores - 1) + 1

    # -- user core: forwarding a kernel call to the master ---------------------------------------
    def forward(self, core: int, call: str) -> Trace:
        """User loop iteration, stub, trap and the forwarding half of ``do_kcall``."""
        b, L = self._builder(core), self.L
        b.call("fork_join_main", 24)
        b.call(call)
        b.call("kcall")
        b.call("_trap_entry")
        b.call("do_kcall")
        b.call("mutex_lock")
        b.atomic(2)
        b.store(L.sysboard(core, "sysmutex", "locked"))
        for i in range(3):
            b.store(L.sysboard(core, "arg") + 4 * i)
        b.store(L.sysboard(core, "syscall_nr"))
        b.store(L.sysboard(core, "pending"))
        b.call("semaphore_up")
        b.atomic(2)
        b.store(L.addr("syssem", structs.SEMAPHORE.offsets["count"]))
        b.call("semaphore_down", 16)
        b.atomic(1)
        return b.trace()

    def reply(self, core: int) -> Trace:
        """The user core wakes from its sysboard semaphore, reads ``ret`` and returns to user code."""
        b, L = self._builder(core), self.L
        b.atomic(2)
        b.dinval()  # no coherence: the master's writes are read from the SRAM
        b.load(L.sysboard(core, "ret"))
        b.call("mutex_unlock")
        b.atomic(1)
        b.store(L.sysboard(core, "sysmutex", "locked"))
        b.call("_trap_entry", 40)
        b.call("fork_join_main", 12)
        return b.trace()

    # -- master core ---------------------------------------------------------------------------------
    def dispatch(self, caller: int) -> Trace:
        """``do_kcall2``: semaphore taken, sysboards scanned round-robin, the call decoded."""
        b, L = self._builder(MASTER), self.L
        b.call("semaphore_down")
        b.atomic(2)
        b.load(L.addr("syssem", structs.SEMAPHORE.offsets["count"]))
        b.call("do_kcall2")
        b.load(L.addr("sys_next_coreid"))
        b.loop("do_kcall2", caller, *SYSBOARD_SCAN)
        for core in range(1, caller + 1):
            b.load(L.sysboard(core, "pending"))
        b.load(L.sysboard(caller, "syscall_nr"))
        for i in range(3):
            b.load(L.sysboard(caller, "arg") + 4 * i)
        return b.trace()

    def create(self, utid: int, live: int, zombie: bool) -> Trace:
        """``kernel_thread_create`` → ``thread_create`` for user thread ``utid`` (``live`` user threads exist)."""
        b, L = self._builder(MASTER), self.L
        slot = self._slot(utid)
        b.call("kernel_thread_create")
        b.call("thread_create")
        b.call("spinlock_lock")
        b.atomic(2)
        # thread_alloc: scan user slots for NOT_STARTED, freeing a zombie met on the way
        b.call("thread_alloc")
        first = self.L.sys_threads
        b.loop("thread_alloc", slot - first + 1, *ALLOC_SCAN)
        for i in range(first, slot + 1):
            b.load(L.thread(i, "state"))
        if zombie:
            b.call("thread_free")
            for name in ("ustacks", "kstacks"):
                b.load(L.array(name, utid))
                b.call("kpage_put")
                b.store(L.addr("kpages", 4 * (RESERVED_KPAGES + 2 * live)))
            b.store(L.thread(slot, "state"))
            b.load(L.scalar("nthreads"))
            b.store(L.scalar("nthreads"))
        b.load(L.scalar("nthreads"))
        b.store(L.scalar("nthreads"))
        b.store(L.thread(slot, "state"))
        b.store(L.thread(slot, "resource"))
        # kpage_get twice: refcount scan, dcache_invalidate, zeroing
        for j in range(2):
            page = RESERVED_KPAGES + 2 * live + j
            b.call("kpage_get")
            b.loop("kpage_get", page + 1, *KPAGE_SCAN)
            for i in range(page + 1):
                b.load(L.addr("kpages", 4 * i))
            b.store(L.addr("kpages", 4 * page))
            b.dinval()
            self._zero(b, L.kpage(page), L.kernel.page_size)
        # tid, affinity, stacks
        b.load(L.scalar("next_tid"))
        b.store(L.scalar("next_tid"))
        for field in ("tid", "arg", "start", "affinity", "coreid"):
            b.store(L.thread(slot, field))
        b.store(L.array("ustacks", utid))
        b.store(L.array("kstacks", utid))
        # context_create: magic words on both stacks, the 320 B initial frame on the kernel stack
        kstack = L.kpage(RESERVED_KPAGES + 2 * live)
        b.call("context_create")
        b.op_store_range(kstack + L.kernel.page_size - structs.CONTEXT_SIZE, structs.CONTEXT_SIZE)
        b.loop("context_create", structs.CONTEXT_SIZE // structs.WORD, *CONTEXT_WORDS)
        b.store(L.thread(slot, "ctx"))
        # thread_schedule: READY, age 0, enqueue on the ready FIFO
        b.call("thread_schedule")
        b.store(L.thread(slot, "state"))
        b.store(L.thread(slot, "age"))
        b.call("resource_enqueue")
        for field in ("head", "tail", "size"):
            b.load(L.ready_queue(field))
        b.store(L.ready_queue("tail"))
        b.store(L.ready_queue("size"))
        # kevent_notify to the target core's idle thread
        core = self.target_core(utid)
        b.load(L.thread(L.kernel.service_threads + core, "state"))
        b.call("kevent_notify")
        b.atomic(2)
        b.store(L.addr("kevents", 4 * core))
        b.call("event_notify")
        b.atomic(1)
        b.call("spinlock_unlock")
        b.atomic(1)
        return b.trace()

    def _zero(self, b: TraceBuilder, start: int, size: int) -> None:
        b.call("kmemset")
        b.op_store_range(start, size)
        b.loop("kmemset", size, *KMEMSET, locals_=3)

    def complete(self, caller: int) -> Trace:
        """After ``thread_create``: ``*tid`` to user memory, ``dcache_invalidate``, reply on the sysboard."""
        b, L = self._builder(MASTER), self.L
        b.store(0x80040000 + 4 * caller)  # the user's tid[] array
        b.dinval()
        b.store(L.sysboard(caller, "ret"))
        b.store(L.sysboard(caller, "pending"))
        b.call("semaphore_up")
        b.atomic(2)
        return b.trace()

    def idle(self) -> Trace:
        """One pass of the master's wait: yield to the dispatcher thread, its queue check, yield back."""
        b, L = self._builder(MASTER), self.L
        b.call("semaphore_down", 20)
        b.atomic(2)
        b.load(L.addr("syssem", structs.SEMAPHORE.offsets["count"]))
        b.call("cond_wait")
        b.atomic(2)
        for to, frm in ((1, 0), (0, 1)):  # master -> dispatcher, dispatcher -> master
            b.call("thread_yield")
            b.atomic(2)
            for thread in (frm, to):
                b.load(L.thread(thread, "state"))
                b.store(L.thread(thread, "state"))
            b.load(L.addr("curr_threads"))
            b.store(L.addr("curr_threads"))
            b.call("context_switch_to")
            stack = L.core_stack(MASTER) - (1 + to) * 1024
            b.op_store_range(L.core_stack(MASTER) - (1 + frm) * 1024 - structs.CONTEXT_SIZE, structs.CONTEXT_SIZE)
            for offset in range(0, structs.CONTEXT_SIZE, structs.CACHE_LINE):
                b.load(stack - structs.CONTEXT_SIZE + offset)
            b.call("spinlock_unlock")
            b.atomic(1)
            if to == 1:
                b.call("task_dispatcher")
                b.dinval()
                b.call("task_queue_check")
                b.load(L.addr("sys_data"))
                b.load(L.addr("kevents"))
        return b.trace()

    def tick(self) -> Trace:
        """Timer interrupt on the master: trap, handler, ``thread_manager`` over every core."""
        b, L = self._builder(MASTER), self.L
        b.call("_trap_entry")
        b.call("timer_handler")
        b.call("thread_manager")
        b.call("spinlock_lock")
        b.atomic(2)
        b.loop("thread_manager", L.cores, *AGE_SCAN)
        for core in range(L.cores):
            b.load(L.addr("curr_threads", 4 * core))
            b.load(L.thread(L.kernel.service_threads + core, "age"))
            b.store(L.thread(L.kernel.service_threads + core, "age"))
        b.load(L.ready_queue("size"))
        b.call("spinlock_unlock")
        b.atomic(1)
        b.call("_trap_entry", 40)
        return b.trace()

    def stats(self) -> Trace:
        """``kernel_stats`` on the master (arms or reads its performance monitor)."""
        b = self._builder(MASTER)
        b.call("kernel_stats")
        b.call("perf_read")
        return b.trace()

    # -- target core -------------------------------------------------------------------------------
    def pickup(self, utid: int) -> Trace:
        """IPI on the target core: idle's ``thread_yield`` under ``lock_tm`` chooses and switches to the thread."""
        L = self.L
        core = self.target_core(utid)
        b = self._builder(core)
        b.call("_trap_entry")
        b.call("kevent_handler")
        b.atomic(2)
        b.load(L.addr("kevents", 4 * core))
        b.call("thread_yield")
        b.call("spinlock_lock")
        b.atomic(2)
        b.dinval()  # no coherence: the master built the thread
        b.call("resource_remove_verify")
        for field in ("head", "size"):
            b.load(L.ready_queue(field))
        b.call("thread_choose")
        slot = self._slot(utid)
        for field in ("affinity", "resource", "state"):
            b.load(L.thread(slot, field))
        b.store(L.ready_queue("head"))
        b.store(L.ready_queue("size"))
        b.load(L.addr("curr_threads", 4 * core))
        b.store(L.addr("curr_threads", 4 * core))
        b.store(L.thread(slot, "state"))
        b.store(L.thread(L.kernel.service_threads + core, "state"))
        b.load(L.thread(slot, "ctx"))
        b.call("spinlock_unlock")
        b.atomic(1)
        return b.trace()

    def run(self, utid: int, live: int) -> Trace:
        """Context switch into the new thread, ``thread_start`` prolog, the task, return to ``thread_exit``."""
        L = self.L
        b = self._builder(self.target_core(utid))
        b.call("context_switch_to")
        kstack = L.kpage(RESERVED_KPAGES + 2 * live)
        for offset in range(0, structs.CONTEXT_SIZE, structs.CACHE_LINE):
            b.load(kstack + L.kernel.page_size - structs.CONTEXT_SIZE + offset)
        b.loop("context_switch_to", structs.CONTEXT_SIZE // structs.WORD, 2, 1)
        b.call("thread_start")
        b.call("thread_prolog")
        b.load(L.thread(self._slot(utid), "start"))
        b.load(L.thread(self._slot(utid), "arg"))
        b.call("task")
        return b.trace()

    def exit(self, utid: int) -> Trace:
        """``thread_exit`` under ``lock_tm``: TERMINATED, broadcast on its join condition, yield to idle."""
        L = self.L
        core = self.target_core(utid)
        slot = self._slot(utid)
        b = self._builder(core)
        b.call("kernel_thread_exit")
        b.call("thread_exit")
        b.call("spinlock_lock")
        b.atomic(2)
        b.dinval()
        b.store(L.thread(slot, "state"))
        b.call("cond_broadcast")
        b.load(L.joincond(slot, "lock"))
        b.atomic(2)
        b.load(L.joincond(slot, "queue"))
        b.store(L.joincond(slot, "queue"))
        b.call("thread_yield")
        b.store(L.thread(slot, "state"))  # ZOMBIE
        b.load(L.addr("curr_threads", 4 * core))
        b.store(L.addr("curr_threads", 4 * core))
        b.load(L.thread(L.kernel.service_threads + core, "ctx"))
        b.call("context_switch_to", 24)
        b.call("spinlock_unlock")
        b.atomic(1)
        return b.trace()

    # -- user core: join -------------------------------------------------------------------------------
    def join(self, core: int, utid: int) -> Trace:
        """``kthread_join(tid)``, handled locally: checks, ``thread_get`` scan, state, ``next_tid``."""
        b, L = self._builder(core), self.L
        b.call("fork_join_main", 24)
        b.call("kthread_join")
        b.call("kcall")
        b.call("_trap_entry")
        b.call("do_kcall")
        b.call("kernel_thread_join")
        b.call("thread_join")
        b.call("spinlock_lock")
        b.atomic(2)
        b.dinval()
        b.call("thread_get")
        slot = self._slot(utid)
        b.loop("thread_get", slot + 1, *TID_SCAN)
        for i in range(slot + 1):
            b.load(L.thread(i, "tid"))
        b.load(L.thread(slot, "state"))
        b.load(L.scalar("next_tid"))
        b.call("spinlock_unlock")
        b.atomic(1)
        b.call("_trap_entry", 40)
        return b.trace()

    def join_wait(self, core: int, utid: int) -> Trace:
        """The joiner blocked in ``cond_wait`` wakes, retakes ``lock_tm`` and rereads the state."""
        b, L = self._builder(core), self.L
        b.call("cond_wait")
        b.atomic(3)
        b.dinval()
        b.load(L.joincond(self._slot(utid), "queue"))
        b.load(L.thread(self._slot(utid), "state"))
        return b.trace()
