"""Report view of the fork-join workload: Figure 3 of the ERAD 2022 paper."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from nanvix_exp.analysis.reference import MPPA256, read_csv

if TYPE_CHECKING:
    import polars as pl

    from nanvix_exp.analysis.report import Section

SOURCE = "TCC-experiments d2a5d103 fork-join logs (reference §1.2)"


def reference_rows() -> list[tuple]:
    """Measured master-core time of the fork and join loops per N and kernel."""
    return [
        (
            "fork_join",
            f"{row['operation']}_ms",
            int(row["nthreads"]),
            row["kernel"],
            MPPA256,
            float(row["mean_ms"]),
            float(row["sd_ms"]),
            SOURCE,
        )
        for row in read_csv("fig3_fork_join_time.csv")
    ]


def sections(tidy: pl.DataFrame, samples: pl.DataFrame, out_dir: Path, plots: bool) -> list[Section]:
    """No extra sections yet."""
    return []
