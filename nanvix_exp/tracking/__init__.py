"""Recording runs in MLflow, split by job: the store client, sweeps, and tools.

- ``client/``: the tracking spec, the store (SQLite or server, busy retries,
  orphan reaping, a pre-migrated template for new stores), run identity and
  keys, and the recorder that writes a run's params, metrics, tags and files;
- ``sweeps/``: the parent run of a ``-m`` sweep, shared by its jobs;
- ``tools/``: the light-mode MLflow server and the UI rendered by headless Chromium.

Nothing here reads the configuration: the config reads the tracking spec.
"""
