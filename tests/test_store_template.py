"""A new SQLite store made from the migrated-schema template is the store MLflow would have made."""

import sqlite3

from nanvix_exp.tracking.client import schema_template
from nanvix_exp.tracking.client.spec import TrackingSpec
from nanvix_exp.tracking.client.store import TrackingStore
from tests.conftest import client_for


def _schema(database):
    """Every table/index with its definition (clauses sorted: Alembic emits constraints in set order)."""
    with sqlite3.connect(database) as connection:
        rows = connection.execute("SELECT type, name, sql FROM sqlite_master ORDER BY type, name").fetchall()
        version = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    clauses = [
        (kind, name, sorted(line.strip().rstrip(",") for line in (sql or "").splitlines())) for kind, name, sql in rows
    ]
    return clauses, version


def test_new_store_from_template_matches_mlflow_own_schema(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    ours = tmp_path / "ours"
    spec = TrackingSpec(f"sqlite:///{ours / 'mlflow.db'}", "exp", 30.0, 8)
    store = TrackingStore.open(spec, ours)
    assert list((tmp_path / "cache" / "nanvix-exp").glob("mlflow-*-empty.db")), "template not built"

    theirs = tmp_path / "theirs"
    theirs.mkdir()
    client_for(theirs).search_experiments()  # MLflow creates its schema by migrating
    assert _schema(ours / "mlflow.db") == _schema(theirs / "mlflow.db")

    run_id = store.start_run("r", {"nanvix.identity": "x"})
    store.end_run(run_id, "FINISHED")
    assert store.find_run("x") == run_id
    assert {e.name for e in client_for(ours).search_experiments()} == {"Default", "exp"}


def test_an_existing_store_is_never_replaced(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    database = tmp_path / "mlflow.db"
    database.write_bytes(b"not a template")
    assert schema_template.seed_new_store(database) is False
    assert database.read_bytes() == b"not a template"
