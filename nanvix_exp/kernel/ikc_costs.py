"""Software costs of Nanvix inter-cluster communication (IKC) and of the kernel paths around it.

These are the primitive costs every IKC and migration number is built from,
the same for both kernel variants, every pattern and every size:

- ``forward_call``: a kernel call a user thread forwards to the master core
  (sysboard fill, semaphore up, master dispatch, semaphore down; reference §2.5);
- ``local_call``: a kernel call handled on the calling core (e.g. ``*_wait``);
- ``message_software``: per-message kernel work of the virtual portal/mailbox
  layer (port lookup, mbuffer allocation, header build/check; reference §3.3);
- ``mailbox_software``: per-message work of the kernel mailbox layer on each
  side (port demultiplexing over the 24-message kernel buffer; reference §3.1);
- ``interrupt``: entering and leaving a NoC interrupt handler (C-NoC
  permission, D-NoC end of transfer);
- ``wakeup``: waking a thread that blocked in ``*_wait`` before its data came;
- ``memcpy_bytes_per_cycle``: throughput of ``kmemcpy`` (one copy into the
  kernel mbuffer on the sender, one out of it on the receiver, per chunk);
- ``quantum``: ``THREAD_QUANTUM`` in timer ticks (the tick period is the
  cluster's ``hardware.cluster.tick``, shared with the thread model); the task
  dispatcher shares core 0 with the master thread and only gets the core when
  the master's quantum expires (reference §2.1, §2.8);
- ``invalidate_per_line``: cycles per line or TLB entry dropped by
  ``dcache_invalidate``/``tlb_flush`` on restore.
Cycle counts are at the chip clock.
"""

from __future__ import annotations

from dataclasses import dataclass

from nanvix_exp.config.errors import SpecError


@dataclass(frozen=True)
class IkcCostSpec:
    """Primitive software costs of IKC (cycles unless stated)."""

    forward_call: float
    local_call: float
    message_software: float
    mailbox_software: float
    interrupt: float
    wakeup: float
    memcpy_bytes_per_cycle: float
    quantum: int
    invalidate_per_line: float

    def __post_init__(self) -> None:
        for name in (
            "forward_call",
            "local_call",
            "message_software",
            "mailbox_software",
            "interrupt",
            "wakeup",
            "invalidate_per_line",
        ):
            if getattr(self, name) < 0:
                raise SpecError(name, getattr(self, name), "a number of cycles >= 0")
        if not self.memcpy_bytes_per_cycle > 0:
            raise SpecError("memcpy_bytes_per_cycle", self.memcpy_bytes_per_cycle, "a positive throughput")
        if self.quantum < 1:
            raise SpecError("quantum", self.quantum, "at least 1 tick")
