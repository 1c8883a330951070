"""The workloads shipped with nanvix-exp, by config option name."""

from __future__ import annotations

from nanvix_exp.workloads.base import Workload
from nanvix_exp.workloads.fork_join import ForkJoin
from nanvix_exp.workloads.ikc import Ikc
from nanvix_exp.workloads.migration import Migration

WORKLOADS: dict[str, type[Workload]] = {"fork_join": ForkJoin, "ikc": Ikc, "migration": Migration}
