"""Calibrated values against presets: a preset that extends ours wins, a root preset is below the calibration (said)."""

import re

from omegaconf import OmegaConf

from nanvix_exp.config.compose import CONFIG_DIR, compose
from tests.conftest import FAST, all_runs, run_cli

KEY = "hardware.cluster.core.dcache_miss"
CALIBRATED = OmegaConf.select(OmegaConf.load(CONFIG_DIR / "calibration" / "threads.yaml"), KEY)
MINE = 12.5


def user_conf(tmp_path):
    """A --config-dir with a preset extending mppa256, a standalone copy of mppa256 and an experiment preset."""
    folder = tmp_path / "my-conf"
    (folder / "hardware").mkdir(parents=True)
    (folder / "experiment").mkdir()
    (folder / "hardware" / "my_chip.yaml").write_text(
        f"defaults:\n  - mppa256\n  - _self_\n\nname: my_chip\ncluster:\n  core:\n    dcache_miss: {MINE}   # mine\n"
    )
    root = (CONFIG_DIR / "hardware" / "mppa256.yaml").read_text().replace("name: mppa256", "name: my_root")
    root = re.sub(r"(?m)^(\s+dcache_miss:) \S+", rf"\1 {MINE}", root)
    (folder / "hardware" / "my_root.yaml").write_text(root)
    (folder / "experiment" / "slow_dcache.yaml").write_text(
        "# @package _global_\nhardware:\n  cluster:\n    core:\n      dcache_miss: 13.0\n"
    )
    return folder


def dcache_miss(overrides, folder) -> float:
    return float(OmegaConf.select(compose(overrides, config_dirs=[folder]), KEY))


def test_a_preset_that_extends_ours_overrides_a_calibrated_value_and_the_run_records_it(runs_dir, tmp_path):
    folder = user_conf(tmp_path)
    result = run_cli(runs_dir, "--config-dir", str(folder), "hardware=my_chip", *FAST[1:], check=True)
    (run,) = all_runs(runs_dir)
    assert float(run.data.params[KEY]) == MINE and run.data.params["hardware.name"] == "my_chip"
    notes = [line for line in result.stderr.splitlines() if KEY in line]
    assert notes == [
        f"[nanvix-exp] {KEY}={MINE} from hardware/my_chip replaces the calibrated {CALIBRATED} (calibration/threads)"
    ]


def test_a_root_preset_of_ones_own_is_below_the_calibration_with_one_warning_line(runs_dir, tmp_path):
    folder = user_conf(tmp_path)
    result = run_cli(runs_dir, "--config-dir", str(folder), "hardware=my_root", *FAST[1:], check=True)
    (run,) = all_runs(runs_dir)
    assert float(run.data.params[KEY]) == CALIBRATED
    warnings = [line for line in result.stderr.splitlines() if "root preset" in line]
    assert len(warnings) == 1 and f"{KEY}={MINE} -> {CALIBRATED}" in warnings[0]
    assert "hardware/my_root" in warnings[0] and "extend a preset" in warnings[0]


def test_the_order_of_every_layer(tmp_path):
    folder = user_conf(tmp_path)
    assert dcache_miss([], folder) == CALIBRATED  # our root preset holds a start value only
    assert dcache_miss(["hardware=tiny"], folder) == CALIBRATED  # a preset that does not set it
    assert dcache_miss(["hardware=my_chip"], folder) == MINE
    assert dcache_miss(["hardware=my_chip", "experiment=slow_dcache"], folder) == 13.0
    assert dcache_miss(["hardware=my_chip", f"{KEY}=3"], folder) == 3.0  # the command line has the last word
    assert dcache_miss(["hardware=my_root", f"{KEY}=3"], folder) == 3.0
