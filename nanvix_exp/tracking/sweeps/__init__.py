"""Sweeps in the store: one parent run per ``-m`` sweep, its jobs as children, closed from their outcome."""
