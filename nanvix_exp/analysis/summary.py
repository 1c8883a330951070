"""Summary statistics of samples: mean, standard deviation, 95 % confidence half-width, count.

Per metric and step, over iterations. The confidence interval uses Student's
t quantile (exact for 1 and 2 degrees of freedom, Cornish-Fisher expansion
beyond), so small replication counts are not over-confident.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import polars as pl

Z975 = 1.959963984540054
EXACT_T975 = {1: 12.706204736174698, 2: 4.302652729749464}


def t975(dof: int) -> float:
    """Two-sided 95 % quantile of Student's t with ``dof`` degrees of freedom (nan for dof < 1)."""
    if dof < 1:
        return math.nan
    if dof in EXACT_T975:
        return EXACT_T975[dof]
    z, v = Z975, float(dof)
    return (
        z
        + (z**3 + z) / (4 * v)
        + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * v**2)
        + (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * v**3)
        + (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / (92160 * v**4)
    )


def summarize(samples: pl.DataFrame, keys: tuple[str, ...] = ()) -> pl.DataFrame:
    """One row per (keys..., metric, step): ``mean, sd, ci95, n, unit``, sorted."""
    import polars as pl

    by = [*keys, "metric", "step"]
    table = samples.group_by(by).agg(
        pl.col("value").mean().alias("mean"),
        pl.col("value").std(ddof=1).alias("sd"),
        pl.len().alias("n"),
        pl.col("unit").first().alias("unit"),
    )
    half = [t975(n - 1) / math.sqrt(n) if n > 1 else math.nan for n in table["n"].to_list()]
    return table.with_columns((pl.col("sd") * pl.Series(half, dtype=pl.Float64)).alias("ci95")).sort(by)
