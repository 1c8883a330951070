"""What every workload is: a benchmark program run on the simulated system.

Lifecycle: a workload is built from its validated spec, checked against the
system it will run on (``spec.check``), then ``run`` replays its iterations
and returns every observation as a ``SampleSet``. Randomness comes only from
the seed sequence it is given, so a seed fixes the result bit for bit.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar, Generic, Protocol, TypeVar

import numpy as np

from nanvix_exp.errors import SpecError
from nanvix_exp.hardware.platform import HardwareSpec
from nanvix_exp.kernel.spec import KernelSpec
from nanvix_exp.progress import Progress
from nanvix_exp.samples import SampleSet
from nanvix_exp.system import System


class WorkloadSpec(Protocol):
    """A workload's validated parameters; ``check`` raises SpecError for values the system rejects."""

    name: str

    def check(self, hardware: HardwareSpec, kernel: KernelSpec) -> None: ...


S = TypeVar("S", bound=WorkloadSpec)


class Workload(ABC, Generic[S]):
    """A benchmark: ``spec_type`` names its parameters, ``run`` produces its samples."""

    spec_type: ClassVar[type]

    def __init__(self, spec: S) -> None:
        self.spec = spec

    @abstractmethod
    def run(self, system: System, seed: np.random.SeedSequence, progress: Progress) -> SampleSet:
        """Simulate every iteration on ``system`` and return all observations."""


def check_repetitions(iterations: int, warmup: int) -> None:
    """Kept iterations must be at least 1 and discarded warm-up iterations at least 0."""
    if iterations < 1:
        raise SpecError("iterations", iterations, "at least 1")
    if warmup < 0:
        raise SpecError("warmup", warmup, "0 or more")
