"""Benchmark suite of nanvix-exp: engine throughput, the paper end to end, sweep overhead, scaling, start-up.

Run ``python -m benchmarks`` (``just bench``); see ``benchmarks.runner``.
"""
