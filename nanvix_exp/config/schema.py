"""Structured-config schemas, derived from the model specs so there is one source of truth.

Hydra checks the shape of the composed config (no unknown keys, whole
numbers where whole numbers go) against these dataclasses. Each is the
YAML-side mirror of a spec: quantities and enumerations are text (read and
validated later by ``convert``), tuples are lists, nested specs nest.
"""

from __future__ import annotations

import dataclasses
import functools
import typing
from enum import StrEnum
from typing import Any

from omegaconf import MISSING


@dataclasses.dataclass
class PathsSchema:
    """Where outputs go."""

    runs: str = MISSING


@dataclasses.dataclass
class RootSchema:
    """Top level of ``conf/config.yaml``; each group node is typed by its own schema."""

    hardware: Any = MISSING
    kernel: Any = MISSING
    workload: Any = MISSING
    tracking: Any = MISSING
    seed: int = MISSING
    force: bool = MISSING
    progress: str = MISSING
    paths: PathsSchema = dataclasses.field(default_factory=PathsSchema)


@functools.cache
def schema_of(spec: type, target: bool = False) -> type:
    """The structured-config dataclass for ``spec`` (with a ``_target_`` key when ``target``)."""
    hints = typing.get_type_hints(spec, include_extras=True)
    specs = [(f.name, _yaml_type(hints[f.name]), dataclasses.field(default=MISSING)) for f in dataclasses.fields(spec)]
    if target:
        specs.insert(0, ("_target_", str, dataclasses.field(default=MISSING)))
    name = spec.__name__.removesuffix("Spec") + "Schema"
    return dataclasses.make_dataclass(name, specs, namespace={"__module__": __name__})


def _yaml_type(hint: Any) -> Any:
    origin = typing.get_origin(hint)
    if origin is typing.Annotated:
        base, *marks = typing.get_args(hint)
        return str if marks else _yaml_type(base)
    if origin is tuple:
        args = typing.get_args(hint)
        item = args[0] if len(args) == 2 and args[1] is Ellipsis else Any
        return list[_yaml_type(item)]
    if isinstance(hint, type) and issubclass(hint, StrEnum):
        return str
    if dataclasses.is_dataclass(hint):
        return schema_of(hint)
    return hint
