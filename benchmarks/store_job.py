"""Child process of the start-up benchmark: time opening a tracking store one way.

``python -m benchmarks.store_job MODE RUNS_DIR`` prints JSON with the import
(MLflow and its SQLite store code) and open seconds. Modes: ``mlflow-new`` (a bare ``MlflowClient`` on a new
SQLite file: MLflow migrates the schema), ``nanvix-new`` (``TrackingStore.open``
on a new store) and ``nanvix-existing`` (on a store that already exists).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    mode, folder = argv
    runs_dir = Path(folder)
    runs_dir.mkdir(parents=True, exist_ok=True)
    uri = f"sqlite:///{runs_dir / 'mlflow.db'}"
    started = time.perf_counter()
    import mlflow.store.tracking.sqlalchemy_store  # noqa: F401 - MLflow's SQLite store code, timed as import

    if mode == "mlflow-new":
        from mlflow import MlflowClient

        imported = time.perf_counter()
        MlflowClient(tracking_uri=uri).search_experiments()
    else:
        from nanvix_exp.tracking.client.spec import TrackingSpec
        from nanvix_exp.tracking.client.store import TrackingStore

        imported = time.perf_counter()
        TrackingStore.open(TrackingSpec(uri, "bench", 30.0, 8), runs_dir)
    opened = time.perf_counter()
    print(json.dumps({"import_s": imported - started, "open_s": opened - imported}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
