"""Report view of the ikc workload."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import polars as pl

    from nanvix_exp.analysis.report import Section


def reference_rows() -> list[tuple]:
    """No published measurements wired in yet."""
    return []


def sections(tidy: pl.DataFrame, samples: pl.DataFrame, out_dir: Path, plots: bool) -> list[Section]:
    """No extra sections yet."""
    return []
