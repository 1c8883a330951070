"""`nanvix-exp-calibrate ikc` re-fits the primitive costs and writes them with provenance and residuals."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


def test_calibration_rewrites_the_same_fit_with_residuals(tmp_path):
    out = tmp_path / "ikc.yaml"
    done = subprocess.run(
        [sys.executable, "-m", "nanvix_exp.calibration", "ikc", "--output", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    text = out.read_text()
    assert text.startswith("# @package _global_")
    residual_lines = [line for line in text.splitlines() if line.startswith("#   ")]
    assert len(residual_lines) == 9  # 8 IKC rows + the paper's migration time
    migration = next(line for line in residual_lines if "paper_migration" in line)
    assert abs(float(migration.split(":")[1].strip().split()[0])) < 5
    fresh = yaml.safe_load(text)
    committed = yaml.safe_load((ROOT / "conf" / "calibration" / "ikc.yaml").read_text())
    assert fresh["kernel"]["ikc"].keys() == committed["kernel"]["ikc"].keys()
    tick = lambda d: float(d["hardware"]["cluster"]["tick"].split()[0])  # noqa: E731
    assert tick(fresh) == pytest.approx(tick(committed), rel=0.02)
