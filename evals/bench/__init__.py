"""Benchmarks: speed and memory of the service on synthetic multilingual news, as ratios measured in one run."""
