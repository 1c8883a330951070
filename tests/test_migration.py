"""Process migration: the paper's number and bytes, protocols, kernels, contention, pre-copy, determinism."""

from __future__ import annotations

import numpy as np
import pytest

from nanvix_exp.config.errors import ConfigError
from nanvix_exp.config.load import load_settings
from nanvix_exp.progress import Silent
from nanvix_exp.system import System
from tests.conftest import all_runs, compose_config, run_cli

PAPER = ["experiment=paper_migration", "workload.replications=20"]


def simulate(*overrides: str, seed: int = 0) -> dict[str, np.ndarray]:
    settings = load_settings(compose_config([*PAPER, *overrides]))
    samples = settings.workload.run(
        System(settings.hardware, settings.kernel), np.random.SeedSequence(seed), Silent()
    ).frame()
    return {m: samples.filter(samples["metric"] == m)["value"].to_numpy() for m in samples["metric"].unique()}


def test_paper_process_moves_its_bytes_in_87_chunks_near_226_ms():
    out = simulate("workload.replications=100")
    assert out["bytes_sent"][0] == 342_800 + 2_112 + 8_192
    assert out["phase_sections_bytes"][0] == 342_800
    assert out["phase_uarea_bytes"][0] == 2_112
    assert out["chunks"][0] == 87
    assert out["migration_ms"].mean() == pytest.approx(226, rel=0.05)
    assert out["migration_ms"].std() > 0  # timer phase and background traffic differ between replications
    assert np.array_equal(out["downtime_ms"], out["migration_ms"])  # stop-and-copy: frozen throughout
    assert sorted(m for m in out if m.startswith("phase_") and m.endswith("_ms")) == [
        f"phase_{p}_ms" for p in ("freeze", "restore", "sections", "stacks", "uarea")
    ]
    assert phase_sum(out) == pytest.approx(out["migration_ms"])


def test_same_seed_same_result_other_seed_other_result():
    a, b, c = simulate(), simulate(), simulate(seed=1)
    assert np.array_equal(a["migration_ms"], b["migration_ms"])
    assert not np.array_equal(a["migration_ms"], c["migration_ms"])


def test_daemon_protocol_sends_per_page_state():
    out = simulate("workload.protocol=daemon", "workload.threads=4", "workload.pages=8")
    assert out["phase_kstacksphys_bytes"][0] == 8 * 4096  # two kernel-pool pages per thread
    assert out["phase_frames_phys_bytes"][0] == 8 * 4096
    assert out["migration_ms"].mean() > simulate()["migration_ms"].mean()


def test_baseline_kernel_ships_scattered_thread_state_in_more_transfers():
    uarea, baseline = simulate(), simulate("kernel=baseline")
    assert baseline["chunks"][0] > uarea["chunks"][0]
    assert baseline["phase_uarea_ms"].mean() > uarea["phase_uarea_ms"].mean()


def test_two_migrations_sharing_a_link_take_longer_than_either_alone():
    slow = "hardware.noc.link_bandwidth=2 MB/s"  # pushes dominate, so overlaps are frequent
    alone = simulate(slow, "workload.pairs=[[ccluster0,ccluster2]]")
    shared = simulate(slow, "workload.pairs=[[ccluster0,ccluster2],[ccluster1,ccluster3]]")
    assert shared["slowdown"].min() > 1.0
    assert shared["migration_ms"].mean() > alone["migration_ms"].mean()


def test_two_migrations_on_disjoint_routes_do_not_slow_each_other():
    slow = "hardware.noc.link_bandwidth=2 MB/s"
    disjoint = simulate(slow, "workload.pairs=[[ccluster0,ccluster1],[ccluster2,ccluster3]]")
    assert disjoint["slowdown"] == pytest.approx(1.0, rel=1e-9)  # equal up to float rounding of the event loop
    shared = simulate(slow, "workload.pairs=[[ccluster0,ccluster2],[ccluster1,ccluster3]]")
    assert shared["slowdown"].mean() > 1.01


def phase_sum(out: dict[str, np.ndarray], skip: str = "") -> np.ndarray:
    names = [m for m in out if m.startswith("phase_") and m.endswith("_ms") and m != f"phase_{skip}_ms"]
    return sum(out[m] for m in names)


def test_phases_add_up_to_the_migration_for_every_protocol_and_strategy():
    for overrides in (("workload.protocol=daemon", "workload.pages=3"), ("workload.strategy=pre_copy",)):
        out = simulate(*overrides)
        assert phase_sum(out) == pytest.approx(out["migration_ms"])
        assert phase_sum(out, skip="precopy") == pytest.approx(out["downtime_ms"])


def test_pre_copy_trades_total_time_for_a_short_downtime():
    stop = simulate()
    live = simulate("workload.strategy=pre_copy", "workload.dirty_rate=100")
    assert live["downtime_ms"].mean() < 0.2 * stop["downtime_ms"].mean()
    assert live["migration_ms"].mean() > stop["migration_ms"].mean()
    busier = simulate("workload.strategy=pre_copy", "workload.dirty_rate=2000")
    assert busier["downtime_ms"].mean() > live["downtime_ms"].mean()


def test_skip_sections_sends_no_user_image():
    out = simulate("workload.skip_sections=true")
    assert out["phase_sections_bytes"][0] == 0
    assert out["migration_ms"].mean() < 20


def test_migration_to_an_io_cluster_is_a_config_error():
    with pytest.raises(ConfigError, match=r"workload\.destination"):
        load_settings(compose_config([*PAPER, "workload.destination=iocluster0"]))


def test_paper_migration_and_daemon_runs_finish(runs_dir):
    run_cli(runs_dir, *PAPER, "progress=never", check=True)
    run_cli(runs_dir, *PAPER, "workload.protocol=daemon", "workload.threads=4", "workload.pages=8", check=True)
    runs = all_runs(runs_dir, "paper_migration")
    assert sorted(r.info.status for r in runs) == ["FINISHED", "FINISHED"]
    for run in runs:
        for metric in ("1_results/migration_ms", "1_results/downtime_ms", "1_results/bytes_sent"):
            assert metric in run.data.metrics
        for metric in ("2_transfer/chunks", "2_transfer/hop_bytes", "5_stats/migration_ms_sd"):
            assert metric in run.data.metrics
        assert "3_phases/phase_sections_ms" in run.data.metrics and "3_phases/phase_sections_bytes" in run.data.metrics
