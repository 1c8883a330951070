"""Report view of the ikc workload: Souto's 2019 IKC latencies next to the simulated ones."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from nanvix_exp.analysis.reference import MPPA256, ReferenceRow, read_csv
from nanvix_exp.analysis.section import Section

if TYPE_CHECKING:
    import polars as pl

SOURCE = "Souto 2019 TCC 4fbb0954, experiments/cooked (reference §1.5)"


def reference_rows() -> list[ReferenceRow]:
    """Measured latency of each calibration row, matched on primitive, pattern, buffer and cluster count."""
    return [
        (
            "ikc",
            "latency_us",
            0,
            None,
            {
                **MPPA256,
                "workload.primitive": row["primitive"],
                "workload.pattern": row["pattern"],
                "workload.buffer": f"{row['buffer_bytes']} B",
                "workload.clusters": row["compute_clusters"],
            },
            float(row["latency_us"]),
            None,
            SOURCE,
        )
        for row in read_csv("ikc2019_calibration.csv")
    ]


def sections(tidy: pl.DataFrame, samples: pl.DataFrame, out_dir: Path, plots: bool) -> list[Section]:
    """Per-row error against the 10 % target."""
    import polars as pl

    rows = tidy.filter((pl.col("metric") == "latency_us") & pl.col("reference").is_not_null())
    if rows.is_empty():
        return []
    table = rows.select("run_id", "kernel", "mean", "sd", "reference", "error_pct").with_columns(
        within_10pct=pl.col("error_pct").abs() <= 10
    )
    hits = int(table["within_10pct"].sum())
    note = f"{hits} of {table.height} IKC rows within the 10 % target (latency_us vs Souto 2019)."
    return [Section("IKC latency vs Souto 2019", table=table, notes=[note])]
