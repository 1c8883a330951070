"""Workload-specific views of a report: published data to compare with, and extra sections.

``views/<workload>.py`` (named like the workload option) provides
``reference_rows()`` — measured values as rows of ``analysis.reference.COLUMNS`` — and
``sections(tidy, samples, out_dir, plots)`` — extra report sections (tables, notes, PNG figures).
"""

from __future__ import annotations

import importlib
from types import ModuleType


def view_of(workload: str) -> ModuleType:
    """The view module of ``workload``."""
    return importlib.import_module(f"nanvix_exp.analysis.views.{workload}")
