"""Recording a kernel code path as a trace a core can replay.

A path is written as the C control flow it follows: ``call`` a function (its
code range is fetched, its body issues bundles, taken branches and load-use
stalls, its ``-O0`` frame is saved and reloaded on the stack), ``load`` and
``store`` data (chains of addresses from the layout), ``loop`` (a loop body
repeated: fetched once, issued ``n`` times, its stack locals hit after the
first pass), ``atomic`` (an uncached ``ldc``/fence to the SRAM) and
``dinval``. The result is three flat arrays (kind, address, argument) for the
compiled replay in ``hardware/core.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nanvix_exp.hardware.core import CODE, DINVAL, ISSUE, LOAD, RAW, STORE, TAKEN, UNCACHED
from nanvix_exp.kernel.code import CodeRegion

FRAME = 64
"""Stack frame of a kernel function at -O0: saved ra/fp and a few locals, one cache line (assumed)."""
TAKEN_EVERY = 8
"""One taken branch per 8 bundles of straight -O0 code (returns, if/else joins; assumed)."""
RAW_EVERY = 3
"""One load-use stall per 3 bundles at -O0 (operands reloaded from the stack just before use; assumed)."""


@dataclass(frozen=True)
class Trace:
    """A replayable path: parallel arrays of operation kind, address and argument."""

    kind: np.ndarray
    addr: np.ndarray
    arg: np.ndarray

    def __len__(self) -> int:
        return int(self.kind.shape[0])


class TraceBuilder:
    """Appends operations of one core's path; ``trace()`` freezes them."""

    def __init__(self, code: dict[str, CodeRegion], stack_top: int, bundle_bytes: int) -> None:
        self.code = code
        self.bundle_bytes = bundle_bytes
        self._sp = stack_top
        self._ops: list[tuple[int, int, int]] = []

    def op(self, kind: int, addr: int = 0, arg: int = 0) -> None:
        """Append one raw operation."""
        self._ops.append((kind, addr, arg))

    def call(self, name: str, bundles: int | None = None) -> None:
        """Enter ``name``: fetch its code, issue its straight-line body, push and pop its frame.

        ``bundles`` defaults to the whole function executed once (size / bundle size).
        """
        region = self.code[name]
        issued = bundles if bundles is not None else max(1, region.size // self.bundle_bytes)
        self._sp -= FRAME
        self.op(CODE, region.start, region.size)
        self.op(ISSUE, 0, issued)
        self.op(TAKEN, 0, max(1, issued // TAKEN_EVERY))
        self.op(RAW, 0, issued // RAW_EVERY)
        self.op(STORE, self._sp)  # prologue saves ra/fp
        self.op(LOAD, self._sp + 8)  # locals reloaded (-O0)
        self.op(LOAD, self._sp)  # epilogue
        self._sp += FRAME

    def load(self, chain: list[int] | int) -> None:
        """Load through a chain of addresses (pointers first); each dependent use stalls."""
        for address in [chain] if isinstance(chain, int) else chain:
            self.op(LOAD, address)
            self.op(ISSUE, 0, 1)
            self.op(RAW, 0, 1)

    def store(self, chain: list[int] | int) -> None:
        """Store to the last address of a chain (the pointers are loaded first)."""
        chain = [chain] if isinstance(chain, int) else chain
        for address in chain[:-1]:
            self.load(address)
        self.op(STORE, chain[-1])
        self.op(ISSUE, 0, 1)

    def op_store_range(self, start: int, size: int, line: int = 64) -> None:
        """Stores covering ``[start, start + size)``, one per cache line (the bytes of a line share its fate)."""
        for address in range(start, start + size, line):
            self.op(STORE, address)

    def loop(self, name: str, iterations: int, bundles: int, raw: int, locals_: int = 2) -> None:
        """``iterations`` passes of a loop body of ``name`` (one taken back-branch each)."""
        if iterations <= 0:
            return
        region = self.code[name]
        self.op(CODE, region.start, min(region.size, bundles * self.bundle_bytes))
        for i in range(locals_):
            self.op(LOAD, self._sp - FRAME + 8 + 4 * i)
        self.op(ISSUE, 0, iterations * bundles)
        self.op(TAKEN, 0, iterations)
        self.op(RAW, 0, iterations * raw)

    def atomic(self, count: int = 1) -> None:
        """Uncached accesses (``ldc``, ``fence``, ``wpurge``): served by the SRAM, not the D$."""
        self.op(UNCACHED, 0, count)
        self.op(ISSUE, 0, count)

    def dinval(self) -> None:
        """The D$ is emptied (``dcache_invalidate``: wpurge, fence, dinval)."""
        self.call("dcache_invalidate")
        self.atomic(2)
        self.op(DINVAL)

    def trace(self) -> Trace:
        """The recorded operations as arrays."""
        ops = np.array(self._ops, dtype=np.int64).reshape(-1, 3)
        return Trace(ops[:, 0].astype(np.int8), ops[:, 1].copy(), ops[:, 2].copy())
