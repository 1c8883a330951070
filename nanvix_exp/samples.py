"""The raw observations of one simulated experiment, as a tidy table.

Every measured quantity is a row: which ``metric`` (``fork_ms``,
``migration_ms``, ...), at which ``step`` (the swept size, e.g. the number of
threads N; 0 when there is none), in which ``iteration`` (replication), its
unrounded ``value`` and its ``unit``. Summaries, MLflow metrics and reports
are all computed from this table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import polars as pl

COLUMNS = ("metric", "step", "iteration", "value", "unit")


@dataclass
class SampleSet:
    """Accumulates samples metric by metric; converts to a Polars frame at the end."""

    _metric: list[np.ndarray] = field(default_factory=list)
    _step: list[np.ndarray] = field(default_factory=list)
    _iteration: list[np.ndarray] = field(default_factory=list)
    _value: list[np.ndarray] = field(default_factory=list)
    _unit: list[np.ndarray] = field(default_factory=list)

    def add(self, metric: str, unit: str, values: np.ndarray, step: int = 0) -> None:
        """Record one value per iteration (iterations numbered from 0) of ``metric`` at ``step``."""
        values = np.asarray(values, dtype=np.float64).ravel()
        n = values.shape[0]
        self._metric.append(np.full(n, metric, dtype=object))
        self._step.append(np.full(n, step, dtype=np.int64))
        self._iteration.append(np.arange(n, dtype=np.int64))
        self._value.append(values)
        self._unit.append(np.full(n, unit, dtype=object))

    def __len__(self) -> int:
        return sum(len(v) for v in self._value)

    def frame(self) -> pl.DataFrame:
        """All samples as a Polars frame with columns ``metric, step, iteration, value, unit``."""
        import polars as pl

        def cat(parts: list[np.ndarray], dtype: type) -> np.ndarray:
            return np.concatenate(parts) if parts else np.empty(0, dtype=dtype)

        return pl.DataFrame(
            {
                "metric": cat(self._metric, object).astype(str),
                "step": cat(self._step, np.int64),
                "iteration": cat(self._iteration, np.int64),
                "value": cat(self._value, np.float64),
                "unit": cat(self._unit, object).astype(str),
            },
            schema={
                "metric": pl.String,
                "step": pl.Int64,
                "iteration": pl.Int64,
                "value": pl.Float64,
                "unit": pl.String,
            },
        )
