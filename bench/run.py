"""`make bench`: every benchmark, one table, bench/results.json.

Benchmarks report; they never fail. Each figure sits beside its baseline from the
same run (as a ratio) and its budget, because the machines are shared and noisy.
"""

from __future__ import annotations

import argparse
import datetime
import json
import pathlib
import platform
import statistics
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import browser_bench, build_bench, calculator_bench, history_bench, serve_bench
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


def boot_why(c: dict) -> str:
    """Where the checker's time over the bare boot goes, from the same run's figures."""
    ck, bare = c["checker_stages"], c["bare_stages"]
    late = ck["'package' message"] - bare["'package' message"]
    own = ck["painted"] - ck["'data' message"]
    mt = c["main_thread_ms"]
    when = f"{late} ms later than" if late >= 0 else f"{-late} ms sooner than"  # sooner: the machine's noise
    return (f"Python's runtime was up {when} on the bare page, while the page's main thread "
            f"worked {mt['checker']['all']} ms (layout {mt['checker']['layout']}, style {mt['checker']['style']}, "
            f"script {mt['checker']['script']}) against the bare page's {mt['bare']['all']} ms, on a machine whose "
            f"cores Pyodide's compile threads already fill; then the checker's own steps (calculator import, "
            f"first answer, drawing, painting) took {own} ms")


def input_why(inp: dict, floor_p95: float) -> str:
    """Where the slowest changes' time goes, from the same run's figures."""
    dom, painted = inp["total_dom"]["p95"], inp["total_painted"]["p95"]
    return (f"at the 95th percentile, this machine's floor (a worker that only echoes) takes {floor_p95:.1f} ms; "
            f"the checker's results are in the DOM by {dom:.1f} ms, and the rest, to {painted:.1f} ms, is the browser "
            f"waiting for and drawing the next frames of the whole page (frame wait {inp['frame_wait']['p95']:.1f}, "
            f"style, layout and paint {inp['paint']['p95']:.1f} ms at their own 95th percentiles)")


def browser_rows():
    br = browser_bench.run()
    rows = []
    runs = f"median of {br['runs']} runs"
    for cache, how in (("cold", "chromium on a new, empty profile each run"), ("warm", "second visit, same profile")):
        c = br[cache]
        bare = round(c["bare_boot_ms"])
        rows += [row(f"checker ({cache} cache): navigation → Python ready", round(c["ready_ms"]), "ms",
                     baseline=bare, ratio=c["ready_ms"] / c["bare_boot_ms"],
                     note=f"{how}; {runs}; baseline: a bare page booting the same Pyodide files and the calculator "
                          f"wheel in a Web Worker (median {bare} ms); stages (ms after navigation): checker "
                          f"{c['checker_stages']}, bare {c['bare_stages']}"),
                 row(f"checker ({cache} cache): navigation → first result painted", round(c["first_result_painted_ms"]),
                     "ms", "≤ 1.15 × bare boot", c["first_result_painted_ms"] <= 1.15 * c["bare_boot_ms"],
                     baseline=bare, ratio=c["first_result_painted_ms"] / c["bare_boot_ms"],
                     note=f"{how}; {runs}; a Fengtai profile from a #profile= link; in the DOM at "
                          f"{round(c['first_result_ms'])} ms, painted in the next frame; runs ranged "
                          f"{c['checker_range_ms'][0]:.0f}–{c['checker_range_ms'][1]:.0f} ms (bare "
                          f"{c['bare_range_ms'][0]:.0f}–{c['bare_range_ms'][1]:.0f}); run by run, checker / bare: "
                          f"median {statistics.median(c['paired_ratios']):.2f}, "
                          f"{c['paired_ratios'][0]:.2f}–{c['paired_ratios'][-1]:.2f}; {boot_why(c)}")]
    inp = br["input"]
    n = f"{br['changes']} changes of a numeric field through the form"
    split = ", ".join(f"{k} {inp[k]['median']:.1f}/{inp[k]['p95']:.1f}"
                      for k in ("read_post", "worker", "render", "frame_wait", "paint"))
    ws = br["worker_steps"]["steps_ms"]
    floor_p95 = br["input_floor"]["total_painted"]["p95"]
    detail = (f"in the DOM (before the frame that paints it) at {inp['total_dom']['median']:.1f}/"
              f"{inp['total_dom']['p95']:.1f} ms median/p95; median/p95 ms per step: {split}; inside "
              f"the worker, for this profile and these changes: evaluate {ws['evaluate']['median']:.2f}, the "
              f"whole answer (evaluate, changed rows, JSON) {ws['answer']['median']:.2f} ms (median), at most "
              f"{br['worker_steps']['answer_chars']} characters (a full report: "
              f"{br['worker_steps']['full_chars']}); {inp['result_rows']} result rows; " + input_why(inp, floor_p95))
    floor = br["input_floor"]["total_painted"]
    floor_note = ("baseline: the same changes on a bare page whose worker only echoes the value into one "
                  "paragraph (this machine's floor for a worker round trip and a painted frame)")
    rows += [row("checker: input → results updated (median)", round(inp["total_painted"]["median"], 1), "ms",
                 baseline=round(floor["median"], 1), ratio=inp["total_painted"]["median"] / floor["median"],
                 note=f"{n}; {floor_note}"),
             row("checker: input → results updated (95th percentile)", round(inp["total_painted"]["p95"], 1), "ms",
                 "≤ 50 ms", inp["total_painted"]["p95"] <= 50,
                 baseline=round(floor["p95"], 1), ratio=inp["total_painted"]["p95"] / floor["p95"],
                 note=f"{n}; the input event to the painted update, everything a user waits (the form evaluates "
                      f"at once, one evaluation at a time); {detail}")]
    by = br["bytes"]
    ck, bare, page = by["checker"], by["bare"], by["measure_page"]
    rows += [row("checker page: bytes fetched, empty cache", ck["cold"]["bytes"], "bytes",
                 baseline=bare["cold"]["bytes"], ratio=ck["cold"]["bytes"] / bare["cold"]["bytes"],
                 note=f"response bodies sent by the server, the worker's included ({ck['cold']['files']} files, "
                      f"{ck['cold']['pyodide_bytes']} bytes under pyodide/); baseline: the bare Pyodide page"),
             row("checker page: bytes fetched, second visit", ck["warm"]["bytes"], "bytes",
                 note=f"{ck['warm']['files']} files re-sent in full; the rest from the HTTP cache or 304"),
             row("measure page: bytes fetched, empty cache", page["cold"]["bytes"], "bytes",
                 baseline=ck["cold"]["bytes"], ratio=page["cold"]["bytes"] / ck["cold"]["bytes"],
                 note=f"{browser_bench.MEASURE_PAGE}; baseline: the checker page"),
             row("measure page: Pyodide bytes fetched", page["cold"]["pyodide_bytes"], "bytes", "0 bytes",
                 page["cold"]["pyodide_bytes"] == 0)]
    return rows, br


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


def build_rows(scales):
    b = build_bench.run(scales)
    one, plain = b["real"][scales[0]], b["plain"]
    rows = [row("build: full site ×1 (validate, pages, MkDocs, data, feeds, checker wheel)", round(one["seconds"], 2),
                "s", "≤ 1.5 × plain MkDocs", one["seconds"] <= 1.5 * plain["seconds"],
                baseline=round(plain["seconds"], 2), ratio=one["seconds"] / plain["seconds"],
                note=f"{one['pages']} Markdown pages ({one['measures']} measures, both languages); baseline: plain "
                     f"MkDocs Material, same theme and plugins, {plain['pages']} generated pages, no YAML"),
            row("build: peak memory ×1", round(one["peak_mb"]), "MB", baseline=round(plain["peak_mb"]),
                ratio=one["peak_mb"] / plain["peak_mb"])]
    for scale in scales[1:]:
        big = b["real"][scale]
        limit = {10: None, 50: 55}.get(scale)
        rows += [row(f"build: full site ×{scale}", round(big["seconds"], 2), "s",
                     f"≤ {limit} × the ×1 time" if limit else None,
                     big["seconds"] <= limit * one["seconds"] if limit else None,
                     baseline=round(one["seconds"], 2), ratio=big["seconds"] / one["seconds"],
                     note=f"{big['pages']} pages, {big['measures']} measures; "
                          f"{1000 * big['seconds'] / big['pages']:.1f} ms per page "
                          f"(×1: {1000 * one['seconds'] / one['pages']:.1f})"),
                 row(f"build: peak memory ×{scale}", round(big["peak_mb"]), "MB",
                     "< 2048 MB" if scale == 50 else None, big["peak_mb"] < 2048 if scale == 50 else None)]
    h = history_bench.run()
    if not h["available"]:
        rows.append(row("build: history of main", None, "s", note=f"not measured: {h['reason']}"))
        return rows, b | {"history": h}
    note = (f"{h['commits']} commits of main that touched policies/ or schema/, {h['measures']} measures; median of "
            f"{h['runs']} runs; baseline: the ×1 build")
    for key, name in (("cold_seconds", "cold cache (fresh clone, CI)"), ("new_commit_seconds", "one new commit"),
                      ("warm_seconds", "warm cache (rebuild)")):
        rows.append(row(f"build: history of main, {name}", round(h[key], 3), "s", baseline=round(one["seconds"], 2),
                        ratio=h[key] / one["seconds"], note=note if key == "cold_seconds" else ""))
    return rows, b | {"history": h}


def serve_rows(changes):
    sv = serve_bench.run(changes)
    cold = round(sv["cold_build_seconds"], 2)
    note = (f"{sv['changes']} edits of one measure's English text (ft-ai-2025/art-1), each timed from the write to "
            f"the page served over HTTP with it: {', '.join(f'{s:.2f}' for s in sv['text_seconds'])} s; the build "
            f"itself took {sv['text_build_median']:.1f} s (median), the rest is noticing the change (polled every "
            f"0.1 s) and serving; baseline: `make build` by hand, a fresh process ({cold} s), before the restart of "
            "a static server")
    return [row("live preview: one-measure change → new page served (median)", round(sv["text_median"], 2), "s",
                "≤ 3 s", sv["text_median"] <= 3, baseline=cold, ratio=sv["text_median"] / sv["cold_build_seconds"],
                note=note),
            row("live preview: one-measure change → new page served (slowest)", round(sv["text_max"], 2), "s"),
            row("live preview: a term changed too → new page served", round(sv["terms_seconds"], 2), "s",
                baseline=cold, ratio=sv["terms_seconds"] / sv["cold_build_seconds"],
                note=f"the text and years: 2 → 1: the calculator's bundle changes, so its wheel is rebuilt "
                     f"(build {sv['terms_build']:.1f} s)")], sv


PARTS = ("calculator", "browser", "build", "serve")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=10_000, help="random profiles for the calculator benchmark")
    parser.add_argument("--scales", default="1,10,50", help="synthetic copies of the policies for the build")
    parser.add_argument("--changes", type=int, default=5, help="edits timed by the live-preview benchmark")
    parser.add_argument("--only", default=",".join(PARTS),
                        help="the parts to run (comma-separated: calculator,browser,build,serve); the rows of the "
                             "other parts stay in results.json as they were, with their own date")
    args = parser.parse_args(argv)
    parts = [p for p in args.only.split(",") if p]
    if unknown := set(parts) - set(PARTS):
        parser.error(f"unknown part(s): {', '.join(sorted(unknown))}; choose from {', '.join(PARTS)}")
    when = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    rows = []
    for part in PARTS:
        if part not in parts:
            continue
        if part == "calculator":
            new_rows = calculator_rows(make_bundle(load_policies()), args.profiles)[0]
        elif part == "browser":
            new_rows = browser_rows()[0]
        elif part == "serve":
            new_rows = serve_rows(args.changes)[0]
        else:
            new_rows = build_rows(tuple(int(x) for x in args.scales.split(",")))[0]
        rows += [r | {"part": part, "measured_at": when} for r in new_rows]
    print_table(rows)
    kept = []
    if RESULTS.exists() and set(parts) != set(PARTS):
        kept = [r for r in json.loads(RESULTS.read_text(encoding="utf-8"))["rows"] if r.get("part") not in parts]
    order = {part: i for i, part in enumerate(PARTS)}
    merged = sorted(kept + rows, key=lambda r: order.get(r.get("part"), len(PARTS)))
    RESULTS.write_text(json.dumps({"machine": platform.platform(), "python": platform.python_version(),
                                   "rows": merged}, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten: {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
