"""Typed physical quantities shared by every model spec.

A spec field annotated ``Bytes`` holds a byte count, ``Hertz`` a frequency,
``Seconds`` a duration and ``BytesPerSecond`` a bandwidth, always in base
units. The YAML configs write them with units (``8 KiB``, ``400 MHz``); the
config loader sees the marker in the annotation and parses the text once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated


@dataclass(frozen=True)
class Quantity:
    """Marks a spec field as a physical quantity of one kind (size, frequency, time, bandwidth)."""

    kind: str


Bytes = Annotated[int, Quantity("size")]
Hertz = Annotated[float, Quantity("frequency")]
Seconds = Annotated[float, Quantity("time")]
BytesPerSecond = Annotated[float, Quantity("bandwidth")]


def is_power_of_two(value: int) -> bool:
    """True for 1, 2, 4, 8, ... (cache sizes, lines and set counts must be)."""
    return value > 0 and value & (value - 1) == 0
