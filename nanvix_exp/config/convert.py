"""Reads a composed config node into a typed, validated spec dataclass.

The spec's type hints drive the reading: ``Bytes``/``Hertz``/``Seconds``
fields are parsed from text with units, ``StrEnum`` fields must be one of
their values, nested specs recurse and tuples come from YAML lists. A spec's
own invariants (``__post_init__``) raise ``SpecError`` for one field, which
is re-raised here as a ``ConfigError`` with the full dotted key.
"""

from __future__ import annotations

import dataclasses
import functools
import typing
from collections.abc import Mapping
from enum import StrEnum
from typing import Any, TypeVar

from nanvix_exp.config import units
from nanvix_exp.config.errors import ConfigError
from nanvix_exp.errors import SpecError
from nanvix_exp.quantities import Quantity

T = TypeVar("T")

PARSERS = {
    "size": units.parse_size,
    "frequency": units.parse_frequency,
    "time": units.parse_time,
    "bandwidth": units.parse_bandwidth,
}


def convert(cls: type[T], node: Mapping[str, Any], path: str) -> T:
    """Build ``cls`` from the plain mapping ``node`` found at dotted ``path``."""
    if not isinstance(node, Mapping):
        raise ConfigError(path, node, f"a mapping of {', '.join(f.name for f in dataclasses.fields(cls))}")
    hints = _hints(cls)
    names = [f.name for f in dataclasses.fields(cls)]
    for extra in node:
        if extra not in names:
            raise ConfigError(f"{path}.{extra}", node[extra], f"only the keys {', '.join(names)} under {path}")
    values = {}
    for spec_field in dataclasses.fields(cls):
        key = f"{path}.{spec_field.name}"
        if node.get(spec_field.name) is None:
            raise ConfigError(key, None, "a value (this key is required)")
        values[spec_field.name] = read_value(hints[spec_field.name], node[spec_field.name], key)
    try:
        return cls(**values)
    except SpecError as error:
        raw = node.get(error.field, error.value)
        shown = raw if isinstance(raw, str | int | float) else error.value
        raise ConfigError(f"{path}.{error.field}", shown, error.allowed) from None


def read_value(hint: Any, raw: Any, key: str) -> Any:
    """One value of type ``hint`` read from ``raw`` (errors name ``key``)."""
    origin = typing.get_origin(hint)
    if origin is typing.Annotated:
        base, *marks = typing.get_args(hint)
        quantity = next((m for m in marks if isinstance(m, Quantity)), None)
        if quantity is None:
            return read_value(base, raw, key)
        try:
            return PARSERS[quantity.kind](raw)
        except units.UnitError as error:
            raise ConfigError(key, raw, error.allowed) from None
    if origin is tuple:
        args = typing.get_args(hint)
        if not isinstance(raw, list | tuple):
            raise ConfigError(key, raw, "a list, e.g. [1,2,3]")
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(read_value(args[0], item, f"{key}[{i}]") for i, item in enumerate(raw))
        if len(raw) != len(args):
            raise ConfigError(key, raw, f"a list of exactly {len(args)} items")
        return tuple(read_value(a, item, f"{key}[{i}]") for i, (a, item) in enumerate(zip(args, raw, strict=True)))
    if isinstance(hint, type) and issubclass(hint, StrEnum):
        try:
            return hint(str(raw).lower())
        except ValueError:
            raise ConfigError(key, raw, "one of " + ", ".join(m.value for m in hint)) from None
    if dataclasses.is_dataclass(hint):
        return convert(hint, raw, key)
    return _scalar(hint, raw, key)


def _scalar(hint: Any, raw: Any, key: str) -> Any:
    if hint is bool:
        if isinstance(raw, bool):
            return raw
        raise ConfigError(key, raw, "true or false")
    if hint is int:
        if isinstance(raw, int) and not isinstance(raw, bool):
            return raw
        raise ConfigError(key, raw, "a whole number")
    if hint is float:
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            return float(raw)
        raise ConfigError(key, raw, "a number")
    if hint is str:
        return str(raw)
    raise TypeError(f"unsupported spec field type {hint!r} at {key}")


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls, include_extras=True)
