"""The task dispatcher on core 0 and what it does to each portal chunk of a migration.

The migration daemons are kernel tasks run by the dispatcher thread, which
shares core 0 with the master thread (the forwarded-syscall loop). Once a task
blocks (waiting for a permission or for data), the master runs again and the
dispatcher only gets the core back when the master's quantum expires: after the
remaining ``quantum`` ticks of the master thread. How much of it remains when
the task becomes ready depends on the phase of the timer relative to the event:
it is drawn uniformly from the seed, once per wake-up, on each cluster.

Per chunk, the sender's task wakes after its push, waits for its slot and
copies the next chunk into an mbuffer; the receiver's task wakes on the
end-of-transfer interrupt, waits for its slot, copies the data out and allows
the next chunk. The next push starts when both are done (from the interrupt
handler if the permission comes last). This is why a 4 KiB chunk costs about
one quantum (milliseconds) here, while the 2019 benchmark threads, woken
directly on their own cores, see tens of microseconds.
"""

from __future__ import annotations

import numpy as np

from nanvix_exp.kernel.portal import IkcTimes


def slot_waits(t: IkcTimes, phases: np.ndarray) -> np.ndarray:
    """Time until the dispatcher gets core 0, for remaining-quantum fractions ``phases`` in [0, 1)."""
    return phases * t.costs.quantum * t.hardware.cluster.tick


def chunk_gaps(
    t: IkcTimes, sizes: np.ndarray, sender: np.ndarray, receiver: np.ndarray, latency: float, control: float
) -> np.ndarray:
    """Software time before each chunk's push, counted from the end of the previous push.

    ``sizes[..., c]`` is the payload of chunk ``c`` (0 = no chunk); ``sender`` and
    ``receiver`` are the remaining-quantum fractions drawn for each chunk;
    ``latency`` the D-NoC route latency, ``control`` the C-NoC permission time.
    """
    previous = np.zeros_like(sizes)
    previous[..., 1:] = sizes[..., :-1]
    first = previous == 0
    message = t.cycles(t.costs.message_software)
    committed = np.where(first, 0.0, t.wait_return()) + slot_waits(t, sender) + message + t.copy(sizes)
    landed = np.where(first, 0.0, latency + t.late_push() + message + t.copy(previous))
    allowed = landed + slot_waits(t, receiver) + message + control
    gaps = np.where(allowed <= committed, committed, allowed + t.late_push())
    return np.where(sizes > 0, gaps, 0.0)


def tail(t: IkcTimes, last: np.ndarray, receiver: np.ndarray, latency: float) -> np.ndarray:
    """After the last push: the receiver's interrupt, slot and copy-out of the last chunk."""
    return latency + t.late_push() + slot_waits(t, receiver) + t.cycles(t.costs.message_software) + t.copy(last)
