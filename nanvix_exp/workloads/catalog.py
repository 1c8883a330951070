"""The workloads nanvix-exp knows: every ``REGISTRATION`` found in the modules of ``nanvix_exp.workloads``.

Adding a workload adds a module here (with its registration) and its option
file in ``conf/workload/``; nothing else lists workloads.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil

import nanvix_exp.workloads as package
from nanvix_exp.workloads.registration import Registration


@functools.cache
def registrations() -> dict[str, Registration]:
    """Every registered workload by name, in module order."""
    found: dict[str, Registration] = {}
    for module in pkgutil.iter_modules(package.__path__):
        registration = getattr(importlib.import_module(f"{package.__name__}.{module.name}"), "REGISTRATION", None)
        if not isinstance(registration, Registration):
            continue
        if registration.name in found:
            raise ValueError(f"two workloads register the name {registration.name!r}")
        found[registration.name] = registration
    return found


def registration_of(workload: type) -> Registration | None:
    """The registration whose run is the class ``workload``, if any."""
    return next((r for r in registrations().values() if r.workload is workload), None)
