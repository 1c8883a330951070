"""Command-line entry points: ``nanvix-exp`` (run or sweep), ``nanvix-exp-report`` and ``nanvix-exp-calibrate``.

A thin shell that nothing in the package imports: compose the config with
Hydra (``nanvix_exp.config.compose``), hand it to the runner, the report or
a calibration, and make interruptions (Ctrl-C, SIGTERM) close the records
they leave open.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import traceback
from pathlib import Path
from types import FrameType

import hydra
from hydra.core.hydra_config import HydraConfig
from hydra.types import RunMode
from omegaconf import DictConfig

from nanvix_exp.config.compose import CONFIG_DIR, CONFIG_NAME, VERSION_BASE, register
from nanvix_exp.failures import EXIT_USER_ERROR


@hydra.main(version_base=VERSION_BASE, config_path=str(CONFIG_DIR), config_name=CONFIG_NAME)
def _experiment(cfg: DictConfig) -> str:
    from nanvix_exp.run.job import JobContext, run_job

    if threading.current_thread() is threading.main_thread():
        # also in launcher worker processes (joblib, submitit/SLURM time limits): a SIGTERM ends the run as KILLED
        signal.signal(signal.SIGTERM, _terminate)
    hydra_cfg = HydraConfig.get()
    sweep = Path(hydra_cfg.sweep.dir) if hydra_cfg.mode == RunMode.MULTIRUN else None
    return run_job(cfg, JobContext(Path(hydra_cfg.runtime.output_dir), sweep))


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def main() -> None:
    """``nanvix-exp``: run the configured experiment (``-m`` for a sweep)."""
    from nanvix_exp.failures import UserError, composition_error
    from nanvix_exp.tracking.sweeps.parent import close_active

    signal.signal(signal.SIGTERM, _terminate)
    register()
    full_errors = bool(os.environ.get("HYDRA_FULL_ERROR"))
    os.environ["HYDRA_FULL_ERROR"] = "1"  # Hydra re-raises; errors are reported below
    try:
        _experiment()
    except KeyboardInterrupt:
        close_active("KILLED")
        print("[nanvix-exp] interrupted; open runs marked KILLED", file=sys.stderr)
        sys.exit(130)
    except UserError as error:
        close_active("FAILED")
        if full_errors:
            traceback.print_exception(error)
        print(error, file=sys.stderr)
        sys.exit(error.code)
    except Exception as error:
        close_active("FAILED")
        message = composition_error(error)
        if message is None or full_errors:
            raise
        print(message, file=sys.stderr)
        sys.exit(EXIT_USER_ERROR)
    finally:
        close_active()


def report_main(argv: list[str] | None = None) -> None:
    """``nanvix-exp-report``: list the experiments, or compare the runs of one (see ``--help``)."""
    import argparse

    parser = argparse.ArgumentParser(
        prog="nanvix-exp-report",
        description="Without --experiment: list the experiments in the store with their run counts. With it: "
        "compare the finished runs of that experiment (kernels side by side, simulation vs the published "
        "measurements); prints tables, writes PNG plots (and a tidy CSV with --csv).",
    )
    parser.add_argument("--experiment", "-e", help="experiment name (default: list the experiments)")
    parser.add_argument("--uri", help="tracking URI (default: $MLFLOW_TRACKING_URI, else the tracking=local store)")
    parser.add_argument("--csv", type=Path, help="write the tidy table to this CSV file")
    parser.add_argument("--out", type=Path, help="folder for the plots (default: <paths.runs>/reports/<experiment>)")
    parser.add_argument("--no-plots", action="store_true", help="skip the PNG plots")
    args = parser.parse_args(argv)
    if args.experiment is None and (args.csv or args.out):
        parser.error("--csv and --out report on one experiment: name it with --experiment")

    from nanvix_exp.config.default_store import default_store

    uri, runs_dir = default_store(args.uri)
    from mlflow import MlflowClient

    client = MlflowClient(tracking_uri=uri)
    if args.experiment is None:
        from nanvix_exp.analysis.experiments import experiment_counts
        from nanvix_exp.analysis.table_text import table_text

        counts = experiment_counts(client)
        if counts.is_empty():
            print(f"no runs in {uri} yet: record some with nanvix-exp")
            return
        print(f"experiments in {uri}:\n{table_text(counts)}\ncompare the runs of one: nanvix-exp-report -e NAME")
        return

    from nanvix_exp.analysis.report import build_report, render
    from nanvix_exp.analysis.runs import ExperimentNotFound

    try:
        report = build_report(
            client, args.experiment, args.out or runs_dir / "reports" / args.experiment, plots=not args.no_plots
        )
    except ExperimentNotFound as error:
        print(f"nanvix-exp-report: {error}", file=sys.stderr)
        sys.exit(EXIT_USER_ERROR)
    print(render(report))
    if args.csv:
        args.csv.parent.mkdir(parents=True, exist_ok=True)
        report.tidy.write_csv(args.csv)
        print(f"\ntidy table: {args.csv} ({report.tidy.height} rows)")


def calibrate_main(argv: list[str] | None = None) -> None:
    """``nanvix-exp-calibrate <target>``: re-fit the free parameters of one part of the model."""
    import importlib
    import pkgutil

    import nanvix_exp.calibration as calibration

    targets = sorted(m.name for m in pkgutil.iter_modules(calibration.__path__))
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] not in targets:
        print(f"usage: nanvix-exp-calibrate {{{'|'.join(targets)}}} [options]", file=sys.stderr)
        sys.exit(EXIT_USER_ERROR)
    sys.exit(importlib.import_module(f"nanvix_exp.calibration.{args[0]}").main(args[1:]))
