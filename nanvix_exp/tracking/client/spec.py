"""Where and how runs are recorded: the MLflow tracking store and experiment."""

from __future__ import annotations

from dataclasses import dataclass

from nanvix_exp.errors import SpecError
from nanvix_exp.quantities import Seconds


@dataclass(frozen=True)
class TrackingSpec:
    """MLflow tracking URI (SQLite file or HTTP server), experiment name and patience."""

    uri: str
    experiment: str
    timeout: Seconds
    retries: int

    def __post_init__(self) -> None:
        if not self.uri.startswith(("sqlite:///", "http://", "https://")):
            raise SpecError("uri", self.uri, "a 'sqlite:///<path>.db' file or an 'http(s)://host:port' server")
        if not self.experiment.strip():
            raise SpecError("experiment", self.experiment, "a non-empty experiment name")
        if not self.timeout > 0:
            raise SpecError("timeout", self.timeout, "a positive time, e.g. '10 s'")
        if self.retries < 0:
            raise SpecError("retries", self.retries, "0 or more retries when the store is busy")
