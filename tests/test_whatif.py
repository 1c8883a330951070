"""What-if studies change the simulated Figure 3 the way a researcher expects."""

import numpy as np
import polars as pl
import pytest

from nanvix_exp.config.errors import ConfigError
from nanvix_exp.config.load import load_settings
from nanvix_exp.progress import Silent
from nanvix_exp.system import System
from tests.conftest import compose_config

FAST = ["workload.iterations=2", "workload.warmup=1", "workload.threads=[4]", "progress=never"]


def mean(metric: str, *overrides: str) -> float:
    s = load_settings(compose_config([*FAST, *overrides]))
    frame = s.workload.run(System(s.hardware, s.kernel), np.random.SeedSequence(0), Silent()).frame()
    return float(frame.filter(pl.col("metric") == metric)["value"].mean())


def test_a_larger_dcache_lowers_dcache_stalls():
    small = mean("fork_dcache_stalls", "hardware.cluster.dcache.size=4 KiB")
    large = mean("fork_dcache_stalls", "hardware.cluster.dcache.size=32 KiB")
    assert large < small


def test_more_icache_ways_or_a_larger_icache_remove_the_idle_loops_conflict_misses():
    two = mean("join_icache_stalls")  # the master waits during the join: its wait loop conflicts in 2 ways
    assert mean("join_icache_stalls", "hardware.cluster.icache.ways=4") < two / 2
    assert mean("join_icache_stalls", "hardware.cluster.icache.size=32 KiB") < two / 2


def test_a_dearer_dcache_miss_slows_the_fork_and_a_faster_clock_shortens_it():
    base = mean("fork_ms")
    assert mean("fork_ms", "hardware.cluster.core.dcache_miss=200") > base
    fast = mean("fork_ms", "hardware.clock=800 MHz")
    assert 0.4 * base < fast < 0.6 * base  # cycles take half the time; ticks (fixed period) cost fewer cycles


def test_fewer_cores_and_a_smaller_thread_max_still_run():
    assert mean("fork_ms", "hardware.cluster.cores=4") > 0  # threads wrap onto cores 1..3
    assert mean("fork_ms", "kernel.thread_max=8") > 0
    with pytest.raises(ConfigError, match=r"workload\.threads"):
        load_settings(compose_config([*FAST, "kernel.thread_max=4"]))


def test_write_back_dcache_allocates_the_zeroed_stack_pages():
    through = mean("fork_dcache_stalls")
    back = mean("fork_dcache_stalls", "hardware.cluster.dcache.write_policy=write_back")
    assert back != through
