"""Plots of simulated (and measured) results, written as PNG files.

``plot_run`` draws the headline per-step metrics of one run (mean with its
standard deviation) on a grid of small panels, labelled with metric name and
unit; ``plot_steps_vs_reference`` draws simulated against measured values.
Axis labels are passed in by the caller, who knows what the step counts.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

from nanvix_exp.analysis.kernels import KERNEL_STYLE

if TYPE_CHECKING:
    import polars as pl

MAX_PANELS = 4
TIME_UNITS = ("s", "ms", "us", "µs", "ns")


def pyplot():  # noqa: ANN201 (matplotlib module)
    """Matplotlib's pyplot on the non-interactive Agg backend (imported only when plotting)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def save_figure(fig, path: Path) -> Path:  # noqa: ANN001 (matplotlib Figure)
    """Lay out, write as PNG and close ``fig``; returns ``path``."""
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    pyplot().close(fig)
    return path


def plot_run(summary: pl.DataFrame, folder: Path, title: str, xlabel: str) -> list[Path]:
    """One PNG of the run's headline per-step metrics (times, else the first few); returns the files written.

    The full set of metrics is in the run's metrics and samples; the report draws the
    comparisons. Per-run plots stay small because every job of a sweep draws one.
    """
    per_metric = {m: summary.filter(summary["metric"] == m) for m in summary["metric"].unique(maintain_order=True)}
    stepped = [m for m, rows in per_metric.items() if rows.height > 1]
    timed = [m for m in stepped if per_metric[m]["unit"][0] in TIME_UNITS]
    stepped = (timed or stepped)[:MAX_PANELS]
    if not stepped:
        return []
    plt = pyplot()
    cols = min(4, len(stepped))
    rows = math.ceil(len(stepped) / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(3.6 * cols, 2.8 * rows), squeeze=False)
    for ax, metric in zip(axes.flat, stepped, strict=False):
        data = per_metric[metric].sort("step")
        ax.errorbar(data["step"], data["mean"], yerr=data["sd"].fill_null(0.0), marker="o", ms=3, capsize=2)
        ax.set_title(metric, fontsize=9)
        ax.set_xlabel(xlabel, fontsize=8)
        ax.set_ylabel(data["unit"][0], fontsize=8)
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.3)
    for ax in list(axes.flat)[len(stepped) :]:
        ax.set_visible(False)
    fig.suptitle(title, fontsize=10)
    fig.subplots_adjust(left=0.1, right=0.97, bottom=0.15, top=0.82, wspace=0.35, hspace=0.5)
    path = folder / "metrics_vs_step.png"
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return [path]


def draw_simulated(ax, rows: pl.DataFrame, color: str | None, label: str) -> None:  # noqa: ANN001 (matplotlib Axes)
    """Simulated mean per step as a line, ± sd as a band."""
    mean, sd = rows["mean"].to_numpy(), rows["sd"].fill_null(0.0).to_numpy()
    ax.plot(rows["step"], mean, color=color, label=f"simulated: {label}")
    ax.fill_between(rows["step"], mean - sd, mean + sd, color=color, alpha=0.15, linewidth=0)


def draw_measured(ax, rows: pl.DataFrame, color: str | None, label: str) -> None:  # noqa: ANN001 (matplotlib Axes)
    """Measured mean per step as open markers with ± sd error bars."""
    ax.errorbar(
        rows["step"],
        rows["reference"],
        yerr=rows["reference_sd"].fill_null(0.0),
        fmt="o",
        ms=4,
        capsize=2,
        color=color,
        markerfacecolor="white",
        label=f"measured: {label}",
    )


def plot_steps_vs_reference(
    simulated: pl.DataFrame, measured: pl.DataFrame, path: Path, title: str, xlabel: str
) -> Path:
    """Simulated mean ± sd per run (line and band) with the measured mean ± sd (markers) vs step."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(6.4, 4.0))
    for (_, kernel), rows in simulated.sort("step").group_by("run_id", "kernel", maintain_order=True):
        color, label = KERNEL_STYLE.get(str(kernel), (None, str(kernel)))
        draw_simulated(ax, rows, color, label)
    for (kernel,), rows in measured.unique(["kernel", "step"]).sort("step").group_by("kernel", maintain_order=True):
        color, label = KERNEL_STYLE.get(str(kernel), (None, str(kernel)))
        draw_measured(ax, rows, color, label)
    unit = simulated["unit"][0]
    ax.set_xlabel(xlabel)
    ax.set_ylabel(f"{simulated['metric'][0]} ({unit})")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path
