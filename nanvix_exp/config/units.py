"""Physical quantities written with units in the YAML configs.

Hardware and workload sizes, clock frequencies, latencies and bandwidths are
written the way a datasheet writes them (``8 KiB``, ``2 MiB``, ``400 MHz``,
``20 ns``, ``1.6 GB/s``) and converted here, once, to base units: bytes,
hertz, seconds and bytes per second. A bare number means the base unit.

Binary prefixes (KiB = 1024 B) and decimal prefixes (KB = kB = 1000 B) are
both accepted because the sources use both: the paper's "342.8 KB" is decimal.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

_NUMBER = re.compile(r"^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*([A-Za-z/µ]*)\s*$")

_SIZE = {
    "": 1,
    "b": 1,
    "byte": 1,
    "bytes": 1,
    "kb": 1000,
    "mb": 1000**2,
    "gb": 1000**3,
    "kib": 1024,
    "mib": 1024**2,
    "gib": 1024**3,
}
_FREQUENCY = {"": 1.0, "hz": 1.0, "khz": 1e3, "mhz": 1e6, "ghz": 1e9}
_TIME = {"": 1.0, "s": 1.0, "ms": 1e-3, "us": 1e-6, "µs": 1e-6, "ns": 1e-9, "ps": 1e-12}
_BANDWIDTH = {
    "": 1.0,
    "b/s": 1.0,
    "kb/s": 1e3,
    "mb/s": 1e6,
    "gb/s": 1e9,
    "kib/s": 1024.0,
    "mib/s": 1024.0**2,
    "gib/s": 1024.0**3,
}


@dataclass(frozen=True)
class UnitError(ValueError):
    """A quantity that cannot be read: says what was written and what is allowed."""

    text: str
    allowed: str

    def __str__(self) -> str:
        return f"cannot read {self.text!r} ({self.allowed})"


def _split(text: object, table: dict[str, float] | dict[str, int], kind: str, example: str) -> tuple[float, float]:
    units = ", ".join(sorted({_display(u) for u in table if u}))
    allowed = f"a {kind} such as {example!r}; units: {units}"
    if isinstance(text, bool):
        raise UnitError(str(text), allowed)
    if isinstance(text, int | float):
        return float(text), 1.0
    match = _NUMBER.match(str(text))
    if match is None:
        raise UnitError(str(text), allowed)
    value, unit = match.groups()
    scale = table.get(unit.lower())
    if scale is None:
        raise UnitError(str(text), allowed)
    return float(value), float(scale)


def _display(unit: str) -> str:
    """Canonical spelling of a unit key for error messages."""
    return {
        "b": "B",
        "kb": "KB",
        "mb": "MB",
        "gb": "GB",
        "kib": "KiB",
        "mib": "MiB",
        "gib": "GiB",
        "hz": "Hz",
        "khz": "kHz",
        "mhz": "MHz",
        "ghz": "GHz",
        "b/s": "B/s",
        "kb/s": "KB/s",
        "mb/s": "MB/s",
        "gb/s": "GB/s",
        "kib/s": "KiB/s",
        "mib/s": "MiB/s",
        "gib/s": "GiB/s",
        "byte": "byte",
        "bytes": "bytes",
    }.get(unit, unit)


def parse_size(text: object) -> int:
    """Bytes in ``text`` (``"8 KiB"`` -> 8192, ``"342.8 KB"`` -> 342800); must be a whole number."""
    value, scale = _split(text, _SIZE, "size", "8 KiB")
    nbytes = value * scale
    if not math.isfinite(nbytes) or abs(nbytes - round(nbytes)) > 1e-6:
        raise UnitError(str(text), "a whole number of bytes")
    return round(nbytes)


def parse_frequency(text: object) -> float:
    """Hertz in ``text`` (``"400 MHz"`` -> 4e8)."""
    value, scale = _split(text, _FREQUENCY, "frequency", "400 MHz")
    return value * scale


def parse_time(text: object) -> float:
    """Seconds in ``text`` (``"20 ns"`` -> 2e-8)."""
    value, scale = _split(text, _TIME, "time", "20 ns")
    return value * scale


def parse_bandwidth(text: object) -> float:
    """Bytes per second in ``text`` (``"1.6 GB/s"`` -> 1.6e9)."""
    value, scale = _split(text, _BANDWIDTH, "bandwidth", "1.6 GB/s")
    return value * scale


def format_size(nbytes: int) -> str:
    """Shortest exact binary spelling of a byte count (8192 -> ``"8 KiB"``)."""
    for unit, scale in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if nbytes and nbytes % scale == 0:
            return f"{nbytes // scale} {unit}"
    return f"{nbytes} B"
