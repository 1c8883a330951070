"""Who waits for whom: the cores of one cluster running their paths around ``lock_tm``.

Each core follows a program of steps: ``run`` (busy for a number of cycles),
``lock`` (take ``lock_tm`` — first come, first served, spinning meanwhile —
and hold it while running), ``delay`` (time passes, e.g. IPI latency),
``signal``/``wait`` (a posted semaphore, an IPI, a thread's exit) and
``join`` (wait for an event only if it has not happened yet, then wake up
and run under the lock: ``cond_wait`` in ``thread_join``). The schedule returns the time
of every signal and, per core, how long it spun on the lock or idled waiting.
Durations come from replaying the traces; this module knows nothing of
caches.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field

RUN, LOCK, DELAY, SIGNAL, WAIT, JOIN = range(6)


@dataclass
class Program:
    """One core's steps: (kind, cycles, event name)."""

    core: int
    steps: list[tuple[int, float, str]] = field(default_factory=list)

    def run(self, cycles: float) -> None:
        """Busy for ``cycles``."""
        self.steps.append((RUN, cycles, ""))

    def lock(self, cycles: float) -> None:
        """Take ``lock_tm`` and hold it for ``cycles``."""
        self.steps.append((LOCK, cycles, ""))

    def delay(self, cycles: float) -> None:
        """Let ``cycles`` pass (not busy)."""
        self.steps.append((DELAY, cycles, ""))

    def signal(self, event: str) -> None:
        """Mark ``event`` as happened now."""
        self.steps.append((SIGNAL, 0.0, event))

    def wait(self, event: str) -> None:
        """Idle until ``event`` has happened."""
        self.steps.append((WAIT, 0.0, event))

    def join(self, event: str, cycles: float, wake: float) -> None:
        """Unless ``event`` happened: sleep until it does, wake ``wake`` cycles later, hold the lock ``cycles``."""
        self.steps.append((JOIN, cycles, event))
        self.steps.append((DELAY, wake, "?"))


@dataclass
class Schedule:
    """When each event happened and how each core spent the time it was not running."""

    times: dict[str, float]
    spin: dict[int, float]
    idle: dict[int, float]


def simulate(programs: list[Program]) -> Schedule:
    """Run every program to completion."""
    times: dict[str, float] = {}
    waiting: dict[str, list[int]] = {}
    blocked_at: dict[int, float] = {}
    spin = {p.core: 0.0 for p in programs}
    idle = {p.core: 0.0 for p in programs}
    pc = [0] * len(programs)
    queue: list[tuple[float, int, int]] = [(0.0, i, i) for i in range(len(programs))]
    seq = len(programs)
    lock_free_at = 0.0
    lock_waiters: list[tuple[float, int, int]] = []
    held = False
    while queue:
        now, _, a = heapq.heappop(queue)
        if a < 0:  # lock release
            held = False
            lock_free_at = now
            if lock_waiters:
                asked, _, w = heapq.heappop(lock_waiters)
                spin[programs[w].core] += now - asked
                held = True
                seq = _hold(queue, seq, now, programs[w].steps[pc[w]][1], w)
                pc[w] += 1
            continue
        program = programs[a]
        while pc[a] < len(program.steps):
            kind, cycles, event = program.steps[pc[a]]
            if kind in (RUN, DELAY):
                pc[a] += 1
                seq += 1
                heapq.heappush(queue, (now + cycles, seq, a))
                break
            if kind == SIGNAL:
                pc[a] += 1
                times[event] = now
                for w in waiting.pop(event, []):
                    idle[programs[w].core] += now - blocked_at[w]
                    seq += 1
                    heapq.heappush(queue, (now, seq, w))
                continue
            if kind in (WAIT, JOIN):
                if event not in times:
                    blocked_at[a] = now
                    waiting.setdefault(event, []).append(a)
                    pc[a] += 1
                    if kind == JOIN:  # after the wake-up delay, retake the lock
                        program.steps.insert(pc[a] + 1, (LOCK, cycles, ""))
                    break
                pc[a] += 1
                if kind == JOIN:  # no wait: skip the wake-up delay
                    pc[a] += 1
                continue
            # LOCK
            if held or lock_free_at > now:
                seq += 1
                heapq.heappush(lock_waiters, (now, seq, a))
                break
            held = True
            pc[a] += 1
            seq = _hold(queue, seq, now, cycles, a)
            break
    return Schedule(times, spin, idle)


def _hold(queue: list, seq: int, now: float, cycles: float, actor: int) -> int:
    """``actor`` holds the lock for ``cycles``: queue the release, then the actor's next step."""
    heapq.heappush(queue, (now + cycles, seq + 1, -1))
    heapq.heappush(queue, (now + cycles, seq + 2, actor))
    return seq + 2
