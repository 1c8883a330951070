"""k1b core timing: one replay pass gives events; cycles = bundles + stall classes; counters agree."""

import itertools

import numpy as np
import pytest

from nanvix_exp.errors import SpecError
from nanvix_exp.hardware.cache import CacheSpec, Replacement, WritePolicy
from nanvix_exp.hardware.core import (
    BUNDLES,
    CODE,
    COUNTERS,
    DINVAL,
    DMISS,
    IMISS,
    ISSUE,
    LOAD,
    TAKEN,
    Core,
    PipelineSpec,
    TlbSpec,
    counters,
)

L1 = CacheSpec(8192, 2, 64, Replacement.LRU, WritePolicy.WRITE_THROUGH)
PIPE = PipelineSpec(
    dcache_miss=10, icache_miss=12, branch_taken=2, load_use=1, uncached=30, tlb_refill=20, bundle_bytes=8
)


def core() -> Core:
    return Core(L1, L1, TlbSpec(8, 4096), TlbSpec(8, 4096))


def trace(ops):
    a = np.array(ops, dtype=np.int64)
    return a[:, 0].astype(np.int8), a[:, 1].copy(), a[:, 2].copy()


def test_events_of_a_path_and_the_state_kept_between_replays():
    ops = [(CODE, 0x10000, 256), (ISSUE, 0, 40), (TAKEN, 0, 5), (LOAD, 0x70000, 0), (LOAD, 0x70004, 0)]
    c = core()
    first = c.replay(*trace(ops))
    assert first[IMISS] == 4 and first[DMISS] == 1 and first[BUNDLES] == 40
    again = c.replay(*trace(ops))
    assert again[IMISS] == 0 and again[DMISS] == 0
    after_inval = c.replay(*trace([(DINVAL, 0, 0), *ops]))
    assert after_inval[DMISS] == 1 and after_inval[IMISS] == 0  # dinval empties the D$ only


def test_segments_in_one_call_equal_separate_replays():
    rng = np.random.default_rng(1)
    ops = [(LOAD, int(a), 0) for a in rng.integers(0, 64 * 1024, 3000)]
    ops += [(CODE, int(a), 64) for a in rng.integers(0, 256 * 1024, 500) // 64 * 64]
    kind, addr, arg = trace(ops)
    bounds = np.array([0, 1000, 1000, 2500, len(ops)])
    together = core().replay_segments(kind, addr, arg, bounds)
    separate = core()
    expected = [separate.replay(kind[s:e], addr[s:e], arg[s:e]) for s, e in itertools.pairwise(bounds)]
    assert np.array_equal(together, np.array(expected)) and together[1].sum() == 0


def test_cycles_are_issue_plus_every_stall_class():
    c = core()
    events = c.replay(*trace([(CODE, 0x10000, 4096), (ISSUE, 0, 900), (TAKEN, 0, 70), (LOAD, 0x90000, 0)]))
    values = counters(events, PIPE)
    assert len(values) == len(COUNTERS)
    assert values[0] == pytest.approx(events[BUNDLES] + values[1:].sum())
    assert values[2] == events[IMISS] * PIPE.icache_miss and values[3] == 70 * PIPE.branch_taken


def test_pipeline_and_tlb_specs_reject_impossible_values():
    with pytest.raises(SpecError) as error:
        PipelineSpec(-1, 1, 1, 1, 1, 1, 8)
    assert error.value.field == "dcache_miss"
    with pytest.raises(SpecError):
        PipelineSpec(1, 1, 1, 1, 1, 1, 6)
    with pytest.raises(SpecError):
        TlbSpec(6, 4096)
