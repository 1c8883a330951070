"""Registers the structured-config schemas with Hydra's ConfigStore.

Schemas are stored outside the config groups (so they are not listed as
options); every option file types its node with ``defaults: [/<name>_schema@_here_, _self_]``
and the root ``config.yaml`` extends ``nanvix_exp_schema``.
"""

from __future__ import annotations

from hydra.core.config_store import ConfigStore

from nanvix_exp.config.schema import RootSchema, schema_of
from nanvix_exp.hardware.platform import HardwareSpec
from nanvix_exp.kernel.spec import KernelSpec
from nanvix_exp.tracking.spec import TrackingSpec
from nanvix_exp.workloads.catalog import WORKLOADS


def register() -> None:
    """Store the root schema and one schema per group (and per workload)."""
    store = ConfigStore.instance()
    store.store(name="nanvix_exp_schema", node=RootSchema)
    store.store(name="hardware_schema", node=schema_of(HardwareSpec))
    store.store(name="kernel_schema", node=schema_of(KernelSpec))
    store.store(name="tracking_schema", node=schema_of(TrackingSpec))
    for name, workload in WORKLOADS.items():
        store.store(name=f"{name}_schema", node=schema_of(workload.spec_type, target=True))
