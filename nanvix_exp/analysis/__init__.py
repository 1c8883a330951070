"""Analysis: Polars tables of recorded runs, comparison with the published measurements, plots."""
