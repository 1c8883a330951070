"""The contract of a workload's report view, and how the report finds the view of a workload.

A workload's registration may name a view (``Registration.view``): a module of
``nanvix_exp.analysis.views`` that provides the two functions of
``ReportView`` — the published measurements to compare the workload with, and
the extra report sections it draws. A workload without a view still reports:
the report shows its metrics in a generic table.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from nanvix_exp.workloads.catalog import registrations

if TYPE_CHECKING:
    import polars as pl

    from nanvix_exp.analysis.reference import ReferenceRow
    from nanvix_exp.analysis.section import Section


@runtime_checkable
class ReportView(Protocol):
    """What the report asks of a workload's view."""

    def reference_rows(self) -> list[ReferenceRow]:
        """Published measurements of the workload, as rows of ``analysis.reference.COLUMNS``."""
        ...

    def sections(self, tidy: pl.DataFrame, samples: pl.DataFrame, out_dir: Path, plots: bool) -> list[Section]:
        """Extra sections from the workload's tidy rows and samples; figures go to ``out_dir`` when ``plots``."""
        ...


def view_of(workload: str) -> ReportView | None:
    """The view the registration of ``workload`` names; None for an unregistered workload or one without a view."""
    registration = registrations().get(workload)
    if registration is None or registration.view is None:
        return None
    view = importlib.import_module(registration.view)
    if not isinstance(view, ReportView):
        raise TypeError(f"{registration.view} does not provide reference_rows() and sections() (ReportView)")
    return view


def registered_views() -> list[ReportView]:
    """The view of every registered workload that has one."""
    return [view for name in registrations() if (view := view_of(name)) is not None]
