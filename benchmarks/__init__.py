"""Benchmarks: a synthetic dataset of any size and a harness that times every stage of the build."""
