"""The comparison report of one experiment: kernels side by side, and simulation vs measurement.

From the runs in the tracking store it builds one tidy table (experiment,
workload, kernel, metric, step, mean, sd, n, ci95, reference, error_pct and
the config keys that vary between runs), a kernel-by-kernel comparison with
the UArea-vs-baseline delta in percent, and PNG plots of every per-step
metric that has published measurements. Workload-specific sections (Figure 3
counters, migration phases) come from the view each workload's registration
names (``analysis/view.py``); a workload without a view gets a generic table.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from nanvix_exp.analysis.kernels import kernel_names
from nanvix_exp.analysis.reference import for_run as reference_for
from nanvix_exp.analysis.runs import load_runs, load_samples, params_of
from nanvix_exp.analysis.section import Section
from nanvix_exp.analysis.summary import summarize
from nanvix_exp.analysis.table_text import table_text
from nanvix_exp.analysis.view import view_of
from nanvix_exp.workloads.catalog import registrations

if TYPE_CHECKING:
    import polars as pl
    from mlflow import MlflowClient

TIDY_COLUMNS = (
    "experiment",
    "workload",
    "kernel",
    "metric",
    "step",
    "mean",
    "sd",
    "n",
    "ci95",
    "unit",
    "reference",
    "reference_sd",
    "error_pct",
    "run_id",
)
IGNORED_KEYS = ("kernel.name", "workload._target_", "seed")
GENERIC_COLUMNS = ("kernel", "metric", "step", "mean", "sd", "n", "ci95", "unit", "run_id")


@dataclass
class Report:
    """Everything the report shows, plus the tidy table behind it."""

    experiment: str
    tidy: pl.DataFrame
    sections: list[Section]


def build_report(client: MlflowClient, experiment: str, out_dir: Path, plots: bool = True) -> Report:
    """Load the experiment's runs and build every table and plot."""
    import polars as pl

    runs = load_runs(client, experiment)
    if runs.is_empty():
        return Report(experiment, pl.DataFrame(), [Section("No finished runs", notes=["nothing to compare yet"])])
    samples = load_samples(client, runs)
    varying = varying_keys(runs)
    tidy = tidy_table(runs, samples, varying)
    out_dir.mkdir(parents=True, exist_ok=True)
    sections = [Section("Kernels side by side (mean over steps)", table=kernel_comparison(tidy, varying))]
    with_reference = tidy.filter(pl.col("reference").is_not_null())
    if not with_reference.is_empty():
        figures = plot_against_reference(with_reference, tidy, out_dir) if plots else []
        table = with_reference.select(
            "workload", "kernel", "metric", "step", "mean", "sd", "reference", "reference_sd", "error_pct"
        )
        sections.append(
            Section("Simulated vs measured", table=table, notes=mape_notes(with_reference), figures=figures)
        )
    for workload in tidy["workload"].unique(maintain_order=True).to_list():
        rows = tidy.filter(pl.col("workload") == workload)
        view = view_of(workload)
        sections.extend(view.sections(rows, samples, out_dir, plots) if view else [generic_section(workload, rows)])
    return Report(experiment, tidy, sections)


def generic_section(workload: str, rows: pl.DataFrame) -> Section:
    """Every metric of a workload without a report view: mean, sd, n and ci95 per kernel and step."""
    table = rows.select(*GENERIC_COLUMNS).sort("metric", "kernel", "step")
    return Section(f"{workload}: every metric (no report view registered)", table=table)


def varying_keys(runs: pl.DataFrame) -> list[str]:
    """Config keys whose value differs between runs (besides the kernel), in column order."""
    keys = []
    for column in runs.columns:
        if not column.startswith("param:") or column.removeprefix("param:") in IGNORED_KEYS:
            continue
        if runs[column].n_unique() > 1:
            keys.append(column.removeprefix("param:"))
    return keys


def tidy_table(runs: pl.DataFrame, samples: pl.DataFrame, varying: list[str]) -> pl.DataFrame:
    """One row per run, metric and step, with its reference where one exists."""
    import polars as pl

    summary = summarize(samples.select("run_id", "metric", "step", "value", "unit"), keys=("run_id",))
    info = runs.select(
        "run_id", "experiment", "workload", "kernel", *(pl.col(f"param:{key}").alias(key) for key in varying)
    )
    table = summary.join(info, on="run_id")
    matched = _matching_references(runs)
    if matched.is_empty():
        table = table.with_columns(reference=pl.lit(None, pl.Float64), reference_sd=pl.lit(None, pl.Float64))
    else:
        table = table.join(matched, on=["run_id", "metric", "step"], how="left")
    table = table.with_columns(error_pct=(pl.col("mean") - pl.col("reference")) / pl.col("reference") * 100)
    return table.select(*TIDY_COLUMNS, *varying).sort("workload", "metric", *varying, "kernel", "step")


def _matching_references(runs: pl.DataFrame) -> pl.DataFrame:
    import polars as pl

    parts = []
    for run in runs.select("run_id", "workload", "kernel").iter_rows(named=True):
        chosen = reference_for(run["workload"], run["kernel"], params_of(runs, run["run_id"]))
        if not chosen.is_empty():
            parts.append(chosen.with_columns(run_id=pl.lit(run["run_id"])))
    return pl.concat(parts) if parts else pl.DataFrame()


def kernel_comparison(tidy: pl.DataFrame, varying: list[str]) -> pl.DataFrame:
    """Mean over steps of every metric per kernel, side by side, with each variant vs the reference build in %.

    The reference build is the first kernel variant (baseline); with one other variant the change is
    ``delta_pct``, with several ``delta_<variant>_pct``.
    """
    import polars as pl

    index = ["workload", "metric", *varying]
    per_kernel = tidy.group_by(*index, "kernel").agg(pl.col("mean").mean().alias("value"))
    wide = per_kernel.pivot(on="kernel", index=index, values="value").sort(index)
    names = kernel_names()
    present = [k for k in names if k in wide.columns]
    wide = wide.select(*index, *present, *(c for c in wide.columns if c not in (*index, *present)))
    reference, others = names[0], [k for k in present if k != names[0]]
    if reference in present:
        for other in others:
            column = "delta_pct" if len(others) == 1 else f"delta_{other}_pct"
            wide = wide.with_columns(((pl.col(other) - pl.col(reference)) / pl.col(reference) * 100).alias(column))
    return wide


def mape_notes(with_reference: pl.DataFrame) -> list[str]:
    """Mean absolute percentage error per workload, metric and kernel."""
    import polars as pl

    table = (
        with_reference.group_by("workload", "metric", "kernel")
        .agg(pl.col("error_pct").abs().mean().alias("mape"), pl.len().alias("points"))
        .sort("workload", "metric", "kernel")
    )
    return [
        f"{r['workload']} {r['metric']} [{r['kernel']}]: MAPE {r['mape']:.1f} % over {r['points']} points"
        for r in table.iter_rows(named=True)
    ]


def plot_against_reference(with_reference: pl.DataFrame, tidy: pl.DataFrame, out_dir: Path) -> list[Path]:
    """For each per-step metric with measurements: simulated mean ± sd per kernel vs the measured points."""
    import polars as pl

    from nanvix_exp.analysis.plots import plot_steps_vs_reference

    figures = []
    for (workload, metric), rows in with_reference.group_by("workload", "metric", maintain_order=True):
        simulated = tidy.filter((pl.col("workload") == workload) & (pl.col("metric") == metric))
        if simulated["step"].n_unique() < 2:
            continue
        path = out_dir / f"{workload}_{metric}.png"
        registration = registrations().get(str(workload))
        xlabel = registration.step_label if registration else "step"
        figures.append(plot_steps_vs_reference(simulated, rows, path, title=f"{workload}: {metric}", xlabel=xlabel))
    return figures


def render(report: Report) -> str:
    """The report as text for the terminal (every row, rounded for reading)."""
    lines = [f"# nanvix-exp report: experiment '{report.experiment}'"]
    for section in report.sections:
        lines += ["", f"## {section.title}"]
        if section.table is not None and not section.table.is_empty():
            lines.append(table_text(section.table))
        lines += [f"- {note}" for note in section.notes]
        lines += [f"- figure: {path}" for path in section.figures]
    return "\n".join(lines)
