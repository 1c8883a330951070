"""The headline results of runs: the few rows shown after a run or a sweep, simulated next to measured.

For each run, the metrics of its workload's first chart section
(``Registration.headline``: the fork and join times, the migration time,
downtime and bytes, the IKC latency) at a few of its steps (the first, middle
and last N), with the published value and the error where reference data
exists for that run's config (``reference.for_run``). The jobs of a sweep are
told apart by the config keys whose values differ between them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from nanvix_exp.analysis.reference import for_run
from nanvix_exp.workloads.catalog import registrations

if TYPE_CHECKING:
    import polars as pl

HEADLINE_STEPS = 3
"""Steps shown per metric: the first, the middle and the last the run has."""
SHORT_KEYS = {"kernel.name": "kernel", "workload.name": "workload", "hardware.name": "hardware"}
IGNORED_KEYS = ("workload._target_",)


@dataclass(frozen=True)
class RunSummary:
    """One finished run as the headline needs it: what ran, with which config, and its summary statistics."""

    run_id: str
    workload: str
    kernel: str
    params: Mapping[str, str]
    """The run's params (the flattened resolved config)."""
    summary: pl.DataFrame
    """``summarize`` of its samples: metric, step, mean, sd, n, unit, ..."""


def spread_steps(steps: Sequence[int], count: int = HEADLINE_STEPS) -> list[int]:
    """Up to ``count`` of ``steps`` spread over their range: first, middle, last."""
    ordered = sorted(set(steps))
    if len(ordered) <= count:
        return ordered
    return sorted({ordered[round(i * (len(ordered) - 1) / (count - 1))] for i in range(count)})


def job_keys(runs: Sequence[RunSummary]) -> list[str]:
    """Config keys whose value differs between ``runs`` (sorted); other workload keys drop out across workloads."""
    keys = sorted({key for run in runs for key in run.params} - set(IGNORED_KEYS))
    varying = [key for key in keys if len({run.params.get(key) for run in runs}) > 1]
    if "workload.name" in varying:
        varying = [key for key in varying if key == "workload.name" or not key.startswith("workload.")]
    return varying


def headline_rows(runs: Sequence[RunSummary]) -> pl.DataFrame:
    """One row per run, headline metric and headline step: mean, sd, unit, reference, reference_sd, error_pct.

    The first columns are the ``job_keys`` of the runs (short names for the group options, e.g. ``kernel``).
    """
    import polars as pl

    keys = job_keys(runs)
    parts = []
    for run in runs:
        registration = registrations().get(run.workload)
        if registration is None:
            continue
        rows = run.summary.filter(pl.col("metric").is_in(registration.headline))
        rows = rows.filter(pl.col("step").is_in(spread_steps(rows["step"].to_list())))
        references = for_run(run.workload, run.kernel, dict(run.params))
        rows = rows.select("metric", "step", "mean", "sd", "unit").join(references, on=["metric", "step"], how="left")
        order = {name: i for i, name in enumerate(registration.headline)}
        rows = rows.with_columns(order=pl.col("metric").replace_strict(order, return_dtype=pl.Int64))
        job = {SHORT_KEYS.get(key, key): pl.lit(run.params.get(key, "")) for key in keys}
        parts.append(rows.sort("order", "step").drop("order").with_columns(**job))
    if not parts:
        return pl.DataFrame()
    table = pl.concat(parts, how="diagonal_relaxed")
    table = table.with_columns(error_pct=(pl.col("mean") - pl.col("reference")) / pl.col("reference") * 100)
    labels = [SHORT_KEYS.get(key, key) for key in keys]
    return table.select(*labels, "metric", "step", "mean", "sd", "unit", "reference", "reference_sd", "error_pct")


def readable(rows: pl.DataFrame, step_label: str = "step") -> pl.DataFrame:
    """``headline_rows`` as short text columns: simulated and measured as ``mean ± sd unit``, the error in %.

    The step column (named ``step_label``) is left out when every step is 0 (a workload without steps);
    the measured and error columns when no row has reference data.
    """
    import polars as pl

    jobs = rows.columns[: rows.columns.index("metric")]
    values = rows.iter_rows(named=True)
    shown = {name: [] for name in (*jobs, "metric", step_label, "simulated", "measured", "error")}
    for row in values:
        for name in (*jobs, "metric"):
            shown[name].append(str(row[name]))
        shown[step_label].append(str(row["step"]))
        shown["simulated"].append(_spread(row["mean"], row["sd"], row["unit"]))
        measured = row["reference"] is not None
        shown["measured"].append(_spread(row["reference"], row["reference_sd"], row["unit"]) if measured else "-")
        shown["error"].append(f"{row['error_pct']:+.1f} %" if measured else "-")
    table = pl.DataFrame(shown)
    if set(rows["step"].to_list()) <= {0}:
        table = table.drop(step_label)
    if rows["reference"].is_null().all():
        table = table.drop("measured", "error")
    return table


def _spread(mean: float | None, sd: float | None, unit: str) -> str:
    text = _number(mean)
    if sd:  # neither missing nor zero (a constant); NaN (one sample) shows as such
        text += f" ± {_number(sd, digits=2)}"
    return f"{text} {unit}"


def _number(value: float | None, digits: int = 4) -> str:
    if value is None:
        return "-"
    return f"{value:,.0f}" if abs(value) >= 10**digits else f"{value:.{digits}g}"
