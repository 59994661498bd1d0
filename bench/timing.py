"""Timing one evaluation per profile: the same code on CPython and inside Pyodide.

Standard library only, because bench/pyodide_calc.mjs copies this file into Pyodide.
"""

from __future__ import annotations

import time


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def time_profiles(calc, profiles: list[dict]) -> list[float]:
    """Milliseconds per evaluation; the first 100 runs warm the caches and are not counted."""
    for profile in profiles[:100]:
        calc.evaluate(profile)
    timings = []
    for profile in profiles:
        start = time.perf_counter_ns()
        calc.evaluate(profile)
        timings.append((time.perf_counter_ns() - start) / 1e6)
    return timings
