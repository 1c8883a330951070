"""The same resolved config and seed give the same numbers, bit for bit; another seed gives other samples.

Randomness in the model comes only from the seed sequence a workload is
given, so a rerun in a fresh process (``force=true``) must reproduce every
logged metric and every unrounded sample exactly. Parallel (joblib) against
sequential sweeps is checked in test_parallel_writers.py on its 100-job store.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest

from nanvix_exp.config.load import load_settings
from nanvix_exp.progress import progress_for
from nanvix_exp.system import System
from tests.conftest import FAST, all_runs, client_for, compose_config, run_cli

SAMPLE_KEY = ["metric", "step", "iteration"]


def recorded(runs_dir: Path, run) -> tuple[dict[tuple[str, int], float], pl.DataFrame]:
    """Every logged metric value by (name, step), and the samples table of one run."""
    client = client_for(runs_dir)
    metrics = {}
    for name in run.data.metrics:
        for point in client.get_metric_history(run.info.run_id, name):
            metrics[(name, point.step)] = point.value
    folder = runs_dir.parent / "downloads" / run.info.run_id
    folder.mkdir(parents=True)
    path = client.download_artifacts(run.info.run_id, "samples.parquet", str(folder))
    samples = pl.read_parquet(path).select([*SAMPLE_KEY, "value", "unit"]).sort(SAMPLE_KEY)
    return metrics, samples


def test_rerun_in_a_new_process_is_bit_identical_and_another_seed_differs(runs_dir):
    run_cli(runs_dir, *FAST, check=True)
    run_cli(runs_dir, *FAST, "force=true", check=True)  # force is not part of the config: same identity
    run_cli(runs_dir, *FAST, "seed=1", check=True)
    runs = sorted(all_runs(runs_dir), key=lambda r: r.info.start_time)
    assert len(runs) == 3
    first, again, other = (recorded(runs_dir, run) for run in runs)
    assert runs[0].data.tags["nanvix.config_hash"] == runs[1].data.tags["nanvix.config_hash"]
    assert first[0] == again[0]  # every metric at every step, compared exactly
    assert first[1].equals(again[1])  # every sample, unrounded
    assert first[1].height > 0
    assert first[1].select(SAMPLE_KEY).equals(other[1].select(SAMPLE_KEY))
    assert not first[1]["value"].equals(other[1]["value"])


def simulate(overrides: list[str]) -> pl.DataFrame:
    settings = load_settings(compose_config(overrides))
    system = System(settings.hardware, settings.kernel)
    with progress_for("never") as progress:
        samples = settings.workload.run(system, np.random.SeedSequence(settings.seed), progress)
    return samples.frame().sort(SAMPLE_KEY)


@pytest.mark.parametrize(
    "overrides",
    [
        [*FAST, "seed=5"],
        ["hardware=tiny", "workload=ikc", "workload.clusters=4", "workload.iterations=3", "seed=5"],
        ["hardware=tiny", "workload=migration", "workload.replications=3", "seed=5"],
    ],
    ids=["fork_join", "ikc", "migration"],
)
def test_every_workload_repeats_itself_in_process(overrides):
    assert simulate(overrides).equals(simulate(overrides))
