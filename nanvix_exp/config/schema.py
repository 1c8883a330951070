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
def schema_of(spec: type, defaults: tuple[tuple[str, str], ...] = ()) -> type:
    """The structured-config dataclass for ``spec``; ``defaults`` gives keys a default value.

    A ``_target_`` among ``defaults`` adds that key first (a workload's ``_target_`` and
    ``name`` come from its registration, so its option file need not repeat them).
    """
    given = dict(defaults)
    hints = typing.get_type_hints(spec, include_extras=True)
    specs = [
        (f.name, _yaml_type(hints[f.name]), dataclasses.field(default=given.get(f.name, MISSING)))
        for f in dataclasses.fields(spec)
    ]
    if "_target_" in given:
        specs.insert(0, ("_target_", str, dataclasses.field(default=given["_target_"])))
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
