"""The provenance comment next to each value of a YAML config file, by dotted key.

Every value in ``conf/`` carries its provenance in a trailing comment
(``sourced: ... (ref §4)``, ``assumed: ...``, ``calibrated: ...``). The
README's config reference quotes them from here, so the two cannot disagree.
The reading is line based and covers what the config files use: block
mappings, scalars and one-line flow lists, with ``#`` starting a comment
outside quotes.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

_KEY = re.compile(r"^(?P<indent> *)(?P<key>[A-Za-z_][\w-]*):(?P<rest>.*)$")


@functools.cache
def comments(file: Path, package: str = "") -> dict[str, str]:
    """``{dotted key: comment}`` of the keys of ``file`` that have a trailing comment (keys under ``package``)."""
    found: dict[str, str] = {}
    parents: list[tuple[int, str]] = []
    for line in file.read_text().splitlines():
        match = _KEY.match(line)
        if match is None:
            continue
        indent = len(match["indent"])
        while parents and parents[-1][0] >= indent:
            parents.pop()
        path = [*(key for _, key in parents), match["key"]]
        parents.append((indent, match["key"]))
        comment = _comment(match["rest"])
        if comment:
            found[".".join([package, *path] if package else path)] = comment
    return found


def _comment(rest: str) -> str:
    quote = ""
    for i, char in enumerate(rest):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "#" and (i == 0 or rest[i - 1].isspace()):
            return rest[i + 1 :].strip()
    return ""
