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
            f"script {mt['checker']['script']}) against the bare page's {mt['bare']['all']} ms; then the checker's "
            f"own steps (data, first answer, drawing, painting) took {own} ms")


def input_why(inp: dict, floor_p95: float) -> str:
    """Where the slowest changes' time goes, from the same run's figures."""
    dom, painted = inp["total_dom"]["p95"], inp["total_painted"]["p95"]
    return (f"at the 95th percentile, this machine's floor (a worker that only echoes) takes {floor_p95:.1f} ms; "
            f"the checker's results are in the DOM by {dom:.1f} ms, and the rest, to {painted:.1f} ms, is the browser "
            f"waiting for and drawing the next frames of the whole page (frame wait {inp['frame_wait']['p95']:.1f}, "
            f"style, layout and paint {inp['paint']['p95']:.1f} ms at their own 95th percentiles)")


# Budgets of the checker in a browser, per profile (issue 14; the desktop's from issue 7).
BOOT_BUDGET = {"desktop": {"cold": 1.15, "warm": 1.15}, "phone": {"cold": 0.85}}
FIRST_VISIT_BYTES = 4_500_000
PAGE_BYTES = 300_000
GROWTH = 1.1


def _boot_rows(name: str, m: dict, runs: int) -> list:
    rows = []
    how = {"cold": "chromium on a new, empty profile each run",
           "warm": "second visit, same profile (the service worker kept the checker after the first)"}
    for cache in ("cold", "warm"):
        c = m[cache]
        bare = round(c["bare_boot_ms"])
        limit = BOOT_BUDGET[name].get(cache)
        rows.append(row(f"checker, {name} ({cache}): navigation → first result painted",
                        round(c["first_result_painted_ms"]), "ms",
                        f"≤ {limit} × bare boot" if limit else None,
                        c["first_result_painted_ms"] <= limit * c["bare_boot_ms"] if limit else None,
                        baseline=bare, ratio=c["first_result_painted_ms"] / c["bare_boot_ms"],
                        note=f"{how[cache]}; median of {runs} runs; baseline: a bare page booting the stock Pyodide "
                             f"files (the full standard library) and the calculator wheel in a Web Worker (median "
                             f"{bare} ms), same throttling; Python ready at {round(c['ready_ms'])} ms; runs ranged "
                             f"{c['checker_range_ms'][0]:.0f}–{c['checker_range_ms'][1]:.0f} ms (bare "
                             f"{c['bare_range_ms'][0]:.0f}–{c['bare_range_ms'][1]:.0f}); run by run, checker / bare: "
                             f"median {statistics.median(c['paired_ratios']):.2f}, "
                             f"{c['paired_ratios'][0]:.2f}–{c['paired_ratios'][-1]:.2f}; stages (ms after "
                             f"navigation): checker {c['checker_stages']}, bare {c['bare_stages']}; {boot_why(c)}"))
    cold, warm = m["cold"]["first_result_painted_ms"], m["warm"]["first_result_painted_ms"]
    if name == "phone":
        ratios = m["warm_over_cold"]
        rows.append(row("checker, phone: second visit against the first (first result painted)", round(warm), "ms",
                        "≤ 0.5 × cold", warm <= 0.5 * cold, baseline=round(cold), ratio=warm / cold,
                        note=f"run by run: median {statistics.median(ratios):.2f}, {ratios[0]:.2f}–{ratios[-1]:.2f}"))
    inp, floor = m["input"], m["input_floor"]
    p95, floor_p95 = inp["total_painted"]["p95"], floor["total_painted"]["p95"]
    budget, ok = ("≤ 50 ms", p95 <= 50) if name == "desktop" else ("≤ 2.5 × floor", p95 <= 2.5 * floor_p95)
    split = ", ".join(f"{k} {inp[k]['median']:.1f}/{inp[k]['p95']:.1f}"
                      for k in ("read_post", "worker", "render", "frame_wait", "paint"))
    rows += [row(f"checker, {name}: input → results updated (median)", round(inp["total_painted"]["median"], 1), "ms",
                 baseline=round(floor["total_painted"]["median"], 1),
                 ratio=inp["total_painted"]["median"] / floor["total_painted"]["median"],
                 note="baseline: the same changes on a bare page whose worker only echoes the value into one "
                      "paragraph (this machine's floor for a worker round trip and a painted frame)"),
             row(f"checker, {name}: input → results updated (95th percentile)", round(p95, 1), "ms", budget, ok,
                 baseline=round(floor_p95, 1), ratio=p95 / floor_p95,
                 note=f"the input event to the painted update; median/p95 ms per step: {split}; "
                      f"{inp['result_rows']} result rows; " + input_why(inp, floor_p95))]
    return rows


def browser_rows():
    br = browser_bench.run()
    rows = []
    for name, runs in (("desktop", br["runs"]), ("phone", br["phone_runs"])):
        rows += _boot_rows(name, br[name], runs)
    phone = br["phone"]
    rows.append(row("phone profile: what Chromium accepted for the workers", 0, "",
                    note=f"page: network {PHONE_TEXT} and CPU ×4 (main thread); workers: "
                         f"{phone['worker_throttling']}"))
    by = br["bytes"]
    ck, bare = by["checker"], by["bare"]
    rows += [row("checker: compressed bytes before the first result, first visit", ck["cold"]["before"], "bytes",
                 f"≤ {FIRST_VISIT_BYTES:,}", ck["cold"]["before"] <= FIRST_VISIT_BYTES,
                 baseline=bare["cold"]["before"], ratio=ck["cold"]["before"] / bare["cold"]["before"],
                 note=f"gzip as a static host serves, counted at the server (the worker's included); largest: "
                      f"{ck['cold']['largest']}; all of the first visit, search and service worker included: "
                      f"{ck['cold']['bytes']:,}; baseline: the bare stock Pyodide page"),
             row("checker: compressed bytes, second visit", ck["warm"]["bytes"], "bytes", "0 bytes",
                 ck["warm"]["bytes"] == 0,
                 note=f"{ck['warm']['files']} requests reached the server, {ck['warm']['requests_with_body']} with a "
                      f"body: {ck['warm']['largest']}")]
    for key, label in (("measure_page", "×1"), ("measure_page_scaled", f"×{br['scale']}")):
        page = by[key]["cold"]
        rows.append(row(f"measure page ({label} data): compressed bytes, first visit", page["bytes"], "bytes",
                        f"≤ {PAGE_BYTES:,}", page["bytes"] <= PAGE_BYTES,
                        note=f"{browser_bench.MEASURE_PAGE}; {page['files']} files, largest {page['largest'][:3]}; "
                             f"Pyodide bytes: {page['pyodide_bytes']}"))
    index = by["search_index"]
    rows.append(row(f"search index, fetched when the search box is opened (×{br['scale']} data)",
                    index[br["scale"]], "bytes", baseline=index[1], ratio=index[br["scale"]] / index[1],
                    note="the larger of the two languages' indexes (a page fetches its own), gzip; no page fetches "
                         "it before the reader opens the search box (overrides/main.html); baseline: ×1"))
    sc = br["scaled"]
    one, big = sc[1], sc[br["scale"]]
    growth = [("bytes before the first result", one["bytes"]["before"], big["bytes"]["before"], "bytes"),
              ("first result painted (median, cold)", one["painted_ms"], big["painted_ms"], "ms"),
              ("input → results updated, 95th percentile", one["input"]["total_painted"]["p95"],
               big["input"]["total_painted"]["p95"], "ms")]
    paired = [b / a for a, b in zip(one["painted"], big["painted"])]
    for label, small, large, unit in growth:
        rows.append(row(f"checker at ×{br['scale']} data: {label}", round(large, 1), unit,
                        f"≤ {GROWTH} × ×1", large <= GROWTH * small, baseline=round(small, 1), ratio=large / small,
                        note=f"desktop profile; the copies in new districts and cities "
                             f"(bench.build_bench.spread_policies); first results of the runs, interleaved: ×1 "
                             f"{[round(x) for x in one['painted']]}, ×{br['scale']} {[round(x) for x in big['painted']]}; "
                             f"run by run, ×{br['scale']} / ×1: median {statistics.median(paired):.2f}, "
                             f"{min(paired):.2f}–{max(paired):.2f}"
                             if unit == "ms" and "first" in label else "desktop profile"))
    ws = br["worker_steps"]["steps_ms"]
    rows.append(row("checker worker: one answer (evaluate, changed rows, JSON), median", round(ws["answer"]["median"], 2),
                    "ms", note=f"evaluate alone {ws['evaluate']['median']:.2f} ms; at most "
                               f"{br['worker_steps']['answer_chars']} characters (a full report: "
                               f"{br['worker_steps']['full_chars']})"))
    return rows, br


PHONE_TEXT = (f"{browser_bench.PHONE['down_bps'] / 1e6:g} Mbps down, {browser_bench.PHONE['latency']} ms round trip")


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
                note=f"{one['pages']} Markdown pages ({one['measures']} measures, both languages); median of "
                     f"{len(one['runs'])} builds ({', '.join(map(str, one['runs']))} s), each in a new process, the "
                     f"public history read before the clock (its own rows below; here {one['history_first_seconds']:.2f} s "
                     f"in the first build); baseline: plain MkDocs Material, same theme and plugins, "
                     f"{plain['pages']} generated pages, no YAML ({', '.join(map(str, plain['runs']))} s)"),
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
                note=f"the text and a condition of 第一条 (its activity): the calculator's data changes, so the checker's "
                     f"files are staged again and the slim standard library traced again under Node, keyed by the "
                     f"data (the wheel, code only, is kept) (build {sv['terms_build']:.1f} s)")], sv


# The build before the browser: a child process's peak memory starts from its parent's size, which the
# browser part grows (its sites are built in this process).
PARTS = ("calculator", "build", "browser", "serve")


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
