"""Workloads: the benchmark programs run on the simulated system."""
