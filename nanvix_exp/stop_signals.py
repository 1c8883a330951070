"""A request to stop a run is never lost: Ctrl-C, SIGTERM (scancel, SLURM time limit), submitit's warning.

Each of these signals stops a run by raising an exception from its Python
handler. When the signal lands while numba is compiling, the handler runs
inside one of LLVM's ctypes callbacks, and ctypes prints the exception and
drops it: the simulation would go on and the run end FINISHED (or be killed
later while RUNNING). Inside ``stop_signals_stick`` a stop signal therefore
re-arms a short timer that calls its handler again until the exception gets
through, or, if the block ends first, once more at its end.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterator
from types import FrameType

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGUSR1, signal.SIGUSR2)
"""Signals whose Python handler, if any, stops the run (submitit uses SIGUSR2 before a SLURM time limit)."""
RETRY_S = 0.2
"""How soon a stop signal's handler is called again while its exception has not got through."""

Handler = Callable[[int, FrameType | None], object]


@contextlib.contextmanager
def stop_signals_stick() -> Iterator[None]:
    """Within the block, a stop signal's exception is raised again until it reaches the code of the block."""
    if threading.current_thread() is not threading.main_thread():
        yield  # handlers only run in the main thread
        return
    handlers: dict[int, Handler] = {s: h for s in STOP_SIGNALS if callable(h := signal.getsignal(s))}
    pending: list[int] = []

    def call(signum: int, frame: FrameType | None) -> None:
        signal.setitimer(signal.ITIMER_REAL, RETRY_S)
        handlers[signum](signum, frame)
        pending.clear()  # the handler returned instead of raising: nothing to repeat
        signal.setitimer(signal.ITIMER_REAL, 0)

    def noted(signum: int, frame: FrameType | None) -> None:
        pending.append(signum)
        call(signum, frame)

    def again(signum: int, frame: FrameType | None) -> None:
        if pending:
            call(pending[0], frame)

    alarm = signal.signal(signal.SIGALRM, again)
    for signum in handlers:
        signal.signal(signum, noted)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, alarm)
        for signum, handler in handlers.items():
            signal.signal(signum, handler)
    if pending:  # the block ended before a repeated call got its exception through
        handlers[pending[0]](pending[0], None)
