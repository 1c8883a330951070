"""nanvix-exp: a validated simulator of Nanvix on the Kalray MPPA-256 inside a declarative experiment framework."""

__version__ = "0.1.0"
