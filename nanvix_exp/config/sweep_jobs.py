"""Every job of a ``-m`` sweep validated before the first one is simulated.

A sweep left running overnight must not stop at its 37th job on a typo: the
launcher expands the sweep the way Hydra's basic sweeper will (preset
``hydra.sweeper.params`` plus the command-line overrides, one job per
combination), composes each job's config and validates it with
``load_settings``. The first bad job is reported as one ``ConfigError`` line
and nothing is run or recorded.
"""

from __future__ import annotations

from omegaconf import DictConfig, OmegaConf

from nanvix_exp.config.errors import ConfigError
from nanvix_exp.config.load import load_settings

BASIC_SWEEPER = "hydra._internal.core_plugins.basic_sweeper.BasicSweeper"


def sweep_jobs(config: DictConfig) -> list[list[str]] | None:
    """The overrides of every job the basic sweeper will launch (None for another sweeper)."""
    from hydra._internal.core_plugins.basic_sweeper import BasicSweeper
    from hydra.core.override_parser.overrides_parser import OverridesParser

    if config.hydra.sweeper.get("_target_") != BASIC_SWEEPER:
        return None
    params = config.hydra.sweeper.get("params") or {}
    preset = [f"{key}={value}" for key, value in dict(params).items()]
    task = OmegaConf.to_container(config.hydra.overrides.task, resolve=False)
    assert isinstance(task, list)
    overrides = OverridesParser.create().parse_overrides([*preset, *map(str, task)])
    (jobs,) = BasicSweeper.split_arguments(overrides, None)
    return jobs


def check_sweep(config: DictConfig) -> int:
    """Compose and validate every job of the sweep; returns the number of jobs checked.

    Raises ConfigError for the first invalid job (Hydra composition errors,
    e.g. an unknown group option in one job, propagate unchanged).
    """
    from hydra.core.global_hydra import GlobalHydra

    from nanvix_exp.config.precedence import settle_composed

    jobs = sweep_jobs(config)
    if jobs is None:
        return 0
    loader = GlobalHydra.instance().config_loader()
    hydra_overrides = [str(o) for o in config.hydra.overrides.hydra]
    for job in jobs:
        try:
            job_config = loader.load_sweep_config(config, list(job))
            settle_composed(job_config, [*hydra_overrides, *job], quiet=True)  # each job says it when it runs
            load_settings(job_config)
        except ConfigError as error:
            if len(jobs) > 1:
                error.allowed += f" (in sweep job {' '.join(job)})"
            raise
    return len(jobs)
