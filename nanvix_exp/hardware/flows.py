"""Flow-level contention on the D-NoC: concurrent transfers share link bandwidth max-min fairly.

Each migration (a "stream") is a sequence of chunks: a software gap on the
cores (handshake, copies, waits), then the chunk's wire bytes pushed along the
stream's fixed route. While several streams push at once, each link's
bandwidth (minus the background traffic drawn for that replication) is split
by max-min fairness (progressive filling): streams bottlenecked elsewhere keep
their rate, the others share what is left equally. Streams whose routes have
no link in common never change each other's rates. The event loop is
compiled; its cost grows with chunks x streams, not with bytes.
"""

from __future__ import annotations

import numpy as np
from numba import njit

EPS = 1e-15


@njit(cache=True)
def _fair_rates(active: np.ndarray, offsets: np.ndarray, links: np.ndarray, capacity: np.ndarray) -> np.ndarray:
    streams = active.shape[0]
    rates = np.zeros(streams)
    left = capacity.copy()
    fixed = ~active
    users = np.zeros(capacity.shape[0], dtype=np.int64)
    while not fixed.all():
        users[:] = 0
        for s in range(streams):
            if not fixed[s]:
                for k in range(offsets[s], offsets[s + 1]):
                    users[links[k]] += 1
        best = np.inf
        bottleneck = -1
        for link in range(capacity.shape[0]):
            if users[link] > 0 and left[link] / users[link] < best:
                best = left[link] / users[link]
                bottleneck = link
        for s in range(streams):
            if fixed[s]:
                continue
            crosses = False
            for k in range(offsets[s], offsets[s + 1]):
                if links[k] == bottleneck:
                    crosses = True
            if crosses:
                rates[s] = best
                fixed[s] = True
                for k in range(offsets[s], offsets[s + 1]):
                    left[links[k]] -= best
    return rates


def simulate_streams(
    gaps: np.ndarray, wire: np.ndarray, offsets: np.ndarray, links: np.ndarray, capacity: np.ndarray
) -> np.ndarray:
    """End time of every chunk, shape (replications, streams, chunks).

    ``gaps[r, s, c]`` is the software time before chunk ``c`` of stream ``s``
    may be pushed (counted from the end of the previous chunk's push),
    ``wire[r, s, c]`` its bytes on the wire (0 = nothing pushed), ``capacity[r, l]``
    the bandwidth of link ``l`` in replication ``r``. Routes are CSR arrays:
    stream ``s`` crosses ``links[offsets[s]:offsets[s + 1]]``.
    """
    real = [np.ascontiguousarray(a, dtype=np.float64) for a in (gaps, wire, capacity)]
    index = [np.ascontiguousarray(a, dtype=np.int64) for a in (offsets, links)]
    return _simulate(real[0], real[1], index[0], index[1], real[2])


@njit(cache=True)
def _simulate(
    gaps: np.ndarray, wire: np.ndarray, offsets: np.ndarray, links: np.ndarray, capacity: np.ndarray
) -> np.ndarray:
    reps, streams, chunks = gaps.shape
    ends = np.zeros((reps, streams, chunks))
    for r in range(reps):
        chunk = np.zeros(streams, dtype=np.int64)
        pushing = np.zeros(streams, dtype=np.bool_)
        ready_at = gaps[r, :, 0].copy()
        remaining = np.zeros(streams)
        now = 0.0
        done = 0
        while done < streams:
            rates = _fair_rates(pushing, offsets, links, capacity[r]) if pushing.any() else np.zeros(streams)
            step = np.inf
            for s in range(streams):
                if chunk[s] >= chunks:
                    continue
                step = min(step, remaining[s] / rates[s] if pushing[s] else ready_at[s] - now)
            step = max(step, 0.0)
            now += step
            for s in range(streams):
                if chunk[s] >= chunks:
                    continue
                if pushing[s]:
                    remaining[s] -= rates[s] * step
                    finished = remaining[s] <= EPS * max(1.0, wire[r, s, chunk[s]])
                elif ready_at[s] <= now:
                    remaining[s] = wire[r, s, chunk[s]]
                    pushing[s] = remaining[s] > 0
                    finished = not pushing[s]
                else:
                    finished = False
                if finished:
                    pushing[s] = False
                    ends[r, s, chunk[s]] = now
                    chunk[s] += 1
                    if chunk[s] < chunks:
                        ready_at[s] = now + gaps[r, s, chunk[s]]
                    else:
                        done += 1
    return ends
