"""Calculator speed on CPython: one profile against every measure, over random valid profiles."""

from __future__ import annotations

import json
import pathlib
import statistics
import subprocess
import tempfile

from calculator import Calculator

from .profiles import random_profiles
from .timing import percentile, time_profiles


def run(bundle: dict, count: int = 10_000) -> dict:
    calc = Calculator(bundle)
    measures = sum(len(p["measures"]) for p in bundle["policies"])
    timings = time_profiles(calc, random_profiles(count))
    return {"profiles": count, "measures": measures,
            "median_ms": statistics.median(timings), "p95_ms": percentile(timings, 0.95)}


def run_pyodide(count: int = 10_000) -> dict:
    """The same profiles inside Pyodide under Node, from the checker's own staged files."""
    from macros.checker_assets import stage

    with tempfile.TemporaryDirectory() as tmp:
        folder = stage(pathlib.Path(tmp) / "pyodide")
        profiles = pathlib.Path(tmp) / "profiles.json"
        profiles.write_text(json.dumps(random_profiles(count)), encoding="utf-8")
        script = pathlib.Path(__file__).with_name("pyodide_calc.mjs")
        timing = pathlib.Path(__file__).with_name("timing.py")
        done = subprocess.run(["node", str(script), str(folder), str(profiles), str(timing)], capture_output=True, text=True,
                              check=True)
    result = json.loads(done.stdout)
    timings = result["timings_ms"]
    return {"profiles": count, "median_ms": statistics.median(timings), "p95_ms": percentile(timings, 0.95),
            "boot_ms": result["boot_ms"], "load_ms": result["load_ms"]}
