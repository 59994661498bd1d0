"""`make bench`: every benchmark, one table, bench/results.json.

Benchmarks report; they never fail. Each figure sits beside its baseline from the
same run (as a ratio) and its budget, because the machines are shared and noisy.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import platform
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import calculator_bench
from macros.bundle import make_bundle
from macros.validate import load_policies

RESULTS = ROOT / "bench" / "results.json"


def row(name, value, unit, budget=None, ok=None, baseline=None, ratio=None, note=""):
    return {"name": name, "value": value, "unit": unit, "baseline": baseline, "ratio": ratio,
            "budget": budget, "within_budget": ok, "note": note}


def calculator_rows(bundle, count):
    cp = calculator_bench.run(bundle, count)
    note = f"{cp['profiles']} random valid profiles × {cp['measures']} measures"
    rows = [row("calculator: median per profile (CPython)", round(cp["median_ms"], 4), "ms", "≤ 1 ms",
                cp["median_ms"] <= 1.0, note=note),
            row("calculator: 95th percentile per profile (CPython)", round(cp["p95_ms"], 4), "ms", note=note)]
    py = calculator_bench.run_pyodide(count)
    rows += [row("calculator: median per profile (Pyodide in Node)", round(py["median_ms"], 4), "ms",
                 baseline=round(cp["median_ms"], 4), ratio=py["median_ms"] / cp["median_ms"],
                 note="baseline: CPython median; ratio = Pyodide / CPython"),
             row("calculator: 95th percentile per profile (Pyodide in Node)", round(py["p95_ms"], 4), "ms",
                 baseline=round(cp["p95_ms"], 4), ratio=py["p95_ms"] / cp["p95_ms"]),
             row("Pyodide boot in Node (runtime + calculator wheel)", round(py["boot_ms"] + py["load_ms"]), "ms")]
    return rows, {"cpython": cp, "pyodide": py}


def print_table(rows):
    headers = ("benchmark", "value", "baseline", "ratio", "budget", "ok")
    lines = [(r["name"], f"{r['value']} {r['unit']}", "" if r["baseline"] is None else str(r["baseline"]),
              "" if r["ratio"] is None else f"{r['ratio']:.2f}", r["budget"] or "",
              {True: "yes", False: "NO", None: ""}[r["within_budget"]]) for r in rows]
    widths = [max(len(h), *(len(line[i]) for line in lines)) for i, h in enumerate(headers)]
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths)))
    print("  ".join("-" * w for w in widths))
    for line in lines:
        print("  ".join(c.ljust(w) for c, w in zip(line, widths)))
    for r in rows:
        if r["note"]:
            print(f"- {r['name']}: {r['note']}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=10_000, help="random profiles for the calculator benchmark")
    args = parser.parse_args(argv)
    bundle = make_bundle(load_policies())
    rows, _ = calculator_rows(bundle, args.profiles)
    print_table(rows)
    RESULTS.write_text(json.dumps({"machine": platform.platform(), "python": platform.python_version(), "rows": rows},
                                  ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten: {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
