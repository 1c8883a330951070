"""One line on the screen when the simulation kernels are compiled (the first run after an install).

The models' inner loops are numba functions cached on disk (``cache=True``).
The first run after an install (or after their source changed) compiles them,
which takes seconds with nothing else on the screen; this says so once, before
the run starts. ``just setup`` warms the cache (``python -m nanvix_exp.run.warmup``),
so a researcher's first run usually does not pay it.
"""

from __future__ import annotations

import logging
import sys

log = logging.getLogger("nanvix_exp")
MESSAGE = "compiling the simulation kernels (first run only, a few seconds; `just setup` does it ahead)"


def cache_is_cold() -> bool:
    """True when no cached numba function of the loaded ``nanvix_exp`` modules has a usable entry on disk.

    Some functions serve only some configs (e.g. random replacement) and are never cached, so one warm
    function means the cache was filled before; a fresh install or a changed numba leaves all of them cold.
    """
    if "numba" not in sys.modules:
        return False
    from numba.core.dispatcher import Dispatcher

    states = [
        _cached(value)
        for name, module in list(sys.modules.items())
        if name.startswith("nanvix_exp.") and module is not None
        for value in list(vars(module).values())
        if isinstance(value, Dispatcher) and value.__module__ == name
    ]
    known = [state for state in states if state is not None]
    return bool(known) and not any(known)


def announce_compilation() -> bool:
    """Log ``MESSAGE`` if the simulation kernels will be compiled; returns whether it did."""
    if cache_is_cold():
        log.info(MESSAGE)
        return True
    return False


def _cached(dispatcher: object) -> bool | None:
    """Whether numba finds a usable cache index for ``dispatcher`` (None: caching off, or numba's internals moved)."""
    index = getattr(getattr(dispatcher, "_cache", None), "_cache_file", None)
    if index is None:
        return None
    try:
        return bool(index._load_index())  # empty when the file is missing or stale (numba's own check)
    except Exception:  # numba internals changed: say nothing rather than fail a run
        return None
