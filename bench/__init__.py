"""Benchmarks: `make bench`. They report; they never fail the build."""
