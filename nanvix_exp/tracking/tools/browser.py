"""The MLflow UI as a researcher sees it, rendered by headless Chromium: page text and screenshots.

The UI is a single-page app, so a page is only meaningful after its
JavaScript ran: Chromium renders it with a virtual-time budget, then dumps
the DOM or saves a PNG. The pages are those of ``links.py``: an experiment
as it lands, or its runs page sorted by run name (every run flat; a sweep's
children are otherwise folded under their parent) in the table or the chart
view (charts in sections, the results first, one line per run over step = N).
``python -m nanvix_exp.tracking.tools.browser`` (``just screenshot``) serves
the local store and saves the chart view of an experiment as a PNG.
"""

from __future__ import annotations

import argparse
import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from nanvix_exp.tracking.tools.links import runs_page

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
RENDER_BUDGET_MS = 90_000
"""Virtual time given to the app to fetch runs and metric histories and draw the charts (virtual, not wall time)."""


def chromium() -> str | None:
    """Path of a Chromium-family browser, if one is installed."""
    return next((path for name in BROWSERS if (path := shutil.which(name))), None)


def render(url: str, *, screenshot: Path | None = None, window: tuple[int, int] = (1600, 1000)) -> str:
    """Render ``url`` in a fresh headless Chromium; returns the DOM (and saves a PNG to ``screenshot``)."""
    browser = chromium()
    if browser is None:
        looked = ", ".join(BROWSERS)
        raise FileNotFoundError(f"no Chromium found (looked for {looked}); on Debian: apt-get install chromium")
    with tempfile.TemporaryDirectory(prefix="nanvix-chromium-") as profile:
        command = [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-dev-shm-usage",  # containers often have a tiny /dev/shm
            "--hide-scrollbars",
            f"--user-data-dir={profile}",
            f"--virtual-time-budget={RENDER_BUDGET_MS}",
            f"--window-size={window[0]},{window[1]}",
            "--dump-dom",
        ]
        if screenshot is not None:
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            command.append(f"--screenshot={screenshot.resolve()}")
        done = subprocess.run(
            [*command, url], capture_output=True, text=True, timeout=180, env={**os.environ, "HOME": profile}
        )
    if done.returncode != 0:
        raise RuntimeError(f"chromium exited with {done.returncode} on {url}: {done.stderr[-2000:]}")
    return done.stdout


def visible_text(dom: str) -> str:
    """The words a reader sees in a DOM dump: no scripts, styles or tags, whitespace collapsed."""
    body = re.sub(r"<(script|style)\b[^>]*>.*?</\1>", " ", dom, flags=re.S | re.I)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body))).strip()


def main(argv: list[str] | None = None) -> int:
    """Serve the local store, save the chart view of one experiment as a PNG; returns the exit code."""
    parser = argparse.ArgumentParser(
        prog="python -m nanvix_exp.tracking.tools.browser",
        description="Screenshot the MLflow UI (chart view of an experiment's runs) with headless Chromium.",
    )
    parser.add_argument("--runs", type=Path, default=Path(os.environ.get("NANVIX_EXP_RUNS", "runs")))
    parser.add_argument("--experiment", default="paper_fig3", help="experiment name (default: %(default)s)")
    parser.add_argument("--view", choices=["CHART", "TABLE"], default="CHART")
    parser.add_argument("--out", type=Path, default=Path("docs/ui.png"))
    args = parser.parse_args(argv)

    from mlflow import MlflowClient

    from nanvix_exp.tracking.tools.server import ServerPlan, free_port, running_server

    plan = ServerPlan.ui(args.runs, port=free_port())
    experiment = MlflowClient(tracking_uri=plan.backend_uri).get_experiment_by_name(args.experiment)
    if experiment is None:
        print(f"no experiment '{args.experiment}' in {plan.backend_uri}; run it first", file=sys.stderr)
        return 2
    with running_server(plan, args.runs / "ui-screenshot.log") as url:
        render(runs_page(url, experiment.experiment_id, args.view), screenshot=args.out, window=(1800, 1100))
    print(f"UI screenshot: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
