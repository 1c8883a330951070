"""A stop signal that lands inside a ctypes callback (as during numba's compilation) still stops the run.

Each case runs in a fresh interpreter: SIGTERM is sent while C code (libc's
``qsort``) is calling back into Python, where the handler's exception is
printed and dropped by ctypes. The "simulation" then sleeps for 3 s.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from tests.conftest import ROOT

SCRIPT = textwrap.dedent(
    """
    import ctypes, os, signal, sys, time
    from nanvix_exp.stop_signals import stop_signals_stick

    calls = []
    def stop(signum, frame):
        calls.append(signum)
        if sys.argv[2] == "raises":
            raise KeyboardInterrupt(f"signal {signum}")
    signal.signal(signal.SIGTERM, stop)

    def compare(a, b):
        if not calls:
            os.kill(os.getpid(), signal.SIGTERM)
            for _ in range(10000):  # the handler runs here, inside the callback
                pass
        return 0

    def simulate():
        numbers = (ctypes.c_int * 4)()
        callback = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p)(compare)
        ctypes.CDLL(None).qsort(numbers, 4, ctypes.sizeof(ctypes.c_int), callback)
        time.sleep(3)

    try:
        if sys.argv[1] == "stick":
            with stop_signals_stick():
                simulate()
        else:
            simulate()
        print("FINISHED", len(calls), signal.getsignal(signal.SIGALRM) is signal.SIG_DFL)
    except KeyboardInterrupt:
        print("KILLED", len(calls), signal.getsignal(signal.SIGALRM) is signal.SIG_DFL)
    """
)


def outcome(*args: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, *args], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True
    )
    return done.stdout.split()


def test_without_the_guard_ctypes_drops_the_stop():
    assert outcome("plain", "raises") == ["FINISHED", "1", "True"]


def test_inside_the_guard_the_stop_is_raised_again_until_it_gets_through():
    state, calls, alarm_restored = outcome("stick", "raises")
    assert state == "KILLED" and int(calls) >= 2 and alarm_restored == "True"


@pytest.mark.parametrize("mode", ["stick", "plain"])
def test_a_handler_that_does_not_raise_is_called_once(mode):
    assert outcome(mode, "returns") == ["FINISHED", "1", "True"]


def raised(error: BaseException, wrapper: type[Exception] | None) -> BaseException:
    """``error`` as it reaches the runner: bare, or wrapped the way MLflow wraps an interrupted HTTP call."""
    try:
        try:
            raise error
        except BaseException as inner:
            if wrapper is None:
                raise
            raise wrapper(f"API request failed with exception {inner}")  # noqa: B904 (MLflow's own style)
    except BaseException as reached:
        return reached


@pytest.mark.parametrize("wrapper", [None, RuntimeError], ids=["bare", "wrapped"])
def test_a_stop_counts_as_killed_even_when_wrapped_and_a_failure_as_failed(wrapper):
    from submitit.core.utils import UncompletedJobError

    from nanvix_exp.stop_signals import stopped

    assert stopped(raised(KeyboardInterrupt("signal 15"), wrapper))
    assert stopped(raised(UncompletedJobError("Job not requeued because: timed-out too many times."), wrapper))
    assert not stopped(raised(ValueError("a bug"), wrapper))
