"""Calibration: re-fit the model's free parameters against measured data, and write them with provenance.

``nanvix-exp-calibrate <target>`` runs ``nanvix_exp.calibration.<target>.main(args)``;
each target fits its parameters (the same for both kernels and every workload,
nothing per point) and rewrites ``conf/calibration/<target>.yaml`` with the
values, where they came from and the residuals of the fit.
"""
