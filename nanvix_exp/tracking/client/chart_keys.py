"""Where each statistic of a run sits in the MLflow UI's chart view: its metric key, section first.

MLflow's chart view files a metric under the section named by its key up to
the last ``/`` and lists those sections alphabetically. A key is therefore
``<rank>_<section>/<name>``: the sections a workload's registration declares
come first, in its order (the first holds the headline results, e.g. the
fork and join times), and the spread of each metric (``<metric>_sd``, and
``<metric>_boot_sd`` when the summary has it) follows in a section of its own.
Per-step statistics that are constant or derivable (``n``, ``ci95``) are not
charts: they stay in the run's ``summary.csv``. Readers of the metrics (tests,
benchmarks, the reuse of a finished run) ask this class for the key.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import polars as pl

    from nanvix_exp.workloads.registration import Registration

STATISTICS_SECTION = "stats"
"""The section after the workload's own: the spread of every metric."""
SPREAD = ("sd", "boot_sd")
"""Statistics charted in the statistics section (those the summary has), as ``<metric>_<statistic>``."""


@dataclass(frozen=True)
class ChartKeys:
    """The MLflow metric key of each charted statistic of one workload's metrics."""

    sections: tuple[str, ...]
    """The workload's sections in chart order; the statistics section follows them."""
    section_of: Mapping[str, str]
    """Metric name -> its section."""

    @classmethod
    def of(cls, registration: Registration) -> ChartKeys:
        """The keys of the metrics ``registration`` declares."""
        return cls(registration.sections, {m.name: m.section for m in registration.metrics})

    def label(self, section: str) -> str:
        """``<rank>_<section>``: the section's prefix, ranked so that MLflow's alphabetical order is ours."""
        order = (*self.sections, STATISTICS_SECTION)
        return f"{order.index(section) + 1}_{section}"

    def key(self, metric: str, statistic: str = "mean") -> str:
        """MLflow key of ``statistic`` (``mean`` or one of ``SPREAD``) of ``metric``."""
        if statistic == "mean":
            return f"{self.label(self.section_of[metric])}/{metric}"
        if statistic in SPREAD:
            return f"{self.label(STATISTICS_SECTION)}/{metric}_{statistic}"
        raise KeyError(f"{statistic!r} is not charted: only the mean and {', '.join(SPREAD)}")

    def charted(self, summary: pl.DataFrame) -> Iterator[tuple[str, float, int]]:
        """``(key, value, step)`` of every charted statistic in ``summary`` (a spread that is undefined is skipped)."""
        spread = [s for s in SPREAD if s in summary.columns]
        for row in summary.iter_rows(named=True):
            step = int(row["step"])
            mean = row["mean"]
            yield self.key(row["metric"], "mean"), math.nan if mean is None else float(mean), step
            for statistic in spread:
                if row[statistic] is not None and not math.isnan(row[statistic]):
                    yield self.key(row["metric"], statistic), float(row[statistic]), step
