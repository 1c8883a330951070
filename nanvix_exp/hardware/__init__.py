"""The simulated MPPA-256 hardware: clusters, cores, L1 caches, the NoC."""
