"""Calculator speed on CPython: one profile against every measure, over random valid profiles."""

from __future__ import annotations

import statistics
import time

from calculator import Calculator

from .profiles import random_profiles


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def time_profiles(calc: Calculator, profiles: list[dict]) -> list[float]:
    """Milliseconds per evaluation; the first 100 runs warm the caches and are not counted."""
    for profile in profiles[:100]:
        calc.evaluate(profile)
    timings = []
    for profile in profiles:
        start = time.perf_counter_ns()
        calc.evaluate(profile)
        timings.append((time.perf_counter_ns() - start) / 1e6)
    return timings


def run(bundle: dict, count: int = 10_000) -> dict:
    calc = Calculator(bundle)
    measures = sum(len(p["measures"]) for p in bundle["policies"])
    timings = time_profiles(calc, random_profiles(count))
    return {"profiles": count, "measures": measures,
            "median_ms": statistics.median(timings), "p95_ms": percentile(timings, 0.95)}
