"""The simulated Nanvix microkernel: memory layouts, thread paths, IKC, migration."""
