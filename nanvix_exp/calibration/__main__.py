"""``python -m nanvix_exp.calibration <target>`` is ``nanvix-exp-calibrate <target>``."""

from nanvix_exp.cli import calibrate_main

calibrate_main()
