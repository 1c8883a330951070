"""Small frictions of a first hour: cluster numbers, the list of experiments, the first-run compilation."""

from tests.conftest import FAST, all_runs, client_for, run_cli

MIGRATION = ["workload=migration", "workload.replications=3", "progress=never"]
COMPILING = "compiling the simulation kernels (first run only"


def test_a_compute_cluster_may_be_given_by_its_number(runs_dir):
    run_cli(runs_dir, *MIGRATION, "workload.source=3", "workload.destination=7", check=True)
    run_cli(runs_dir, *MIGRATION, "workload.source=ccluster3", "workload.destination=ccluster7", check=True)
    run_cli(runs_dir, *MIGRATION, "workload.source=ccluster3", "workload.destination=ccluster6", check=True)
    params = [(r.data.params, r) for r in all_runs(runs_dir)]
    by_route = {(p["workload.source"], p["workload.destination"]): r for p, r in params}
    client = client_for(runs_dir)

    def hops(route: tuple[str, str]) -> float:
        return client.get_metric_history(by_route[route].info.run_id, "2_transfer/hop_bytes")[0].value

    assert hops(("3", "7")) == hops(("ccluster3", "ccluster7")) != hops(("ccluster3", "ccluster6"))
    wrong = run_cli(runs_dir, *MIGRATION, "workload.source=3", "workload.destination=16")
    assert wrong.returncode == 2 and wrong.stderr.strip().splitlines() == [
        "invalid config: workload.destination=16 -- allowed: a compute cluster ccluster0..ccluster15 "
        "or its number 0..15 (ccluster16 is unknown)"
    ]
    assert len(all_runs(runs_dir)) == 3 and not [r for r in all_runs(runs_dir) if r.info.status == "RUNNING"]


def test_report_without_an_experiment_lists_the_experiments_and_their_runs(runs_dir):
    empty = run_cli(runs_dir, module="nanvix_exp.analysis", check=True)
    assert empty.stdout.startswith("no runs in sqlite:///")
    run_cli(runs_dir, *FAST, check=True)
    run_cli(runs_dir, "-m", *FAST, "kernel=baseline,uarea", "tracking.experiment=other", check=True)
    listing = run_cli(runs_dir, module="nanvix_exp.analysis", check=True)
    rows = {
        cells[0]: cells[1:5]
        for line in listing.stdout.splitlines()
        if line.startswith("| ") and not line.startswith("| experiment")
        for cells in [[c.strip() for c in line.strip("|").split("|")]]
    }
    # finished, sweeps, reused, unfinished
    assert rows == {"default": ["1", "0", "0", "0"], "other": ["2", "1", "0", "0"]}
    assert "nanvix-exp-report -e NAME" in listing.stdout
    misuse = run_cli(runs_dir, "--csv", "x.csv", module="nanvix_exp.analysis")
    assert misuse.returncode == 2 and "--experiment" in misuse.stderr


def test_the_first_run_says_it_compiles_and_a_warmed_cache_does_not(runs_dir, tmp_path):
    cold = {"NUMBA_CACHE_DIR": str(tmp_path / "cold-cache")}
    first = run_cli(runs_dir, *FAST, env=cold, check=True)
    assert first.stderr.count(COMPILING) == 1
    second = run_cli(runs_dir, *FAST, "seed=1", env=cold, check=True)
    assert COMPILING not in second.stderr

    warmed = {"NUMBA_CACHE_DIR": str(tmp_path / "warmed-cache")}
    warm = run_cli(runs_dir, module="nanvix_exp.run.warmup", env=warmed, check=True)
    assert "simulation kernels compiled and cached (fork_join, ikc, migration)" in warm.stdout
    after = run_cli(runs_dir, *FAST, "seed=2", env=warmed, check=True)
    assert COMPILING not in after.stderr and "FINISHED" in after.stderr
