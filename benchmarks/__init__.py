"""Nimbus benchmarks: `python -m benchmarks [NAME ...]` prints tables and writes JSON."""
