"""``python -m nanvix_exp.analysis`` is ``nanvix-exp-report``."""

from nanvix_exp.cli import report_main

report_main()
