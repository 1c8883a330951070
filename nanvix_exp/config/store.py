"""Registers the structured-config schemas with Hydra's ConfigStore.

Schemas are stored outside the config groups (so they are not listed as
options); every option file types its node with ``defaults: [/<name>_schema@_here_, _self_]``
and the root ``config.yaml`` extends ``nanvix_exp_schema``. A workload's schema is
derived from its registration, which also supplies its ``_target_`` and ``name``. Registering is
explicit (``nanvix_exp.config.compose`` does it before composing), never a
side effect of an import, and idempotent.
"""

from __future__ import annotations

from hydra.core.config_store import ConfigStore

from nanvix_exp.config.schema import RootSchema, schema_of
from nanvix_exp.hardware.platform import HardwareSpec
from nanvix_exp.kernel.spec import KernelSpec
from nanvix_exp.tracking.client.spec import TrackingSpec
from nanvix_exp.workloads.catalog import registrations

_registered_in: list[ConfigStore] = []
"""The ConfigStore the schemas went into (a launcher worker restores its own store from the launching process)."""


def register() -> None:
    """Store the root schema and one schema per group (and per workload); again only into a new ConfigStore."""
    store = ConfigStore.instance()
    if _registered_in and _registered_in[0] is store:
        return
    store.store(name="nanvix_exp_schema", node=RootSchema)
    store.store(name="hardware_schema", node=schema_of(HardwareSpec))
    store.store(name="kernel_schema", node=schema_of(KernelSpec))
    store.store(name="tracking_schema", node=schema_of(TrackingSpec))
    for name, workload in registrations().items():
        defaults = (("_target_", workload.target), ("name", name))
        store.store(name=f"{name}_schema", node=schema_of(workload.spec, defaults))
    _registered_in[:] = [store]
