"""Workload-specific views of the report, one module per workload that has one.

Each module implements ``nanvix_exp.analysis.view.ReportView``
(``reference_rows()`` and ``sections(tidy, samples, out_dir, plots)``) and is
named by its workload's registration (``Registration.view``).
"""
