"""The NoC: torus routes, I/O attachments, and max-min fair sharing of links between concurrent transfers."""

from __future__ import annotations

import numpy as np
import pytest

from nanvix_exp.config.errors import ConfigError
from nanvix_exp.config.load import load_settings
from nanvix_exp.hardware.flows import simulate_streams
from nanvix_exp.hardware.topology import Torus
from tests.conftest import compose_config


def torus(*overrides: str) -> Torus:
    return Torus(load_settings(compose_config(list(overrides))).hardware.noc)


def test_dimension_order_routes_take_the_short_way_round():
    net = torus()
    assert net.route("ccluster0", "ccluster1").routers == 2
    # 0 -> 3 on a 4-wide ring: one hop west through the wrap-around link, not three east
    assert net.route("ccluster0", "ccluster3").routers == 2
    # X first, then Y: 0 (0,0) -> 5 (1,1) crosses two routers between the ends
    assert net.route("ccluster0", "ccluster5").routers == 3
    # the route back uses other directed links
    there, back = net.route("ccluster0", "ccluster5"), net.route("ccluster5", "ccluster0")
    assert not set(there.links) & set(back.links)


def test_io_clusters_attach_at_the_edges_and_unknown_nodes_are_rejected():
    net = torus()
    assert net.route("iocluster0", "ccluster8").routers == 2  # io0 sits west of the middle-row router 8
    assert net.route("iocluster0", "ccluster11").routers == 3  # wraps west from column 0 to column 3
    with pytest.raises(ValueError, match="I/O clusters"):
        net.route("iocluster3", "ccluster0")


def streams(pairs, gaps, wire, capacity=1e6, *overrides):
    net = torus(*overrides)
    offsets, links, _ = net.routes_table(pairs)
    cap = np.full((1, net.links), capacity)
    g = np.asarray(gaps, float)[None]
    w = np.asarray(wire, float)[None]
    return simulate_streams(g, w, offsets, links, cap)[0]


def test_transfers_sharing_a_link_split_its_bandwidth():
    alone = streams([("ccluster0", "ccluster2")], [[0.0]], [[1e6]])
    shared = streams([("ccluster0", "ccluster2"), ("ccluster1", "ccluster3")], [[0.0], [0.0]], [[1e6], [1e6]])
    assert alone[0, 0] == pytest.approx(1.0)
    assert shared[:, 0] == pytest.approx([2.0, 2.0])


def test_transfers_on_disjoint_routes_do_not_slow_each_other():
    disjoint = streams([("ccluster0", "ccluster1"), ("ccluster2", "ccluster3")], [[0.0], [0.0]], [[1e6], [1e6]])
    assert disjoint[:, 0] == pytest.approx([1.0, 1.0])


def test_max_min_fairness_gives_the_unconstrained_flow_what_is_left():
    # 0->2 and 1->3 share router 1's east link; 1->3 finishes its short chunk first, then 0->2 runs at full speed
    ends = streams([("ccluster0", "ccluster2"), ("ccluster1", "ccluster3")], [[0.0], [0.0]], [[1e6], [0.5e6]])
    assert ends[1, 0] == pytest.approx(1.0)  # 0.5 MB at half speed
    assert ends[0, 0] == pytest.approx(1.5)  # 0.5 MB at half speed, then 0.5 MB alone


def test_software_gaps_separate_pushes():
    ends = streams([("ccluster0", "ccluster1")], [[0.5, 0.25]], [[1e6, 1e6]])
    assert ends[0] == pytest.approx([1.5, 2.75])


def test_packet_headers_count_on_the_wire():
    noc = load_settings(compose_config([])).hardware.noc
    assert noc.wire_bytes(4096) == 4096 + 16 * noc.packet_header


def test_background_outside_zero_one_is_a_config_error():
    with pytest.raises(ConfigError, match=r"hardware\.noc\.background"):
        load_settings(compose_config(["hardware.noc.background=1.5"]))
