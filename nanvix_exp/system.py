"""The simulated machine a workload runs on: the chip plus the kernel booted on it."""

from __future__ import annotations

from dataclasses import dataclass

from nanvix_exp.hardware.platform import HardwareSpec
from nanvix_exp.kernel.spec import KernelSpec


@dataclass(frozen=True)
class System:
    """Hardware description and kernel build, validated and ready to simulate."""

    hardware: HardwareSpec
    kernel: KernelSpec
