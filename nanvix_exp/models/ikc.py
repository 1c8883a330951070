"""IKC collectives: the timeline of one mailbox or portal collective between the I/O cluster and compute clusters.

The master I/O cluster (``iocluster0``) and ``clusters`` compute clusters
(``ccluster0..``) exchange one message each in a ``Pattern``; every kernel
call, copy, interrupt and push is timed by ``kernel/portal.py`` (``IkcTimes``)
over the routes of the torus:

- broadcast / scatter: the I/O cluster sends the buffer to each compute
  cluster in turn (their ``allow`` is posted at the start); the latency is
  when the last receiver has its data;
- gather: every compute cluster posts its write at the start, the I/O
  cluster reads them one after the other;
- allgather: as gather, but the I/O cluster posts the reads (allows) of all
  compute clusters before waiting (our reading of the benchmark);
- pingpong: the I/O cluster sends to a compute cluster, which sends the
  buffer back; repeated for each participating cluster.

Portal messages go in chunks of at most a page; a mailbox message is one
144 B message. ``shares`` gives the fraction of each route left free by
background traffic.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from nanvix_exp.hardware.topology import Route, Torus
from nanvix_exp.kernel.portal import IkcTimes, chunks_of
from nanvix_exp.system import System

MAILBOX_DATA = 128
"""Bytes of payload in one mailbox message (HAL ``mailbox.h``: 144 B = 16 B header + 128 B)."""
PORTAL_MAX = 1024 * 1024
"""Largest portal message (``KPORTAL_MAX_SIZE`` = 1 MiB)."""
MASTER = "iocluster0"
"""The I/O cluster at one end of every exchange."""


class Primitive(StrEnum):
    """Nanvix inter-cluster communication abstraction."""

    MAILBOX = "mailbox"
    PORTAL = "portal"


class Pattern(StrEnum):
    """Collective communication pattern of the benchmark."""

    BROADCAST = "broadcast"
    SCATTER = "scatter"
    GATHER = "gather"
    PINGPONG = "pingpong"
    ALLGATHER = "allgather"


@dataclass(frozen=True)
class Link:
    """Both directions between the master and one compute cluster, with this iteration's link share."""

    down: Route
    up: Route
    share_down: float
    share_up: float


def send_portal(
    t: IkcTimes, chunks: list[int], route: Route, share: float, sender_at: float, perm_at: float
) -> tuple[float, float]:
    """One portal message chunk by chunk; returns (sender free, receiver done) times."""
    done = sender_at
    for chunk in chunks:
        committed = sender_at + t.commit(chunk)
        start = committed if perm_at <= committed else perm_at + t.late_push()
        end = start + t.wire(chunk, route, share)
        sender_at = end + t.wait_return()
        done = end + t.complete(chunk)
        perm_at = done + t.allow() + t.control(route)
    return sender_at, done


def send_mailbox(t: IkcTimes, route: Route, share: float, sender_at: float) -> tuple[float, float]:
    """One mailbox message; returns (sender free, time it sits in the receiver's kernel buffer)."""
    end = sender_at + t.mailbox_commit() + t.wire(MAILBOX_DATA, route, share)
    return end + t.wait_return(), end + t.mailbox_land()


def portal_latency(t: IkcTimes, pattern: Pattern, chunks: list[int], links: list[Link]) -> float:
    """Latency of one portal collective (seconds)."""
    if pattern in (Pattern.BROADCAST, Pattern.SCATTER):
        now, last = 0.0, 0.0
        for link in links:
            now, done = send_portal(t, chunks, link.down, link.share_down, now, t.allow() + t.control(link.down))
            last = max(last, done)
        return last
    if pattern is Pattern.GATHER:
        now = 0.0
        for link in links:
            _, now = send_portal(t, chunks, link.up, link.share_up, 0.0, now + t.allow() + t.control(link.up))
        return now
    if pattern is Pattern.ALLGATHER:
        posted, arrivals = 0.0, []
        for link in links:
            posted += t.allow()
            _, done = send_portal(t, chunks, link.up, link.share_up, 0.0, posted + t.control(link.up))
            arrivals.append(done - t.complete(chunks[-1]))
        free = posted
        for arrival in sorted(arrivals):
            free = max(free, arrival) + t.complete(chunks[-1], blocked=False)
        return free + t.cycles(t.costs.wakeup)
    now = 0.0
    for link in links:
        io_free, cc_done = send_portal(t, chunks, link.down, link.share_down, now, t.allow() + t.control(link.down))
        _, now = send_portal(t, chunks, link.up, link.share_up, cc_done, io_free + t.allow() + t.control(link.up))
    return now


def mailbox_latency(t: IkcTimes, pattern: Pattern, links: list[Link]) -> float:
    """Latency of one mailbox collective (seconds)."""
    if pattern in (Pattern.BROADCAST, Pattern.SCATTER):
        now, last = 0.0, 0.0
        for link in links:
            now, landed = send_mailbox(t, link.down, link.share_down, now)
            last = max(last, landed + t.mailbox_read())
        return last
    if pattern in (Pattern.GATHER, Pattern.ALLGATHER):
        now = 0.0
        for landed in sorted(send_mailbox(t, link.up, link.share_up, 0.0)[1] for link in links):
            now = max(now, landed) + t.mailbox_read()
        return now
    now = 0.0
    for link in links:
        _, landed = send_mailbox(t, link.down, link.share_down, now)
        _, landed = send_mailbox(t, link.up, link.share_up, landed + t.mailbox_read())
        now = landed + t.mailbox_read()
    return now


def latency(
    system: System, primitive: Primitive, pattern: Pattern, buffer: int, clusters: int, shares: Callable | None = None
) -> float:
    """Latency (seconds) of one collective; ``shares(route) -> float`` gives the free fraction of a route."""
    hardware = system.hardware
    torus = Torus(hardware.noc)
    t = IkcTimes(hardware, system.kernel.ikc)
    share = shares or (lambda route: 1.0)
    links = []
    for name in hardware.compute_clusters[:clusters]:
        down, up = torus.route(MASTER, name), torus.route(name, MASTER)
        links.append(Link(down, up, share(down), share(up)))
    if primitive is Primitive.MAILBOX:
        return mailbox_latency(t, pattern, links)
    return portal_latency(t, pattern, chunks_of(buffer, system.kernel.page_size), links)
