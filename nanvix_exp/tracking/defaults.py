"""The default tracking store, read from the real config so tools agree with ``nanvix-exp``."""

from __future__ import annotations

import os
from pathlib import Path


def default_store(uri: str | None = None) -> tuple[str, Path]:
    """Tracking URI and runs folder: ``uri`` if given, else $MLFLOW_TRACKING_URI, else ``conf`` tracking=local."""
    from hydra import compose, initialize_config_dir

    from nanvix_exp.cli import CONFIG_DIR
    from nanvix_exp.config.load import absolute_sqlite_uri

    with initialize_config_dir(config_dir=CONFIG_DIR, version_base="1.3"):
        cfg = compose("config", overrides=["tracking=local"])
    runs_dir = Path(str(cfg.paths.runs)).expanduser().resolve()
    chosen = uri or os.environ.get("MLFLOW_TRACKING_URI") or str(cfg.tracking.uri)
    return absolute_sqlite_uri(chosen), runs_dir
