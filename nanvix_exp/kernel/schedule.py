"""Who waits for whom: the cores of one cluster running their paths around ``lock_tm``.

Each core follows a program of steps: ``run`` (busy for a number of cycles),
``lock`` (take ``lock_tm`` — first come, first served, spinning meanwhile —
and hold it while running), ``delay`` (time passes, e.g. IPI latency),
``signal``/``wait`` (a posted semaphore, an IPI, a thread's exit) and
``join`` (wait for an event only if it has not happened yet, then wake up
and run under the lock: ``cond_wait`` in ``thread_join``). The schedule returns the time
of every signal and, per core, how long it spun on the lock or idled waiting.
Durations come from replaying the traces; this module knows nothing of
caches. The event loop is compiled (one schedule per benchmark iteration).
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field

import numpy as np
from numba import njit

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
        self.steps.append((JOIN, 0.0, event))
        self.steps.append((DELAY, wake, ""))
        self.steps.append((LOCK, cycles, ""))


@dataclass
class Schedule:
    """When each event happened and how each core spent the time it was not running."""

    times: dict[str, float]
    spin: dict[int, float]
    idle: dict[int, float]


def simulate(programs: list[Program]) -> Schedule:
    """Run every program to completion."""
    names: dict[str, int] = {}
    kinds, cycles, events, starts = [], [], [], [0]
    for program in programs:
        for kind, c, event in program.steps:
            kinds.append(kind)
            cycles.append(c)
            events.append(names.setdefault(event, len(names)) if event else -1)
        starts.append(len(kinds))
    times, spin, idle = _simulate(
        np.array(kinds, dtype=np.int64),
        np.array(cycles, dtype=np.float64),
        np.array(events, dtype=np.int64),
        np.array(starts, dtype=np.int64),
        max(len(names), 1),
    )
    cores = [p.core for p in programs]
    return Schedule(
        {name: float(times[i]) for name, i in names.items() if not np.isnan(times[i])},
        {core: float(spin[i]) for i, core in enumerate(cores)},
        {core: float(idle[i]) for i, core in enumerate(cores)},
    )


@njit(cache=True)
def _simulate(
    kind: np.ndarray, cycles: np.ndarray, event: np.ndarray, starts: np.ndarray, n_events: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n = starts.shape[0] - 1
    times = np.full(n_events, np.nan)
    spin = np.zeros(n)
    idle = np.zeros(n)
    pc = starts[:-1].copy()
    blocked_on = np.full(n, -1, dtype=np.int64)
    blocked_at = np.zeros(n)
    queue = [(0.0, np.int64(i), np.int64(i)) for i in range(n)]
    heapq.heapify(queue)
    waiters = [(0.0, np.int64(0), np.int64(0))]
    waiters.pop()
    seq = np.int64(n)
    held = False
    while len(queue) > 0:
        now, _, a = heapq.heappop(queue)
        if a < 0:  # lock release: the earliest waiter takes it
            held = False
            if len(waiters) > 0:
                asked, _, w = heapq.heappop(waiters)
                spin[w] += now - asked
                held = True
                hold = cycles[pc[w]]
                pc[w] += 1
                heapq.heappush(queue, (now + hold, seq + 1, np.int64(-1)))
                heapq.heappush(queue, (now + hold, seq + 2, w))
                seq += 2
            continue
        while pc[a] < starts[a + 1]:
            k = kind[pc[a]]
            if k == RUN or k == DELAY:  # noqa: SIM109 (compiled: no tuple membership)
                heapq.heappush(queue, (now + cycles[pc[a]], seq + 1, a))
                seq += 1
                pc[a] += 1
                break
            if k == SIGNAL:
                ev = event[pc[a]]
                times[ev] = now
                pc[a] += 1
                for w in range(n):
                    if blocked_on[w] == ev:
                        blocked_on[w] = -1
                        idle[w] += now - blocked_at[w]
                        heapq.heappush(queue, (now, seq + 1, np.int64(w)))
                        seq += 1
                continue
            if k == WAIT or k == JOIN:  # noqa: SIM109
                ev = event[pc[a]]
                pc[a] += 1
                if np.isnan(times[ev]):
                    blocked_on[a] = ev
                    blocked_at[a] = now
                    break
                if k == JOIN:  # it already happened: no sleep, no wake-up, no relock
                    pc[a] += 2
                continue
            # LOCK
            if held:
                heapq.heappush(waiters, (now, seq + 1, a))
                seq += 1
                break
            held = True
            heapq.heappush(queue, (now + cycles[pc[a]], seq + 1, np.int64(-1)))
            heapq.heappush(queue, (now + cycles[pc[a]], seq + 2, a))
            seq += 2
            pc[a] += 1
            break
    return times, spin, idle
