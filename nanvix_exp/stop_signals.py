"""A request to stop a run is never lost: Ctrl-C, SIGTERM (scancel, SLURM time limit), submitit's warning.

Each of these signals stops a run by raising an exception from its Python
handler. When the signal lands while numba is compiling, the handler runs
inside one of LLVM's ctypes callbacks, and ctypes reports the exception as
unraisable and drops it: the simulation would go on and the run end FINISHED
(or be killed later while RUNNING). Inside ``stop_signals_stick`` such a
dropped stop is raised again shortly after (a SIGALRM timer), and once more
when the block ends before that; a stop whose exception propagates normally
is left alone.
"""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from types import FrameType
from typing import Any

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGUSR1, signal.SIGUSR2)
"""Signals whose Python handler, if any, stops the run (submitit uses SIGUSR2 before a SLURM time limit)."""
RETRY_S = 0.2
"""How soon a dropped stop is raised again."""

Handler = Callable[[int, FrameType | None], object]


@contextlib.contextmanager
def stop_signals_stick() -> Iterator[None]:
    """Within the block, a stop signal whose exception a ctypes callback dropped is raised again."""
    if threading.current_thread() is not threading.main_thread():
        yield  # handlers only run in the main thread
        return
    handlers: dict[int, Handler] = {s: h for s in STOP_SIGNALS if callable(h := signal.getsignal(s))}
    pending: list[int] = []  # the stop signal whose handler raised, until the block is left
    raised: list[BaseException] = []
    unraisable = sys.unraisablehook

    def call(signum: int, frame: FrameType | None) -> None:
        try:
            handlers[signum](signum, frame)
        except BaseException as error:
            pending[:] = [signum]
            raised[:] = [error]
            raise

    def dropped(report: Any) -> None:
        if raised and report.exc_value is raised[0]:
            signal.setitimer(signal.ITIMER_REAL, RETRY_S)
        unraisable(report)

    def again(signum: int, frame: FrameType | None) -> None:
        if pending:
            call(pending[0], frame)

    alarm = signal.signal(signal.SIGALRM, again)
    for signum in handlers:
        signal.signal(signum, call)
    sys.unraisablehook = dropped
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        sys.unraisablehook = unraisable
        signal.signal(signal.SIGALRM, alarm)
        for signum, handler in handlers.items():
            signal.signal(signum, handler)
    if pending:  # the block went on after the stop's exception was dropped
        handlers[pending[0]](pending[0], None)


def stopped(error: BaseException) -> bool:
    """True when the job was stopped from outside rather than failing: Ctrl-C, SIGTERM, exit, or a time limit.

    Under SLURM, submitit's handler of the time-limit warning (``signal_delay_s`` before the limit) raises
    ``UncompletedJobError`` inside the job when it does not requeue it. The stop may reach here wrapped by a
    library whose call it interrupted (MLflow reports an interrupted HTTP request as its own error), so the
    chain of causes counts.
    """
    from submitit.core.utils import UncompletedJobError  # installed with the submitit launcher plugin

    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, KeyboardInterrupt | SystemExit | UncompletedJobError):
            return True
        cause = cause.__cause__ or cause.__context__
    return False
