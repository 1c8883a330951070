"""The fork-join benchmark on one simulated compute cluster, iteration by iteration.

One user thread on core 1 forks N threads (each ``kthread_create`` forwarded
to the master, core 0), then joins them; ``kstats`` brackets each loop and the
counters are the **master core's** over the fork loop and over the join loop
(reference §1.2). Each iteration:

1. **replay** — every core runs its paths in program order through its own
   caches and TLBs (private caches, no coherence: the order on a core does not
   depend on timing), one compiled call per core; the benchmark's result
   print between iterations (forwarded ``write``) pollutes the master's and
   the user core's caches by a seeded amount — the starting cache state;
2. **schedule** — the event counts become cycles (``PipelineSpec``), and the
   cores' programs run around ``lock_tm``, the sysboard semaphores, the IPIs
   and the exits (``kernel/schedule.py``);
3. **count** — the master's counters over each window are its own paths plus
   its wait passes (``ThreadPaths.idle``) filling the gaps, plus the timer
   ticks that land in the window (seeded phase).

Seeded variability: the result print's cache pollution, the timer phase, and
the phase of each notified core's sleep cycle (its wake-up delay is uniform
on ``[0, 2 x wakeup]``).

Replays give event counts independent of the penalties, so ``Replayed``
iterations can be re-timed cheaply (calibration).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np

from nanvix_exp.hardware.core import CODE, EVENTS, STORE, PipelineSpec, counters
from nanvix_exp.hardware.platform import HardwareSpec
from nanvix_exp.kernel.code import text_layout
from nanvix_exp.kernel.layout import Layout
from nanvix_exp.kernel.schedule import Program, simulate
from nanvix_exp.kernel.spec import KernelSpec
from nanvix_exp.kernel.threads import MASTER, ThreadPaths
from nanvix_exp.kernel.trace import Trace, TraceBuilder

USER_CORE = 1
"""The benchmark's main thread (utid 0) runs on core 1 (affinity ``0 % 15 + 1``)."""
PRINT_LINES = (0, 48)
"""Code/data lines the per-iteration result print touches on the master and user core (uniform; assumed)."""


@dataclass
class Replayed:
    """Event counts of every segment of one iteration, plus its seeded timer phase."""

    n: int
    cores: int
    events: dict[str, np.ndarray]
    tick_phase: float
    wake_phases: np.ndarray
    """Per thread, where in its sleep/poll cycle the target core (then the joiner) is when notified."""
    derived: dict = field(default_factory=dict)
    """Sums of ``events`` per penalty set, shared by the iterations that reuse this replay."""


class ForkJoinModel:
    """A cluster (master, user core, target cores) running the fork-join benchmark on one kernel."""

    def __init__(self, hardware: HardwareSpec, kernel: KernelSpec, seed: int = 0) -> None:
        cluster = hardware.cluster
        self.hardware = hardware
        self.layout = Layout(kernel, cluster.cores)
        self.code = text_layout(kernel.name)
        self.paths = ThreadPaths(self.layout, self.code, cluster.core.bundle_bytes)
        self.cores = [cluster.new_core(seed * 1000 + c) for c in range(cluster.cores)]
        self.previous_n = 0
        self._plans: dict[tuple[int, int], dict[int, tuple[list[str], Trace, np.ndarray]]] = {}
        self._memo = _Memo(self.paths)

    # -- 1. replay ---------------------------------------------------------------------------------------
    def _plan(self, n: int, zombies: int) -> dict[int, tuple[list[str], Trace, np.ndarray]]:
        """Per core: segment names and the concatenated traces, in program order (cached per N)."""
        key = (n, zombies)
        if key in self._plans:
            return self._plans[key]
        p = self._memo
        per_core: dict[int, list[tuple[str, Trace]]] = {c: [] for c in range(len(self.cores))}
        m, u = per_core[MASTER], per_core[USER_CORE]
        m += [("tick", p.tick()), ("comp_s0", p.complete(USER_CORE))]
        u.append(("rep_s0", p.reply(USER_CORE)))
        for k in range(1, n + 1):
            u += [(f"fwd{k}", p.forward(USER_CORE, "kthread_create")), (f"rep{k}", p.reply(USER_CORE))]
            m += [(f"idle{k}", p.idle()), (f"idle_steady{k}", p.idle())]
            m += [(f"disp{k}", p.dispatch(USER_CORE)), (f"create{k}", p.create(k, k, k <= zombies))]
            m.append((f"comp{k}", p.complete(USER_CORE)))
            core = p.target_core(k)
            if core != USER_CORE:
                per_core[core] += [(f"pick{k}", p.pickup(k)), (f"run{k}", p.run(k, k)), (f"exit{k}", p.exit(k))]
        u += [("fwd_fs", p.forward(USER_CORE, "kstats")), ("rep_fs", p.reply(USER_CORE))]
        m += [("disp_fs", p.dispatch(USER_CORE)), ("stats_fs", p.stats()), ("comp_fs", p.complete(USER_CORE))]
        for k in range(1, n + 1):
            u.append((f"join{k}", p.join(USER_CORE, k)))
            if p.target_core(k) == USER_CORE:
                u += [(f"pick{k}", p.pickup(k)), (f"run{k}", p.run(k, k)), (f"exit{k}", p.exit(k))]
            u.append((f"jwait{k}", p.join_wait(USER_CORE, k)))
        u.append(("fwd_js", p.forward(USER_CORE, "kstats")))
        m += [("idle_j", p.idle()), ("idle_steady_j", p.idle())]
        m += [("disp_js", p.dispatch(USER_CORE)), ("stats_js", p.stats())]
        plan = {}
        for core, segments in per_core.items():
            if not segments:
                continue
            traces = [t for _, t in segments]
            bounds = np.cumsum([0, *(len(t) for t in traces)]).astype(np.int64)
            joined = Trace(*(np.concatenate([getattr(t, f) for t in traces]) for f in ("kind", "addr", "arg")))
            plan[core] = ([name for name, _ in segments], joined, bounds)
        self._plans[key] = plan
        return plan

    def _print_pollution(self, rng: np.random.Generator) -> None:
        """The result print between iterations runs the write path on the user core and the master."""
        for core in (self.cores[USER_CORE], self.cores[MASTER]):
            b = TraceBuilder(self.code, self.layout.core_stack(0), self.paths.bundle_bytes)
            lines = int(rng.integers(*PRINT_LINES, endpoint=True))
            noc, data = self.code["noc_kernel"], self.layout.symbols["noc_tables"]
            for i in rng.choice(noc.size // 64, size=lines, replace=False):
                b.op(CODE, noc.start + 64 * int(i), 64)
            for i in rng.choice(data.size // 64, size=lines // 2, replace=False):
                b.op(STORE, data.address + 64 * int(i))
            t = b.trace()
            core.replay(t.kind, t.addr, t.arg)

    def replay(self, n: int, rng: np.random.Generator) -> Replayed:
        """Run the caches of every core through one fork-join iteration with N threads."""
        self._print_pollution(rng)
        plan = self._plan(n, min(self.previous_n, n))
        self.previous_n = n
        events: dict[str, np.ndarray] = {}
        for core, (names, trace, bounds) in plan.items():
            counts = self.cores[core].replay_segments(trace.kind, trace.addr, trace.arg, bounds)
            events.update(zip(names, counts, strict=True))
        return Replayed(n, len(self.cores), events, float(rng.random()), rng.random((n + 1, 2)))

    def repeat(self, n: int, rng: np.random.Generator, warmup: int, iterations: int, states: int) -> list[Replayed]:
        """``iterations`` kept iterations with N threads after ``warmup`` replayed ones.

        Only ``states`` kept iterations are replayed through the caches (the cache state repeats once
        warm, up to the print's pollution); kept iteration i reuses replay ``i % states`` with its own
        timer and wake-up phases.
        """
        for _ in range(warmup):
            self.replay(n, rng)
        pool = [self.replay(n, rng) for _ in range(min(states, iterations))]
        return [
            Replayed(n, r.cores, r.events, float(rng.random()), rng.random((n + 1, 2)), r.derived)
            if i >= len(pool)
            else r
            for i, r in ((i, pool[i % len(pool)]) for i in range(iterations))
        ]


class _Memo:
    """``ThreadPaths`` that builds each distinct path once (traces are never modified)."""

    def __init__(self, paths: ThreadPaths) -> None:
        self._paths = paths
        self._built: dict[tuple, Trace] = {}

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._paths, name)
        if name == "target_core":
            return method

        def build(*args: Any) -> Trace:
            key = (name, args)
            if key not in self._built:
                self._built[key] = method(*args)
            return self._built[key]

        return build


def time_iteration(
    r: Replayed, pipeline: PipelineSpec, tick_cycles: float, wakeup: float
) -> tuple[np.ndarray, np.ndarray]:
    """Master-core counters (``COUNTERS``) over the fork loop and over the join loop of one iteration."""
    w = pipeline.weights()
    key = tuple(w)
    if key not in r.derived:
        r.derived.clear()
        r.derived[key] = _derive(r, w)
    cyc, busy_fork, busy_join, idle_fork = r.derived[key]
    ev = _event_names(r.n)
    master, user = Program(MASTER), Program(USER_CORE)
    targets: dict[int, Program] = {}
    master.run(cyc["comp_s0"])
    master.signal("done_s0")
    user.wait("done_s0")
    user.run(cyc["rep_s0"])
    for k in range(1, r.n + 1):
        user.run(cyc[f"fwd{k}"])
        user.signal(f"req{k}")
        user.wait(f"done{k}")
        user.run(cyc[f"rep{k}"])
        master.wait(f"req{k}")
        master.run(cyc[f"disp{k}"])
        master.lock(cyc[f"create{k}"])
        master.signal(f"ipi{k}")
        master.run(cyc[f"comp{k}"])
        master.signal(f"done{k}")
        if _on_user_core(r, k):
            continue  # picked up by the main thread's core when it blocks in the join
        t = targets.setdefault(k, Program(100 + k))
        t.wait(f"ipi{k}")
        t.delay(2 * wakeup * r.wake_phases[k, 0])
        t.lock(cyc[f"pick{k}"])
        t.run(cyc[f"run{k}"])
        t.lock(cyc[f"exit{k}"])
        t.signal(f"exit{k}")
    user.run(cyc["fwd_fs"])
    user.signal("req_fs")
    user.wait("done_fs")
    user.run(cyc["rep_fs"])
    master.wait("req_fs")
    master.run(cyc["disp_fs"] + cyc["stats_fs"])
    master.signal("fork_end")
    master.run(cyc["comp_fs"])
    master.signal("done_fs")
    for k in range(1, r.n + 1):
        user.lock(cyc[f"join{k}"])
        if _on_user_core(r, k):
            user.lock(cyc[f"pick{k}"])
            user.run(cyc[f"run{k}"])
            user.lock(cyc[f"exit{k}"])
            user.signal(f"exit{k}")
        user.join(f"exit{k}", cyc[f"jwait{k}"], 2 * wakeup * r.wake_phases[k, 1])
    user.run(cyc["fwd_js"])
    user.signal("req_js")
    master.wait("req_js")
    master.run(cyc["disp_js"] + cyc["stats_js"])
    master.signal("join_end")
    schedule = simulate([master, user, *targets.values()])
    fork_end, join_end = schedule.times["fork_end"], schedule.times["join_end"]

    t = schedule.times
    waits = [t[req] - t[done] for req, done in zip(ev["requests"], ev["previous"], strict=True)]
    tick = r.events["tick"]
    tick_time = float(tick @ w)
    out = []
    for op in ("fork", "join"):
        if op == "fork":
            window, busy, phase = fork_end, busy_fork, r.tick_phase
            gaps = list(zip(waits, idle_fork, strict=True))
        else:
            window, busy, phase = join_end - fork_end, busy_join, 1 - r.tick_phase
            gaps = [(window - float(busy_join @ w), (r.events["idle_j"], r.events["idle_steady_j"]))]
        ticks = np.floor(window / tick_cycles + phase)
        events = busy + ticks * tick
        if op == "fork":
            window += ticks * tick_time  # the master is on the fork's critical path: ticks delay it
        else:
            gaps[0] = (gaps[0][0] - ticks * tick_time, gaps[0][1])  # while it waits, ticks replace idling
        for gap, (first, steady) in gaps:
            events = events + idle_events(gap, first, steady, w)
        values = counters(events, pipeline)
        values[0] = window
        out.append(values)
    return out[0], out[1]


def _derive(r: Replayed, w: np.ndarray) -> tuple[dict[str, float], np.ndarray, np.ndarray, list]:
    """Cycles of every segment, the master's busy events per window and its idle-pass events."""
    names = list(r.events)
    cyc = dict(zip(names, (np.array([r.events[n] for n in names]) @ w).tolist(), strict=True))
    busy_fork = sum(r.events[n] for n in _event_names(r.n)["busy_fork"])
    busy_join = r.events["comp_fs"] + r.events["disp_js"] + r.events["stats_js"]
    idle_fork = [(r.events[f"idle{k}"], r.events[f"idle_steady{k}"]) for k in range(1, r.n + 1)]
    idle_fork.append(idle_fork[-1])  # the wait before the closing kstats
    return cyc, busy_fork, busy_join, idle_fork


@cache
def _event_names(n: int) -> dict[str, list[str]]:
    per_create = [f"{s}{k}" for k in range(1, n + 1) for s in ("disp", "create", "comp")]
    return {
        "busy_fork": ["comp_s0", "disp_fs", "stats_fs", *per_create],
        "previous": ["done_s0", *(f"done{k}" for k in range(1, n + 1))],
        "requests": [*(f"req{k}" for k in range(1, n + 1)), "req_fs"],
    }


def idle_events(gap: float, first: np.ndarray, steady: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Events of the master's wait passes filling ``gap`` cycles: the first pass after its work, then steady ones."""
    if gap <= 0:
        return np.zeros(EVENTS)
    first_cycles = float(first @ w)
    if gap <= first_cycles:
        return first * (gap / first_cycles)
    return first + steady * ((gap - first_cycles) / float(steady @ w))


def _on_user_core(r: Replayed, k: int) -> bool:
    return k % (r.cores - 1) + 1 == USER_CORE


def replay_sweep(
    hardware: HardwareSpec,
    kernel: KernelSpec,
    threads: tuple[int, ...],
    warmup: int,
    iterations: int,
    seed: int,
    states: int,
) -> dict[int, list[Replayed]]:
    """Every N in order: ``warmup`` replayed iterations dropped, then ``iterations`` kept (see ``repeat``)."""
    model = ForkJoinModel(hardware, kernel, seed)
    rng = np.random.default_rng(seed)
    return {n: model.repeat(n, rng, warmup, iterations, states) for n in threads}


def time_sweep(replayed: dict[int, list[Replayed]], hardware: HardwareSpec) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    """Master counters per N: (fork, join) arrays of shape (iterations, len(COUNTERS))."""
    cluster = hardware.cluster
    tick_cycles = cluster.tick * hardware.clock
    out = {}
    for n, replays in replayed.items():
        timed = [time_iteration(r, cluster.core, tick_cycles, cluster.wakeup) for r in replays]
        out[n] = (np.array([f for f, _ in timed]), np.array([j for _, j in timed]))
    return out
