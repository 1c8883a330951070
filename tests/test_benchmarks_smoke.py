"""The benchmark harness runs and reports (no timing is asserted: figures come from `just bench`)."""

import json
import subprocess
import sys

from benchmarks.measure import growth
from benchmarks.startup import imported_heavy
from tests.conftest import ROOT


def test_growth_exponent_tells_linear_from_quadratic():
    xs = [1, 2, 4, 8, 16]
    assert growth(xs, [3 * x for x in xs]).at_most_linear()
    assert growth(xs, [5.0] * 5).at_most_linear()
    quadratic = growth(xs, [x * x for x in xs])
    assert abs(quadratic.exponent - 2) < 1e-9 and not quadratic.at_most_linear()


def test_importtime_report_names_heavy_packages():
    report = "\n".join(
        [
            "import time: self [us] | cumulative | imported package",
            "import time:       443 |      86535 |         omegaconf",
            "import time:        12 |        900 |     mlflow.utils",
            "import time:        12 |        900 |   matplotlib_inline",
        ]
    )
    assert imported_heavy(report) == ["mlflow"]


def test_quick_cache_benchmark_writes_json_with_agreeing_misses(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--only", "cache_engine", "--out", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["machine"]["cpus"] >= 1
    (record,) = summary["results"]
    assert record == json.loads((tmp_path / "cache_engine.json").read_text())
    misses = record["data"]["misses"]
    assert len(set(misses.values())) == 1 and misses["nanvix_exp"] > 0
    assert "| cache_engine | engine / pycachesim (list) |" in result.stdout
