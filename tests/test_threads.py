"""Thread subsystem model: layouts from the real structures, paths, the lock_tm schedule, determinism."""

import numpy as np
import pytest

from nanvix_exp.config.load import load_settings
from nanvix_exp.hardware.core import DINVAL
from nanvix_exp.kernel.code import text_layout
from nanvix_exp.kernel.layout import Layout
from nanvix_exp.kernel.schedule import Program, simulate
from nanvix_exp.kernel.spec import Variant
from nanvix_exp.kernel.threads import ThreadPaths
from nanvix_exp.progress import Silent
from tests.conftest import compose_config

FAST = ["workload.iterations=3", "workload.warmup=1", "workload.threads=[1,3]", "progress=never"]


def settings(*overrides: str):
    return load_settings(compose_config([*FAST, *overrides]))


def layouts():
    return {k: Layout(settings(f"kernel={k}").kernel, 16) for k in ("baseline", "uarea")}


def test_uarea_is_one_contiguous_struct_reached_through_one_more_load():
    base, ua = layouts().values()
    assert 2000 < ua.uarea_struct.size < 2200  # "2 KB UArea" (ref §2.3)
    last = ua.sys_threads + 17
    assert len(base.thread(last, "state")) == 1 and len(ua.thread(last, "state")) == 2
    start, size = ua.symbols["uarea"].address, ua.symbols["uarea"].size
    for chain in (ua.thread(last, "tid"), ua.joincond(last), ua.scalar("next_tid"), ua.array("kstacks", 17)):
        assert start <= chain[-1] < start + size
    assert len(base.scalar("nthreads")) == 1 and len(ua.scalar("nthreads")) == 2
    assert ua.thread(0, "state")[-1] < start  # system threads stay in threads_sys
    assert base.thread_state_lines() > ua.thread_state_lines() - 4  # both cover the same state


def test_uarea_code_is_longer_by_the_indirections_and_shifts_later_functions():
    base, ua = text_layout(Variant.BASELINE), text_layout(Variant.UAREA)
    assert "uarea_init" in ua and "uarea_init" not in base
    assert ua["thread_create"].size > base["thread_create"].size
    assert ua["do_kcall2"].start > base["do_kcall2"].start
    assert ua["kmemset"] == base["kmemset"]  # before the process manager: unchanged


def test_create_path_invalidates_the_dcache_in_both_kpage_gets_and_zeroes_two_pages():
    s = settings("kernel=baseline")
    paths = ThreadPaths(Layout(s.kernel, 16), text_layout(Variant.BASELINE), 8)
    create = paths.create(utid=3, live=3, zombie=False)
    assert int((create.kind == DINVAL).sum()) == 2
    page = s.kernel.page_size
    assert create.arg.max() >= page * 10  # the -O0 byte loop of kmemset issues ~10 bundles per byte
    with_zombie = paths.create(utid=3, live=3, zombie=True)
    assert len(with_zombie) > len(create)
    assert [paths.target_core(u) for u in (1, 14, 15, 16)] == [2, 15, 1, 2]


def test_lock_tm_is_first_come_first_served_and_join_waits_only_when_needed():
    a, b, c = Program(0), Program(1), Program(2)
    a.lock(100)
    a.signal("a")
    b.delay(10)
    b.lock(50)
    b.signal("b")
    c.delay(20)
    c.join("a", 5, wake=1000)  # 'a' happens at 100: c sleeps, wakes 1000 later, locks
    c.signal("c")
    c.join("b", 5, wake=1000)  # 'b' already happened at 150: nothing to do
    c.signal("d")
    s = simulate([a, b, c])
    assert s.times == {"a": 100, "b": 150, "c": 1105, "d": 1105}
    assert s.spin[1] == 90


def run(*overrides: str):
    s = settings(*overrides)
    from nanvix_exp.system import System

    frame = s.workload.run(System(s.hardware, s.kernel), np.random.SeedSequence(s.seed), Silent()).frame()
    return frame.sort("metric", "step", "iteration")


def test_metric_contract_and_same_seed_same_bits():
    first, second = run(), run()
    metrics = set(first["metric"].unique())
    counters = ("cycles", "dcache_stalls", "icache_stalls", "branch_stalls", "reg_stalls", "itlb_stalls", "dtlb_stalls")
    assert metrics == {"fork_ms", "join_ms"} | {f"{op}_{c}" for op in ("fork", "join") for c in counters}
    assert set(first["step"].unique()) == {1, 3}
    assert first.equals(second)
    other = run("seed=5")
    assert not other["value"].equals(first["value"])


def test_fork_grows_with_n_and_master_cycles_are_the_fork_time():
    frame = run()
    import polars as pl

    fork = frame.filter(pl.col("metric") == "fork_ms").group_by("step").agg(pl.col("value").mean()).sort("step")
    assert fork["value"][1] > 2 * fork["value"][0]
    cycles = frame.filter(frame["metric"] == "fork_cycles")["value"].to_numpy()
    ms = frame.filter(frame["metric"] == "fork_ms")["value"].to_numpy()
    assert np.allclose(cycles / 400e6 * 1e3, ms)


@pytest.mark.parametrize("kernel", ["baseline", "uarea"])
def test_stall_classes_never_exceed_the_cycles(kernel):
    frame = run(f"kernel={kernel}")
    for op in ("fork", "join"):
        cycles = frame.filter(frame["metric"] == f"{op}_cycles")["value"].to_numpy()
        stalls = sum(
            frame.filter(frame["metric"] == f"{op}_{c}")["value"].to_numpy()
            for c in ("dcache_stalls", "icache_stalls", "branch_stalls", "reg_stalls", "itlb_stalls", "dtlb_stalls")
        )
        assert (stalls < cycles).all() and (stalls > 0).all()
