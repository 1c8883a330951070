"""Published measurements of Nanvix on the MPPA-256, as a table to compare simulations with.

Each row says which simulated quantity it corresponds to (workload, metric,
step, kernel) and under which config (``conditions``: dotted keys and the
values a run must have), with the measured mean and sd and its source. The
data files live in ``nanvix_exp/reference/`` (see ``SOURCES.md``); they are
only ever compared against, never returned as a simulated value.
"""

from __future__ import annotations

import csv
import functools
import json
from importlib import resources
from typing import TYPE_CHECKING

from nanvix_exp.config.units import UnitError, parse_size

if TYPE_CHECKING:
    import polars as pl

COLUMNS = ("workload", "metric", "step", "kernel", "conditions", "reference", "reference_sd", "source")
ReferenceRow = tuple[str, str, int, str | None, dict[str, str], float, float | None, str]
"""One published value, in the order of ``COLUMNS`` (``kernel`` None: any kernel)."""
MPPA256 = {"hardware.name": "mppa256"}
COUNTER_COLUMNS = {
    "cycles": "cycles",
    "dcache_stalls": "dcache_miss_stalls",
    "icache_stalls": "icache_miss_stalls",
    "branch_stalls": "branch_taken_stalls",
    "reg_stalls": "reg_stalls",
    "itlb_stalls": "itlb_stalls",
    "dtlb_stalls": "dtlb_stalls",
}
"""Our k1b counter name (``hardware.core.COUNTERS``) -> its column in the published Figure 3 tables."""


def read_csv(name: str) -> list[dict[str, str]]:
    """Rows of a packaged reference CSV."""
    text = resources.files("nanvix_exp.reference").joinpath(name).read_text()
    return list(csv.DictReader(text.splitlines()))


def rows_from_views() -> list[ReferenceRow]:
    """Reference rows of every registered workload that has a report view (``ReportView.reference_rows``)."""
    from nanvix_exp.analysis.view import registered_views

    return [row for view in registered_views() for row in view.reference_rows()]


@functools.cache
def references() -> pl.DataFrame:
    """Every reference row (conditions as JSON text)."""
    import polars as pl

    rows = rows_from_views()
    data = {name: [row[i] for row in rows] for i, name in enumerate(COLUMNS)}
    data["conditions"] = [json.dumps(c, sort_keys=True) for c in data["conditions"]]
    schema = {
        "workload": pl.String,
        "metric": pl.String,
        "step": pl.Int64,
        "kernel": pl.String,
        "conditions": pl.String,
        "reference": pl.Float64,
        "reference_sd": pl.Float64,
        "source": pl.String,
    }
    return pl.DataFrame(data, schema=schema)


def for_run(workload: str, kernel: str, params: dict[str, str]) -> pl.DataFrame:
    """The published values a run of ``workload`` on ``kernel`` with ``params`` compares with.

    Columns ``metric, step, reference, reference_sd``; one row per (metric, step), the first matching row winning.
    """
    import polars as pl

    refs = references()
    candidates = refs.filter(
        (pl.col("workload") == workload) & (pl.col("kernel").is_null() | (pl.col("kernel") == kernel))
    )
    keep = [matches(params, json.loads(c)) for c in candidates["conditions"].to_list()]
    chosen = candidates.filter(pl.Series(keep, dtype=pl.Boolean))
    return chosen.select("metric", "step", "reference", "reference_sd").unique(["metric", "step"], keep="first")


def matches(params: dict[str, str], conditions: dict[str, str]) -> bool:
    """Whether a run's params satisfy a reference's conditions (sizes compared by value)."""
    return all(_same(params.get(key), want) for key, want in conditions.items())


def _same(have: str | None, want: str) -> bool:
    if have is None:
        return False
    if have == want:
        return True
    try:
        return parse_size(have) == parse_size(want)
    except UnitError:
        return False
