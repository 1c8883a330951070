"""The README's config reference, generated from the one source: the composed config, its files and its specs.

One row per key of the default config (and per key of each option of the
groups whose options carry different keys: workloads, tracking stores):
its default as written in the file whose value wins (``precedence.py``: a
calibrated value comes from ``conf/calibration/``), its type read from the
spec the loader checks it against, and its provenance comment from that
file, with the file named. ``python -m nanvix_exp.config.reference --write
README.md`` (``just config-reference``) rewrites the table in the README;
``tests/test_readme.py`` fails when it is out of date.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import typing
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nanvix_exp.config.comments import comments
from nanvix_exp.config.compose import CONFIG_DIR, composed
from nanvix_exp.config.layers import ConfigStack
from nanvix_exp.config.load import PROGRESS_MODES
from nanvix_exp.config.precedence import winner
from nanvix_exp.hardware.platform import HardwareSpec
from nanvix_exp.kernel.spec import KernelSpec
from nanvix_exp.quantities import Quantity
from nanvix_exp.tracking.client.spec import TrackingSpec
from nanvix_exp.workloads.catalog import registrations

if TYPE_CHECKING:
    from omegaconf import DictConfig

HEADER = ("| key | default | type | provenance (file) |", "|---|---|---|---|")
PER_OPTION = ("workload", "tracking")
"""Groups whose options carry different keys or values: a row per option (merged where they agree)."""
ROOT_TYPES = {"seed": "whole number ≥ 0", "force": "true / false", "progress": " | ".join(PROGRESS_MODES)}
HIDDEN = ("workload._target_",)
"""Keys a user never sets (the registration gives them)."""
TITLE = "## Config reference"


def reference_rows() -> list[str]:
    """The table's Markdown rows (header first)."""
    from omegaconf import OmegaConf

    rows: list[tuple[str, str, str, str, str]] = []  # key, option, default, type, provenance
    cfg, stack = composed()
    for key in _keys(cfg, stack, group=None):
        rows.append((key, "", *_cells(cfg, stack, key)))
    for group in PER_OPTION:
        name = f"{group}.name"  # the option itself: one row, from the default composition
        if OmegaConf.select(cfg, name) is not None:
            rows.append((name, "", *_cells(cfg, stack, name)))
        options = sorted(p.stem for p in (CONFIG_DIR / group).glob("*.yaml"))
        per_option = {option: composed([f"{group}={option}"]) for option in options}
        keyed = {option: [k for k in _keys(*per_option[option], group=group) if k != name] for option in options}
        for key in dict.fromkeys(k for option in options for k in keyed[option]):
            cells: dict[tuple[str, str, str], list[str]] = {}
            for option in options:
                if key in keyed[option]:
                    cells.setdefault(_cells(*per_option[option], key), []).append(option)
            for cell, having in cells.items():
                label = "" if len(cells) == 1 and len(having) == len(options) else ", ".join(having)
                rows.append((key, label, *cell))
    body = [
        f"| `{key}`{f' ({option})' if option else ''} | {default} | {kind} | {provenance} |"
        for key, option, default, kind, provenance in rows
    ]
    return [*HEADER, *body]


def _keys(cfg: DictConfig, stack: ConfigStack, group: str | None) -> list[str]:
    """Keys of the composition in file order: those of ``group`` only, or (None) all but the per-option groups.

    A group's ``name`` comes first even when no file sets it (a workload's name comes from its registration).
    """
    from omegaconf import OmegaConf

    def wanted(key: str) -> bool:
        head = key.split(".", 1)[0]
        return key not in HIDDEN and (head == group if group else head not in PER_OPTION)

    seen = dict.fromkeys(key for layer in stack.layers for key in layer.values if wanted(key))
    heads = dict.fromkeys(key.split(".", 1)[0] for key in seen)
    names = [f"{h}.name" for h in heads if OmegaConf.select(cfg, f"{h}.name") is not None]
    return [*(n for n in names if n not in seen), *seen]


def _cells(cfg: DictConfig, stack: ConfigStack, key: str) -> tuple[str, str, str]:
    """(default, type, provenance) of ``key`` in the composition ``cfg`` made of ``stack``."""
    from omegaconf import OmegaConf

    layer = winner(stack, key)
    if layer is None or layer.file is None:
        default, provenance = f"`{OmegaConf.select(cfg, key)}`", "— (the option's registration)"
    else:
        default = f"`{_shown(layer.values[key])}`"
        note = comments(layer.file, layer.package).get(key, "—")
        provenance = f"{_escape(note)} (`{layer.name}.yaml`)"
    return default, _escape(type_of(key, str(OmegaConf.select(cfg, "workload.name")))), provenance


def type_of(key: str, workload: str) -> str:
    """What ``key`` takes, read from the spec it is checked against (the ``name`` of a group: its options).

    Keys under ``workload`` are read from the spec of ``workload``.
    """
    head, _, rest = key.partition(".")
    if rest == "name" and (CONFIG_DIR / head).is_dir():
        return "one of " + ", ".join(sorted(p.stem for p in (CONFIG_DIR / head).glob("*.yaml")))
    if head in ROOT_TYPES:
        return ROOT_TYPES[head]
    specs: dict[str, type] = {"hardware": HardwareSpec, "kernel": KernelSpec, "tracking": TrackingSpec}
    if head == "paths":
        return "folder"
    if head == "workload":
        specs["workload"] = registrations()[workload].spec
    hint = _hint(specs[head], rest) if head in specs else None
    return "—" if hint is None else _describe(hint)


def _hint(spec: type, dotted: str) -> Any:
    hint: Any = spec
    for part in dotted.split("."):
        if not dataclasses.is_dataclass(hint):
            return None
        hints = typing.get_type_hints(hint, include_extras=True)
        if part not in hints:
            return None
        hint = hints[part]
    return hint


def _describe(hint: Any) -> str:
    origin = typing.get_origin(hint)
    if origin is typing.Annotated:
        base, *marks = typing.get_args(hint)
        quantity = next((m for m in marks if isinstance(m, Quantity)), None)
        return quantity.kind if quantity else _describe(base)
    if origin is tuple:
        args = typing.get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            item = _describe(args[0])
            return f"list of {item}" if item.startswith("[") else f"list of {item}s"
        return "[" + ", ".join(_describe(a) for a in args) + "]"
    if isinstance(hint, type) and issubclass(hint, StrEnum):
        return " | ".join(member.value for member in hint)
    return {bool: "true / false", int: "whole number", float: "number", str: "text"}.get(hint, str(hint))


def _shown(value: Any) -> str:
    if isinstance(value, list) and len(value) > 4 and value == list(range(value[0], value[0] + len(value))):
        return f"[{value[0]}, {value[1]}, …, {value[-1]}]"
    if isinstance(value, list | bool) or value is None:
        return json.dumps(value)
    return str(value)


def _escape(text: str) -> str:
    return text.replace("|", "\\|")


def rewrite(readme: str, rows: list[str]) -> str:
    """``readme`` with the table of its config reference section replaced by ``rows``."""
    head, section = readme.split(TITLE, 1)
    body, sep, tail = section.partition("\n## ")
    lines = body.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("| key |"))
    end = next((i for i in range(start, len(lines)) if not lines[i].startswith("|")), len(lines))
    return head + TITLE + "\n".join([*lines[:start], *rows, *lines[end:]]) + sep + tail


def table_in(readme: str) -> list[str]:
    """The rows of the config reference table in ``readme``."""
    section = readme.split(TITLE, 1)[1].split("\n## ", 1)[0]
    lines = section.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("| key |"))
    return [line for line in lines[start:] if line.startswith("|")]


def main(argv: list[str] | None = None) -> int:
    """Print the table, or rewrite it in a README (``--write``); returns the exit code."""
    parser = argparse.ArgumentParser(prog="python -m nanvix_exp.config.reference", description=__doc__)
    parser.add_argument("--write", type=Path, help="rewrite the table of this README's config reference")
    args = parser.parse_args(argv)
    rows = reference_rows()
    if args.write is None:
        print("\n".join(rows))
        return 0
    args.write.write_text(rewrite(args.write.read_text(), rows))
    print(f"{args.write}: config reference rewritten ({len(rows) - 2} keys)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
