"""A new SQLite tracking store starts as a copy of an empty, already migrated MLflow database.

MLflow creates a new SQLite store by replaying every Alembic migration of its
schema (seconds per new store, on every fresh ``runs/``). The result depends
only on the MLflow version, so it is built once per version in the user cache
(``$XDG_CACHE_HOME/nanvix-exp``) and copied into place; MLflow then opens the
copy exactly as a store it had created itself (its schema check still runs,
and it adds its default experiment on first open as usual).
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from importlib import metadata
from pathlib import Path

log = logging.getLogger(__name__)


def cache_dir() -> Path:
    """Folder of the per-version templates."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "nanvix-exp"


def seed_new_store(database: Path) -> bool:
    """Copy the migrated empty store to ``database`` if no store is there yet; False if it could not."""
    if database.exists():
        return False
    try:
        template = _template()
        partial = database.with_name(f".{database.name}.{os.getpid()}.partial")
        shutil.copyfile(template, partial)
        os.replace(partial, database)  # atomic: readers never see half a database
    except (OSError, ImportError, AttributeError) as error:  # fall back to MLflow's own migrations
        log.debug("no store template (%s); MLflow will create the schema", error)
        return False
    return True


def _template() -> Path:
    path = cache_dir() / f"mlflow-{metadata.version('mlflow')}-empty.db"
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".building-") as scratch:
        building = Path(scratch) / "empty.db"
        _migrate(building)
        os.replace(building, path)
    return path


def _migrate(database: Path) -> None:
    import sqlalchemy
    from mlflow.store.db.utils import _initialize_tables

    engine = sqlalchemy.create_engine(f"sqlite:///{database}")
    try:
        _initialize_tables(engine)
    finally:
        engine.dispose()
