"""A sweep recorded over HTTP into a real MLflow tracking server (light mode) and read back from it."""

import polars as pl

from nanvix_exp.tracking.tools.server import ServerPlan, free_port, running_server
from tests.conftest import FAST, run_cli


def test_shared_server_plan_is_light_and_keeps_everything_under_runs(tmp_path):
    plan = ServerPlan.shared(tmp_path / "runs", port=5123)
    command = plan.command()
    assert command[1:4] == ["-m", "mlflow", "server"]
    assert command[command.index("--workers") + 1] == "1" and command[command.index("--host") + 1] == "127.0.0.1"
    assert command[command.index("--backend-store-uri") + 1] == f"sqlite:///{tmp_path / 'runs' / 'server.db'}"
    assert command[command.index("--artifacts-destination") + 1] == str(tmp_path / "runs" / "server-artifacts")
    assert "--serve-artifacts" in command and plan.url == "http://127.0.0.1:5123"
    assert plan.environment()["MLFLOW_SERVER_ENABLE_JOB_EXECUTION"] == "false"
    ui = ServerPlan.ui(tmp_path / "runs").command()
    assert ui[ui.index("--backend-store-uri") + 1].endswith("/runs/mlflow.db") and "--serve-artifacts" not in ui


def test_four_job_sweep_over_http_is_read_back_from_the_server(runs_dir):
    from mlflow import MlflowClient

    plan = ServerPlan.shared(runs_dir, port=free_port())
    with running_server(plan, runs_dir / "server.log") as url:
        sweep = run_cli(
            runs_dir,
            "-m",
            "tracking=server",
            "hydra/launcher=joblib",
            *FAST,
            "kernel=baseline,uarea",
            "seed=0,1",
            env={"MLFLOW_TRACKING_URI": url},
            check=True,
        )
        assert "FINISHED (4 child runs)" in sweep.stderr
        client = MlflowClient(tracking_uri=url)
        experiment = client.get_experiment_by_name("default")
        runs = client.search_runs([experiment.experiment_id], max_results=100)
        (parent,) = [r for r in runs if r.data.tags.get("nanvix.sweep") == "parent"]
        children = [r for r in runs if r.data.tags.get("mlflow.parentRunId") == parent.info.run_id]
        assert len(runs) == 5 and len(children) == 4
        assert parent.info.status == "FINISHED" and {c.info.status for c in children} == {"FINISHED"}
        assert sorted((c.data.tags["nanvix.kernel"], c.data.params["seed"]) for c in children) == [
            ("baseline", "0"),
            ("baseline", "1"),
            ("uarea", "0"),
            ("uarea", "1"),
        ]
        child = children[0]
        assert child.info.artifact_uri.startswith("mlflow-artifacts:")  # uploaded through the server's proxy
        names = {a.path for a in client.list_artifacts(child.info.run_id)}
        assert {"config.yaml", "samples.parquet", "summary.csv", "metrics_vs_step.png"} <= names
        samples = pl.read_parquet(client.download_artifacts(child.info.run_id, "samples.parquet", str(runs_dir)))
        assert set(samples["run_id"]) == {child.info.run_id} and samples.height > 0
        metric = next(k for k in child.data.metrics if not k.endswith(("_sd", "_ci95", "_n")))
        assert sorted(m.step for m in client.get_metric_history(child.info.run_id, metric)) == [1, 2]
        single = run_cli(runs_dir, "tracking=server", f"tracking.uri={url}", *FAST, "seed=2", check=True)
        assert "FINISHED" in single.stderr  # the URI may also come from the config instead of the environment
        assert len(client.search_runs([experiment.experiment_id], "params.seed = '2'")) == 1
    stored = list((runs_dir / "server-artifacts").rglob("samples.parquet"))
    assert len(stored) == 5, "the server keeps every run's artifacts under runs/server-artifacts"
    assert (runs_dir / "server.db").exists() and not (runs_dir / "mlflow.db").exists()
