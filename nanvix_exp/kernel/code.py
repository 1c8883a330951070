"""Kernel text: the functions on the thread paths and where the linker puts them.

``.kernel_text`` is laid out in link order (HAL, kernel library, memory
manager, process manager, synchronisation, system calls, with the rest of the
kernel between them as fixed-size neighbours). Sizes are estimates of the
``-O0`` code of each function (the default build, reference §2.10): they set
which I$ sets each function occupies and so the conflict misses between the
paths. The UArea kernel is the same text except that every function that
reaches thread state through the pointer tables is longer by one load bundle
per access site, and ``uarea.c`` (``uarea_init``) joins the process manager —
which shifts every later function, as relinking does.
"""

from __future__ import annotations

from dataclasses import dataclass

from nanvix_exp.kernel.spec import Variant

TEXT_BASE = 0x10000
"""Start of ``.kernel_text`` (after the 0x8000 hypervisor area and the boot code; ref §2.1 memory map)."""
USER_TEXT = 0x80000000
"""User virtual base (ref §2.1); the benchmark and libnanvix stubs live there."""
SITE_BYTES = 8
"""Extra code per pointer-table access site in the UArea kernel: one load bundle of 8 B (assumed)."""

# (function, -O0 size in bytes, thread-state access sites). ``None`` = neighbour code not on the paths.
TEXT: tuple[tuple[str, int, int], ...] = (
    ("_trap_entry", 640, 0),  # save/restore of the 320 B context, k1b ctx.S
    ("hal_misc", 9216, 0),
    ("dcache_invalidate", 96, 0),
    ("spinlock_lock", 160, 0),
    ("spinlock_unlock", 96, 0),
    ("event_notify", 224, 0),
    ("perf_read", 192, 0),
    ("hal_noc", 14336, 0),
    ("kmemset", 128, 0),
    ("kmemcpy", 160, 0),
    ("klib_misc", 3072, 0),
    ("kpage_get", 512, 0),
    ("kpage_put", 320, 0),
    ("mm_misc", 6144, 0),
    ("thread_alloc", 704, 6),
    ("thread_free", 448, 5),
    ("thread_get", 320, 2),
    ("thread_save_retval", 352, 4),
    ("thread_search_retval", 384, 3),
    ("uarea_init", 416, 0),  # UArea kernel only
    ("thread_create", 1408, 14),
    ("context_create", 576, 0),
    ("thread_schedule", 256, 2),
    ("resource_enqueue", 256, 0),
    ("resource_remove_verify", 384, 0),
    ("thread_choose", 192, 1),
    ("thread_yield", 1024, 8),
    ("thread_prolog", 512, 4),
    ("thread_start", 256, 1),
    ("thread_exit", 512, 6),
    ("thread_join", 640, 6),
    ("thread_manager", 896, 6),
    ("kevent_notify", 320, 0),
    ("kevent_handler", 256, 0),
    ("context_switch_to", 384, 0),
    ("pm_misc", 5120, 0),
    ("cond_wait", 384, 0),
    ("cond_broadcast", 320, 0),
    ("semaphore_up", 256, 0),
    ("semaphore_down", 320, 0),
    ("mutex_lock", 256, 0),
    ("mutex_unlock", 192, 0),
    ("noc_kernel", 18432, 0),
    ("do_kcall", 768, 0),
    ("do_kcall2", 640, 0),
    ("kernel_thread_create", 256, 0),
    ("kernel_thread_join", 288, 0),
    ("kernel_thread_exit", 192, 0),
    ("kernel_stats", 352, 0),
    ("timer_handler", 384, 0),
    ("sys_misc", 4096, 0),
    ("task_misc", 7168, 0),
    ("task_dispatcher", 1152, 0),  # the ktask dispatcher thread's loop (core 0's second service thread)
    ("task_queue_check", 448, 0),
)
UAREA_ONLY = ("uarea_init",)
# User side (libnanvix stubs and the benchmark), in user text.
USER_TEXT_FUNCTIONS: tuple[tuple[str, int], ...] = (
    ("fork_join_main", 768),
    ("kthread_create", 192),
    ("kthread_join", 192),
    ("kstats", 192),
    ("kcall", 128),
    ("task", 64),
)


@dataclass(frozen=True)
class CodeRegion:
    """One function: first byte and size of its code."""

    name: str
    start: int
    size: int


def text_layout(variant: Variant) -> dict[str, CodeRegion]:
    """Every path function's code region for ``variant``, in link order."""
    regions: dict[str, CodeRegion] = {}
    cursor = TEXT_BASE
    for name, size, sites in TEXT:
        if name in UAREA_ONLY and variant is not Variant.UAREA:
            continue
        if variant is Variant.UAREA:
            size += sites * SITE_BYTES
        regions[name] = CodeRegion(name, cursor, size)
        cursor += -(-size // 32) * 32  # functions aligned to 32 B (k1b bundle alignment)
    cursor = USER_TEXT
    for name, size in USER_TEXT_FUNCTIONS:
        regions[name] = CodeRegion(name, cursor, size)
        cursor += size
    return regions
