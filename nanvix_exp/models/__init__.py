"""Simulation models that workloads drive: timelines built from the hardware and kernel models.

A model turns a simulated system (``hardware/`` + ``kernel/``) and a few plain
parameters into times and volumes; it knows nothing of configs, samples or
records. Workloads (``nanvix_exp.workloads``) own the spec, call a model and
turn its result into metrics. The fork-join model still lives in
``kernel/fork_join_model.py``.
"""
