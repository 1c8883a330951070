"""The tracking store the tools use when none is named: the one the real config records into by default.

``nanvix-exp-report`` and the other tools must read the runs where
``nanvix-exp`` wrote them, so they ask the composed config (``tracking=local``,
``paths.runs``, ``$NANVIX_EXP_RUNS``) instead of guessing a path.
"""

from __future__ import annotations

import os
from pathlib import Path

from nanvix_exp.config.compose import compose
from nanvix_exp.config.load import absolute_sqlite_uri


def default_store(uri: str | None = None) -> tuple[str, Path]:
    """Tracking URI and runs folder: ``uri`` if given, else $MLFLOW_TRACKING_URI, else ``conf`` tracking=local."""
    cfg = compose(["tracking=local"])
    runs_dir = Path(str(cfg.paths.runs)).expanduser().resolve()
    chosen = uri or os.environ.get("MLFLOW_TRACKING_URI") or str(cfg.tracking.uri)
    return absolute_sqlite_uri(chosen), runs_dir
