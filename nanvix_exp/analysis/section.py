"""A titled part of the comparison report: a table, notes and figures.

The report and every workload's view build their output from sections; the
terminal rendering and the plots folder read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import polars as pl


@dataclass
class Section:
    """A titled part of the report: a table, notes and figures."""

    title: str
    table: pl.DataFrame | None = None
    notes: list[str] = field(default_factory=list)
    figures: list[Path] = field(default_factory=list)
