"""``python -m nanvix_exp`` is ``nanvix-exp``."""

from nanvix_exp.cli import main

main()
