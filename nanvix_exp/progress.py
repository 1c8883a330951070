"""Progress of long simulations: a live bar on a terminal, silence in CI logs."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Protocol, TypeVar

T = TypeVar("T")


class Progress(Protocol):
    """Reports advancement through an iterable of work items."""

    def track(self, items: Iterable[T], total: int, description: str) -> Iterator[T]:
        """Yield ``items`` unchanged while showing how many of ``total`` are done."""
        ...


class Silent:
    """Progress that shows nothing (non-interactive runs, tests, CI)."""

    def track(self, items: Iterable[T], total: int, description: str) -> Iterator[T]:
        yield from items


class _Bar:
    def __init__(self, progress: object) -> None:
        self._progress = progress

    def track(self, items: Iterable[T], total: int, description: str) -> Iterator[T]:
        yield from self._progress.track(items, total=total, description=description)  # type: ignore[attr-defined]


def interactive(mode: str = "auto") -> bool:
    """Whether to draw bars: ``always``, ``never``, or ``auto`` (stderr is a TTY and not under CI)."""
    if mode == "always":
        return True
    if mode == "never":
        return False
    return sys.stderr.isatty() and not os.environ.get("CI")


@contextmanager
def progress_for(mode: str = "auto") -> Iterator[Progress]:
    """A Progress suited to where the output goes (see ``interactive``)."""
    if not interactive(mode):
        yield Silent()
        return
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
    from rich.progress import Progress as RichProgress

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with RichProgress(*columns, transient=True) as bar:
        yield _Bar(bar)
