"""The one registration of a workload: its name, its run (with its spec), its metrics and, optionally, its report view.

Every workload module of ``nanvix_exp.workloads`` ends with a module-level
``REGISTRATION = Registration(...)``. Everything else reads it: the catalog
finds it, the config store derives the workload's schema from its spec and
gives ``conf/workload/<name>.yaml`` its ``_target_`` and ``name``, the runner
checks the samples against the declared metrics, the recorder files each
metric's charts under its section, the results table after a run shows the
first section, and the report draws the workload's view (a module
implementing ``nanvix_exp.analysis.view.ReportView``) or, without one, a
generic table.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from nanvix_exp.workloads.base import Workload

VIEW_PACKAGE = "nanvix_exp.analysis.views."
"""Report views live in this package, one module per workload that has one."""
RESULTS = "results"
"""The section of a metric that names none: the headline results, charted first and shown after a run."""
MAX_SECTIONS = 8
"""Sections a workload may declare (the statistics section comes after them; ranks stay one digit)."""


@dataclass(frozen=True)
class Metric:
    """One quantity a workload measures: its name, its unit, what it means and its chart section."""

    name: str
    unit: str
    meaning: str
    section: str = RESULTS
    """Where its charts sit in the MLflow UI (e.g. ``results``, ``counters``); the workload's first section is
    its headline: charted first and shown in the results table after every run."""


class MetricContractError(RuntimeError):
    """A workload produced samples its registration does not declare (a bug in the workload, not in the config)."""


@dataclass(frozen=True)
class Registration:
    """What nanvix-exp knows about one workload; one per workload module, as ``REGISTRATION``."""

    name: str
    """Config option (``conf/workload/<name>.yaml``), ``workload.name`` and the ``nanvix.workload`` tag."""
    workload: type[Workload]
    """The run; its ``spec_type`` is the spec its config node is read into."""
    metrics: tuple[Metric, ...]
    """Every metric ``run`` may produce, with its unit."""
    step: str | None = None
    """What the step of per-step metrics counts (an axis label, e.g. 'number of threads N'); None if unstepped."""
    view: str | None = None
    """Dotted module path of the report view (inside ``nanvix_exp.analysis.views``), or None for the generic table."""

    def __post_init__(self) -> None:
        if not self.name.isidentifier():
            raise ValueError(f"workload name {self.name!r}: a Python identifier, e.g. 'fork_join'")
        names = [m.name for m in self.metrics]
        if not names or len(set(names)) != len(names):
            raise ValueError(f"workload {self.name}: declare each metric once, at least one ({names})")
        if self.view is not None and not self.view.startswith(VIEW_PACKAGE):
            raise ValueError(f"workload {self.name}: view {self.view!r} must be a module of {VIEW_PACKAGE[:-1]}")
        bad = [s for s in self.sections if not s.isidentifier()]
        if bad or len(self.sections) > MAX_SECTIONS:
            raise ValueError(f"workload {self.name}: at most {MAX_SECTIONS} sections named like identifiers ({bad})")

    @property
    def sections(self) -> tuple[str, ...]:
        """Chart sections of the metrics, in the order the metrics first name them."""
        return tuple(dict.fromkeys(m.section for m in self.metrics))

    @property
    def headline(self) -> tuple[str, ...]:
        """The metrics of the first section: the few results shown after a run (and charted first)."""
        return tuple(m.name for m in self.metrics if m.section == self.sections[0])

    @property
    def spec(self) -> type:
        """The spec dataclass of the workload's parameters."""
        return self.workload.spec_type

    @property
    def target(self) -> str:
        """The ``_target_`` of the workload's config node: the dotted path of its class."""
        return f"{self.workload.__module__}.{self.workload.__qualname__}"

    @property
    def step_label(self) -> str:
        """Axis label for the step of this workload's metrics."""
        return self.step or "step"

    def check_metrics(self, produced: Iterable[tuple[str, str]]) -> None:
        """Raise ``MetricContractError`` if a produced (metric, unit) is not declared with that unit."""
        declared = {m.name: m.unit for m in self.metrics}
        wrong = sorted({f"{name} [{unit}]" for name, unit in produced if declared.get(name) != unit})
        if wrong:
            raise MetricContractError(f"workload {self.name} produced undeclared metrics: {', '.join(wrong)}")
