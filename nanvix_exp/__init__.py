"""nanvix-exp: a validated simulator of Nanvix on the Kalray MPPA-256 inside a declarative experiment framework."""

import warnings

__version__ = "0.1.0"

# conf/hydra/launcher/{submitit_slurm,submitit_local,joblib}.yaml keep the plugins' option names on purpose
# (`hydra/launcher=submitit_slurm`), so Hydra merges each over the plugin's schema of the same name and warns that
# this matching is deprecated; the files also set `_target_`, so they keep working if Hydra ever stops merging.
warnings.filterwarnings(
    "ignore", message=r"\s*'hydra/launcher/[a-z_]+' is validated against ConfigStore schema with the same name"
)
