"""Time of the steps of a Nanvix portal or mailbox transfer, from the primitive costs and the NoC.

A portal message is cut into chunks of at most one page (``HAL_PORTAL_DATA_SIZE``,
4 KiB). Per chunk (reference §3.2–3.4):

- the receiver ``allow``s: a forwarded call that re-arms the D-NoC RX tag and
  sends one control message over the C-NoC to the sender;
- the sender ``awrite``s: a forwarded call in which the master core copies the
  chunk into a kernel mbuffer (``kmemcpy``) and, once the permission is there,
  pushes header and data into the D-NoC itself (the core is busy for the whole
  push); if the permission comes later, the C-NoC interrupt handler pushes;
- the receiver's end-of-transfer interrupt checks the header, copies the data out
  of the mbuffer (``kmemcpy``) and wakes the thread blocked in ``wait``.

A mailbox message is one 144 B transfer (16 B header + 128 B data) into the
receiver's kernel buffer, read out by a forwarded ``aread`` and a local ``wait``.
All times are seconds.
"""

from __future__ import annotations

from dataclasses import dataclass

from nanvix_exp.hardware.platform import HardwareSpec
from nanvix_exp.hardware.topology import Route
from nanvix_exp.kernel.ikc_costs import IkcCostSpec

MESSAGE_HEADER = 16
"""Bytes of the kernel mbuffer / HAL message header ``{src, dest, size, ...}`` (reference §3.1)."""
MAILBOX_MESSAGE = 144
"""Bytes of one mailbox message on the wire: 16 B header + 128 B data (reference §3.1)."""


@dataclass(frozen=True)
class IkcTimes:
    """Step times of IKC transfers on one chip with one set of software costs."""

    hardware: HardwareSpec
    costs: IkcCostSpec

    def cycles(self, count: float) -> float:
        """Seconds of ``count`` core cycles (numbers or numpy arrays)."""
        return count / self.hardware.clock

    def copy(self, size: int) -> float:
        """One ``kmemcpy`` of ``size`` bytes."""
        return self.cycles(size / self.costs.memcpy_bytes_per_cycle)

    def wire(self, payload: int, route: Route, share: float = 1.0) -> float:
        """Pushing ``payload`` bytes (plus message and packet headers) along ``route`` at ``share`` of a link."""
        noc = self.hardware.noc
        size = noc.wire_bytes(payload + MESSAGE_HEADER)
        return route.routers * noc.hop_latency + size / (noc.link_bandwidth * share)

    def control(self, route: Route) -> float:
        """One C-NoC control message along ``route`` (the portal permission)."""
        noc = self.hardware.noc
        return route.routers * noc.hop_latency + noc.control_message / noc.link_bandwidth

    def commit(self, chunk: int, forwarded: bool = True) -> float:
        """Sender side of ``awrite`` before the push: the call and the copy into the mbuffer."""
        call = self.costs.forward_call if forwarded else 0.0
        return self.cycles(call + self.costs.message_software) + self.copy(chunk)

    def allow(self, forwarded: bool = True) -> float:
        """Receiver side of ``allow`` + ``aread`` up to sending the permission."""
        call = self.costs.forward_call if forwarded else 0.0
        return self.cycles(call + self.costs.message_software)

    def complete(self, chunk: int, blocked: bool = True) -> float:
        """Receiver side after the data landed: interrupt, header check, copy out, wake-up and ``wait`` return."""
        c = self.costs
        wake = c.wakeup if blocked else 0.0
        return self.cycles(c.interrupt + c.message_software + wake + c.local_call) + self.copy(chunk)

    def late_push(self) -> float:
        """The C-NoC interrupt that pushes a chunk whose permission came after the commit."""
        return self.cycles(self.costs.interrupt)

    def wait_return(self) -> float:
        """The sender's local ``wait`` returning right after its push."""
        return self.cycles(self.costs.local_call)

    def mailbox_read(self) -> float:
        """``mailbox_read`` of a message already in the kernel buffer: forwarded ``aread``, copy out, local ``wait``."""
        c = self.costs
        return self.cycles(c.forward_call + c.mailbox_software + c.local_call) + self.copy(MAILBOX_MESSAGE)

    def mailbox_land(self) -> float:
        """The receiver's interrupt storing an arriving mailbox message into its kernel buffer."""
        return self.cycles(self.costs.interrupt + self.costs.mailbox_software) + self.copy(MAILBOX_MESSAGE)

    def mailbox_commit(self, forwarded: bool = True) -> float:
        """Sender side of a mailbox write before the push: the call, the mailbox layer and the copy."""
        call = self.costs.forward_call if forwarded else 0.0
        return self.cycles(call + self.costs.mailbox_software) + self.copy(MAILBOX_MESSAGE)


def chunks_of(size: int, page: int) -> list[int]:
    """Sizes of the hardware transfers of a ``size``-byte portal message (at most one page each)."""
    full, rest = divmod(size, page)
    return [page] * full + ([rest] if rest else [])
