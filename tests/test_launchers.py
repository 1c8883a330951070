"""Sweeps sent through the project's launcher presets (real Hydra plugins, real worker processes, SQLite store)."""

import pytest

from tests.conftest import FAST, all_runs, run_cli


def sweep_records(runs_dir):
    """The one sweep parent of the store and its child runs."""
    runs = all_runs(runs_dir)
    (parent,) = [r for r in runs if r.data.tags.get("nanvix.sweep") == "parent"]
    children = [r for r in runs if r.data.tags.get("mlflow.parentRunId") == parent.info.run_id]
    assert len(runs) == 1 + len(children), "every run of the sweep hangs under its parent"
    return parent, children


def assert_finished_in_worker_processes(runs_dir, jobs):
    parent, children = sweep_records(runs_dir)
    assert parent.info.status == "FINISHED"
    assert len(children) == jobs and {c.info.status for c in children} == {"FINISHED"}
    worker_pids = {c.data.tags["nanvix.pid"] for c in children}
    assert parent.data.tags["nanvix.pid"] not in worker_pids, "jobs ran outside the launching process"
    return children


@pytest.mark.parametrize(
    ("launcher", "keys"),
    [
        (
            "submitit_slurm",
            {"partition", "timeout_min", "cpus_per_task", "mem_gb", "array_parallelism", "max_num_timeout"},
        ),
        ("submitit_local", {"timeout_min", "cpus_per_task", "mem_gb", "submitit_folder"}),
        ("joblib", {"n_jobs", "backend", "prefer", "timeout"}),
    ],
)
def test_presets_extend_the_plugin_configs(launcher, keys):
    from nanvix_exp.config.compose import compose

    cfg = compose([f"hydra/launcher={launcher}"], hydra_node=True)
    options = cfg.hydra.launcher
    assert keys <= set(options), f"preset lacks {keys - set(options)}"
    assert options._target_.startswith("hydra_plugins.")
    if launcher == "submitit_slurm":  # plugin keys not in the preset still come from the plugin's schema
        assert {"qos", "account", "additional_parameters", "setup"} <= set(options)
        assert options.cpus_per_task == 1 and options.array_parallelism == 64
    if launcher == "joblib":
        assert options.n_jobs == 2 and options.backend == "loky"


def test_submitit_local_sweep_finishes_every_child_under_one_parent(runs_dir):
    result = run_cli(runs_dir, "-m", "hydra/launcher=submitit_local", *FAST, "kernel=baseline,uarea", check=True)
    assert "Submitit 'local' sweep output dir" in result.stderr
    assert "validated against ConfigStore schema" not in result.stderr
    children = assert_finished_in_worker_processes(runs_dir, jobs=2)
    assert {c.data.tags["nanvix.kernel"] for c in children} == {"baseline", "uarea"}
    (sweep_dir,) = (runs_dir / "hydra" / "multirun").glob("*/*")
    job_logs = list((sweep_dir / ".submitit").glob("*/*_log.out"))
    assert len(job_logs) == 2, "each job went through submitit's pickled-job path"


def test_joblib_sweep_runs_jobs_in_parallel_workers(runs_dir):
    run_cli(runs_dir, "-m", "hydra/launcher=joblib", *FAST, "kernel=baseline,uarea", "seed=0,1", check=True)
    children = assert_finished_in_worker_processes(runs_dir, jobs=4)
    assert sorted((c.data.tags["nanvix.kernel"], c.data.params["seed"]) for c in children) == [
        ("baseline", "0"),
        ("baseline", "1"),
        ("uarea", "0"),
        ("uarea", "1"),
    ]
