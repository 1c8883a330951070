"""Calibration of the thread experiment: the cluster's timing parameters against Figure 3.

Fits the few free costs of the k1b cluster — D$ and I$ refill, taken-branch
and load-use stalls, uncached access latency and the wake-up latency of a
sleeping core — **one set for both kernels and every N**, by bounded least
squares on relative errors against the measured fork and join times per N
(``fig3_fork_join_time.csv``) and the per-operation counter means
(``fig3_counters_by_operation.csv``). The caches are replayed once per kernel
(their events do not depend on these costs); each evaluation only re-times
the replays. The master's timer tick period is not fitted here: it is shared
with the migration model, whose time it sets almost one to one, and comes
from ``nanvix-exp-calibrate ikc`` (run that first). Writes
``conf/calibration/threads.yaml`` with the values, their provenance and the
residuals.

``nanvix-exp-calibrate threads [--iterations K] [--warmup W] [--dry-run]``
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
from pathlib import Path

import numpy as np

from nanvix_exp.analysis.reference import COUNTER_COLUMNS as PUBLISHED_COLUMNS
from nanvix_exp.analysis.reference import read_csv
from nanvix_exp.hardware.core import COUNTERS
from nanvix_exp.hardware.platform import HardwareSpec
from nanvix_exp.kernel.fork_join_model import Replayed, replay_sweep, time_sweep

PARAMETERS = {  # name: (lower, upper bound) in cycles
    "dcache_miss": (4.0, 80.0),
    "icache_miss": (4.0, 80.0),
    "branch_taken": (0.5, 8.0),
    "load_use": (0.5, 6.0),
    "uncached": (4.0, 120.0),
    "wakeup": (0.0, 400000.0),
}
COUNTER_COLUMNS = {c: PUBLISHED_COLUMNS[c] for c in ("dcache_stalls", "icache_stalls", "branch_stalls", "cycles")}
WEIGHTS = {"fork": 1.0, "join": 0.5, "counter": 0.15}
"""Relative weight of the residual groups (fork times are the paper's headline, counters a check)."""
OUTPUT = Path(__file__).resolve().parents[1] / "conf" / "calibration" / "threads.yaml"


def with_parameters(hardware: HardwareSpec, values: dict[str, float]) -> HardwareSpec:
    """``hardware`` with the fitted parameters set."""
    cluster = hardware.cluster
    core = dataclasses.replace(cluster.core, **{k: values[k] for k in PARAMETERS if hasattr(cluster.core, k)})
    cluster = dataclasses.replace(cluster, core=core, wakeup=values["wakeup"])
    return dataclasses.replace(hardware, cluster=cluster)


def current_values(hardware: HardwareSpec) -> dict[str, float]:
    """The parameters as configured now (the fit's starting point)."""
    core = hardware.cluster.core
    values = {k: float(getattr(core, k)) for k in PARAMETERS if hasattr(core, k)}
    values["wakeup"] = float(hardware.cluster.wakeup)
    return values


def references() -> tuple[dict[tuple[str, str, int], float], dict[tuple[str, str, str], float]]:
    """Measured mean times (op, kernel, N) in ms and counter means (op, kernel, counter)."""
    times = {
        (r["operation"], r["kernel"], int(r["nthreads"])): float(r["mean_ms"])
        for r in read_csv("fig3_fork_join_time.csv")
    }
    counts = {
        (r["operation"], r["kernel"], ours): float(r[theirs])
        for r in read_csv("fig3_counters_by_operation.csv")
        for ours, theirs in COUNTER_COLUMNS.items()
    }
    return times, counts


def simulated(replays: dict[str, dict[int, list[Replayed]]], hardware: HardwareSpec) -> dict[str, dict]:
    """Mean master counters per kernel, operation and N."""
    out: dict[str, dict] = {}
    for kernel, replayed in replays.items():
        timed = time_sweep(replayed, hardware)
        out[kernel] = {n: {"fork": f.mean(axis=0), "join": j.mean(axis=0)} for n, (f, j) in timed.items()}
    return out


def residuals(sim: dict[str, dict], clock: float) -> tuple[np.ndarray, dict[str, float]]:
    """Weighted relative errors, and a summary (MAPE per kernel/op, counter errors)."""
    times, counts = references()
    res, summary = [], {}
    for kernel, per_n in sim.items():
        for op in ("fork", "join"):
            errors = [(per_n[n][op][0] / clock * 1e3 - times[(op, kernel, n)]) / times[(op, kernel, n)] for n in per_n]
            res += [WEIGHTS[op] * e for e in errors]
            summary[f"{op}_mape_{kernel}"] = float(np.mean(np.abs(errors)) * 100)
            for counter in COUNTER_COLUMNS:
                mean = float(np.mean([per_n[n][op][COUNTERS.index(counter)] for n in per_n]))
                ref = counts[(op, kernel, counter)]
                res.append(WEIGHTS["counter"] * (mean - ref) / ref)
                summary[f"{op}_{counter}_err_{kernel}"] = (mean - ref) / ref * 100
    return np.array(res), summary


def fit(base: dict[str, HardwareSpec], kernels: dict, iterations: int, warmup: int) -> tuple[dict, dict]:
    """Replay both kernels once, then least-squares over the timing parameters."""
    from scipy.optimize import least_squares

    hardware = base["baseline"]
    threads = tuple(range(1, 18))
    replays = {k: replay_sweep(base[k], kernels[k], threads, warmup, iterations, 0, iterations) for k in kernels}
    names = list(PARAMETERS)
    lower = np.array([PARAMETERS[n][0] for n in names])
    upper = np.array([PARAMETERS[n][1] for n in names])
    start = np.clip(np.array([current_values(hardware)[n] for n in names]), lower, upper)

    def objective(x: np.ndarray) -> np.ndarray:
        hw = with_parameters(hardware, dict(zip(names, x, strict=True)))
        return residuals(simulated(replays, hw), hw.clock)[0]

    result = least_squares(
        objective, start, bounds=(lower, upper), x_scale=(upper - lower) / 10, diff_step=0.02, max_nfev=400
    )
    values = dict(zip(names, (float(v) for v in result.x), strict=True))
    hw = with_parameters(hardware, values)
    return values, residuals(simulated(replays, hw), hw.clock)[1]


def render(values: dict[str, float], summary: dict[str, float], iterations: int, warmup: int) -> str:
    """The calibration file."""
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    fits = "\n".join(f"#   {k}: {v:+.1f} %" if "err" in k else f"#   {k}: {v:.1f} %" for k, v in summary.items())
    note = "calibrated: nanvix-exp-calibrate threads (Figure 3 fork/join times + counters, both kernels)"
    return f"""# @package _global_
# Calibrated parameters (threads). Written by `nanvix-exp-calibrate threads --iterations {iterations} --warmup {warmup}`
# on {stamp}: bounded least squares on relative errors vs fig3_fork_join_time.csv (fork weight
# {WEIGHTS["fork"]}, join {WEIGHTS["join"]}) and fig3_counters_by_operation.csv (weight {WEIGHTS["counter"]}); one
# parameter set for both kernels and every N. Residuals of the fit (MAPE, counter mean errors):
{fits}
hardware:
  cluster:
    core:
      dcache_miss: {values["dcache_miss"]:.2f}   # {note}
      icache_miss: {values["icache_miss"]:.2f}   # {note}
      branch_taken: {values["branch_taken"]:.3f}   # {note}
      load_use: {values["load_use"]:.3f}   # {note}
      uncached: {values["uncached"]:.2f}   # {note}
    wakeup: {values["wakeup"]:.0f}   # {note}
"""


def main(argv: list[str]) -> int:
    """Fit and rewrite ``conf/calibration/threads.yaml``."""
    parser = argparse.ArgumentParser(prog="nanvix-exp-calibrate threads", description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=10, help="replayed iterations per N (default: %(default)s)")
    parser.add_argument("--warmup", type=int, default=2, help="warm-up iterations per N (default: %(default)s)")
    parser.add_argument("--dry-run", action="store_true", help="print the file instead of writing it")
    args = parser.parse_args(argv)

    from nanvix_exp.config.compose import load

    base, kernels = {}, {}
    for kernel in ("baseline", "uarea"):
        settings = load([f"kernel={kernel}", "hardware=mppa256"])
        base[kernel], kernels[kernel] = settings.hardware, settings.kernel
    values, summary = fit(base, kernels, args.iterations, args.warmup)
    text = render(values, summary, args.iterations, args.warmup)
    if args.dry_run:
        print(text)
    else:
        OUTPUT.write_text(text)
        print(text)
        print(f"written: {OUTPUT}")
    return 0
