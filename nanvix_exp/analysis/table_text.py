"""A Polars table as the terminal shows it: every row and column, Markdown-style, rounded for reading."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import polars as pl


def table_text(table: pl.DataFrame) -> str:
    """``table`` as Markdown-style text: all rows and columns, no shape or dtypes, floats to 4 decimals."""
    import polars as pl

    with pl.Config(
        tbl_rows=-1,
        tbl_cols=-1,
        fmt_str_lengths=60,
        tbl_width_chars=400,
        float_precision=4,
        tbl_hide_dataframe_shape=True,
        tbl_hide_column_data_types=True,
        tbl_formatting="ASCII_MARKDOWN",
    ):
        return str(table)
