"""How simulation cost and memory grow along four axes, one cold child process per point.

Axes: fork-join thread count N (1..17), concurrent migrations (1..16 pairs),
torus size (4×4, 8×8, 16×16 compute clusters: the chip presets with that
many, else the MPPA-256 with a larger NoC), and migrated process size
(64 KiB .. 1 MiB). Each point runs ``benchmarks.sim_job`` (the real config
and model, no tracking); the figure is the median simulation time of its
repeats, plus the child's wall time and peak RSS. Growth is judged by the
exponent k of a power law cost ~ x^k fitted in log-log (k <= 1.25: about
linear or better; needs 3+ points), memory by its far/near ratio; each curve
is saved as a PNG.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchmarks.measure import ROOT, Options, Result, checked, growth, median, python, run_child

NAME = "scaling"
MEMORY_GROWTH_LIMIT = 2.0
"""Peak RSS at the far end of an axis may be at most this multiple of the near end."""


@dataclass(frozen=True)
class Axis:
    """One scaling axis: its points and the config overrides that realise each point."""

    name: str
    label: str
    points: tuple[int, ...]
    quick_points: tuple[int, ...]
    overrides: Callable[[int], list[str]]


def _pairs(count: int) -> str:
    routes = ",".join(f"[ccluster{i % 16},ccluster{(i + 1) % 16}]" for i in range(count))
    return f"workload.pairs=[{routes}]"


def _torus(clusters: int) -> list[str]:
    preset = _hardware_presets().get(clusters)
    side = round(clusters**0.5)
    hardware = [f"hardware={preset}"] if preset else [f"hardware.noc.columns={side}", f"hardware.noc.rows={side}"]
    return [*hardware, "workload=ikc", f"workload.clusters={clusters}"]


def _hardware_presets() -> dict[int, str]:
    """Compute-cluster count -> the first chip preset in conf/hardware with that many (real composition)."""
    from benchmarks.sim_job import settings_for
    from nanvix_exp.config.compose import CONFIG_DIR

    presets: dict[int, str] = {}
    for path in sorted((CONFIG_DIR / "hardware").glob("*.yaml")):
        try:
            hardware = settings_for([f"hardware={path.stem}"]).hardware
        except Exception:  # a preset that needs other overrides: not a candidate
            continue
        presets.setdefault(len(hardware.compute_clusters), path.stem)
    return presets


AXES = (
    Axis(
        "threads",
        "fork-join threads N",
        tuple(range(1, 18)),
        (1, 8, 17),
        lambda n: ["workload=fork_join", f"workload.threads=[{n}]"],
    ),
    Axis(
        "pairs", "concurrent migrations (pairs)", (1, 2, 4, 8, 16), (1, 16), lambda n: ["workload=migration", _pairs(n)]
    ),
    Axis("torus", "compute clusters on the torus", (16, 64, 256), (16, 256), _torus),
    Axis(
        "image",
        "migrated process size (KiB)",
        (64, 128, 256, 512, 1024),
        (64, 1024),
        lambda kib: ["workload=migration", f"workload.image={kib}KiB"],
    ),
)


def measure_axis(axis: Axis, options: Options) -> dict[str, object]:
    """Every point of ``axis``: overrides, median simulation seconds, child wall and peak RSS."""
    repeats, warmup = (1 if options.quick else options.repeats), 1
    points = []
    for x in axis.quick_points if options.quick else axis.points:
        overrides = [*axis.overrides(x), "progress=never"]
        child = run_child(python("-m", "benchmarks.sim_job", str(repeats), str(warmup), *overrides), cwd=ROOT)
        if child.returncode != 0:
            points.append({"x": x, "overrides": overrides, "error": child.stderr.strip().splitlines()[-1:]})
            continue
        timings = json.loads(checked(child, axis.name).stdout.strip().splitlines()[-1])
        points.append(
            {
                "x": x,
                "overrides": overrides,
                "sim_s": median(timings["sim_s"]),
                "sim_s_all": timings["sim_s"],
                "samples": timings["samples"],
                "wall_s": child.wall_s,
                "maxrss_mib": child.maxrss_mib,
            }
        )
    return {"label": axis.label, "points": points}


def run(options: Options) -> Result:
    result = Result(NAME)
    for axis in AXES:
        measured = measure_axis(axis, options)
        result.data[axis.name] = measured
        good = [p for p in measured["points"] if "error" not in p]
        failed = [p for p in measured["points"] if "error" in p]
        if failed:
            result.add(f"{axis.name}: points failed", len(failed), "", note=str(failed[0]["error"])[:120])
        if len(good) < 2:
            continue
        xs = [p["x"] for p in good]
        time_fit = growth(xs, [p["sim_s"] for p in good])
        memory = [p["maxrss_mib"] for p in good]
        memory_growth = memory[-1] / memory[0]
        verdict = time_fit.at_most_linear() if len(good) >= 3 else None
        result.add(
            f"{axis.name}: sim time {xs[0]}->{xs[-1]}",
            good[-1]["sim_s"],
            "s",
            "about linear (k <= 1.25)",
            verdict,
            f"from {good[0]['sim_s']:.3g} s; cost ~ x^{time_fit.exponent:.2f}, line R2={time_fit.r2:.2f}",
        )
        result.add(
            f"{axis.name}: peak RSS {xs[0]}->{xs[-1]}",
            memory[-1],
            "MiB",
            f"<= {MEMORY_GROWTH_LIMIT:g}x of first",
            memory_growth <= MEMORY_GROWTH_LIMIT,
            f"from {memory[0]:.0f} MiB ({memory_growth:.2f}x)",
        )
        measured["time_growth"] = time_fit.__dict__
        _plot(axis, good, options.out_dir / f"scaling_{axis.name}.png")
    return result


def _plot(axis: Axis, points: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    xs = [p["x"] for p in points]
    figure, panels = plt.subplots(1, 3, figsize=(12, 3.4), constrained_layout=True)
    curves = (
        ("sim_s", "simulation, median (s)", "tab:blue"),
        ("wall_s", "child wall, cold start (s)", "tab:orange"),
        ("maxrss_mib", "child peak RSS (MiB)", "tab:red"),
    )
    for panel, (key, label, color) in zip(panels, curves, strict=True):
        panel.plot(xs, [p[key] for p in points], "o-", color=color)
        panel.set_xlabel(axis.label)
        panel.set_ylabel(label)
        panel.set_ylim(bottom=0)
    figure.suptitle(f"nanvix-exp scaling: {axis.name}")
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    plt.close(figure)
