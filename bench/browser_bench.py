"""The checker in a real browser: Playwright with Debian's chromium, on the built site from a local server.

Measured in the page's own clock (``performance.now()``, zero at navigation start), through an init script
that wraps ``Worker`` (to see the worker's progress, ready and result messages as the page receives them)
and watches ``#checker-app``'s ``data-evaluations``, which checker.js bumps once a result is rendered:

1. navigation → Python ready and → first result (DOM updated, and the frame after it painted), for the
   checker opened with a ``#profile=`` link; cold cache (chromium on a new profile) and warm cache (a
   second page in the same profile); against a bare page, generated into the served folder here, that
   only boots the same Pyodide files in a Web Worker (loadPyodide + loadPackage of the calculator from
   the same lockfile) and says done;
2. a numeric field changed through the form: input event → results updated (in the DOM, and painted);
   against the same changes on a bare page whose worker only echoes the value (this machine's floor);
3. bytes fetched by the checker page and by a measure page, and the Pyodide bytes of the latter.
"""

from __future__ import annotations

import base64
import functools
import http.server
import json
import pathlib
import shutil
import statistics
import tempfile
import threading

from .calculator_bench import percentile

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
CHECKER = "checker/"
MEASURE_PAGE = "policies/ft-ai-2025/art-1/"  # a page without the checker
TIMEOUT = 120_000  # ms
# The test suite's Fengtai profile: an AI partner with an industrial AI project and large compute spending.
PROFILE = {"district": "fengtai", "ai_partner": True, "industrial_ai": True, "industrial_project": True,
           "compute_spend": 20_000_000, "model_spend": 3_000_000, "activities": ["model-rnd", "agents"],
           "above_designated_size": True, "as_of": "2026-06-30"}
INPUT_FIELD = "#f-compute_spend"

# Runs in every page before its own scripts (workers excluded): page-clock timestamps in window.__bench.
PROBE = """
(() => {
  const b = window.__bench = { stages: {}, ready: null, readyWorkerMs: null, done: null, workerAt: null,
                               posts: [], arrivals: [], inputs: [], rendered: [], frames: [], painted: [] };
  const Native = window.Worker;
  window.Worker = class extends Native {
    constructor(url, options) {
      super(url, options);
      // Material's search worker is not the checker's.
      if (String(url).includes("/workers/search.")) { b.searchWorkerAt = performance.now(); return; }
      b.workerAt = performance.now();
      // Registered before the page's own listener, so this is when the message reaches the page.
      this.addEventListener("message", ({ data }) => {
        const now = performance.now();
        if (data.type === "progress") b.stages[data.stage] = { page: now, worker: data.ms };
        else if (data.type === "ready") { b.ready = now; b.readyWorkerMs = data.ms; }
        else if (data.type === "result") b.arrivals.push(now);
        else if (data.type === "done") { b.done = now; b.doneWorkerMs = data.ms; }
      });
    }
    postMessage(message, ...rest) {
      if (message && message.type === "evaluate") b.posts.push(performance.now());
      return super.postMessage(message, ...rest);
    }
  };
  document.addEventListener("input", (e) => b.inputs.push(e.timeStamp), true);
  new MutationObserver(() => {
    b.rendered.push(performance.now());
    // The next frame's callbacks run before its paint; a task queued from there runs after it.
    requestAnimationFrame(() => {
      b.frames.push(performance.now());
      setTimeout(() => b.painted.push(performance.now()), 0);
    });
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-evaluations"] });
})();
"""

BARE_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>bare Pyodide boot</title></head>
<body><p id="state">booting</p>
<script type="module">
  const w = new Worker(new URL("worker.mjs", import.meta.url), { type: "module" });
  window.bareWorker = w;
  w.onmessage = ({ data }) => {
    if (data.type === "done" || data.type === "failed") document.getElementById("state").textContent = data.type;
    if (data.type === "timed") window.timed = data;
  };
</script></body></html>
"""

# The checker worker's boot, nothing else: the same files, lockfile handling and integrity check.
BARE_WORKER = """import { loadPyodide } from "../pyodide/pyodide.mjs";
const base = new URL("../pyodide/", import.meta.url).href;
const started = performance.now();
// The checker worker's answer to one change of the form, split into its steps (see time_in_worker).
const TIMED = `
import json, time
from calculator import evaluate
from calculator.session import Session

def _timed(text, today, n, field, values):
    profile, session = json.loads(text), Session()
    full = session.answer(text, today, 0, None)
    steps, chars = {"evaluate": [], "answer": []}, []
    for i in range(1, n + 1):
        changed = json.dumps(profile | {field: values[(i - 1) % len(values)]})
        t0 = time.perf_counter()
        evaluate(json.loads(changed), today=today)
        t1 = time.perf_counter()
        out = session.answer(changed, today, i, i - 1)
        t2 = time.perf_counter()
        steps["evaluate"].append((t1 - t0) * 1000)
        steps["answer"].append((t2 - t1) * 1000)
        chars.append(len(out))
    return json.dumps({"steps": steps, "chars": max(chars), "full_chars": len(full)})
`;
try {
  const lockFileContents = fetch(base + "pyodide-lock.json", { cache: "no-cache" }).then((r) => r.text());
  const pyodide = await loadPyodide({ indexURL: base, lockFileContents, packageBaseUrl: base });
  postMessage({ type: "progress", stage: "package", ms: Math.round(performance.now() - started) });
  await pyodide.loadPackage("bj-ai-policy-calculator", { checkIntegrity: true, messageCallback: () => {} });
  if (!pyodide.loadedPackages["bj-ai-policy-calculator"]) throw new Error("the calculator did not load");
  postMessage({ type: "done", ms: Math.round(performance.now() - started) });
  // Not part of the boot: on request, the checker's evaluation timed inside this worker, for the profile.
  onmessage = ({ data }) => {
    pyodide.runPython(TIMED);
    const timed = pyodide.globals.get("_timed");
    postMessage({ type: "timed", ...JSON.parse(timed(JSON.stringify(data.profile), data.today, data.n,
                                                     data.field, data.values)) });
  };
} catch (err) {
  postMessage({ type: "failed", message: String(err) });
}
"""


# The floor for an input change on this machine, in the same run: a page whose worker only echoes the
# value back, drawn into one paragraph; the same probe, the same field id, the same way of typing.
FLOOR_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>input floor</title></head>
<body><input id="f-compute_spend" type="text"><p id="out"></p>
<div id="checker-app" data-state="done"><i data-measure="echo"></i></div>
<script type="module">
  const w = new Worker(new URL("worker.mjs", import.meta.url), { type: "module" });
  const field = document.getElementById("f-compute_spend"), out = document.getElementById("out");
  const app = document.getElementById("checker-app");
  let seq = 0;
  const send = () => w.postMessage({ type: "evaluate", id: ++seq, value: field.value });
  w.onmessage = ({ data }) => { out.textContent = data.value; app.dataset.evaluations = String(data.id); };
  field.addEventListener("input", send);
  send();
</script></body></html>
"""
FLOOR_WORKER = 'onmessage = ({ data }) => postMessage({ type: "result", id: data.id, value: data.value });\n'


def b64url(profile: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(profile, ensure_ascii=False).encode("utf-8")).decode().rstrip("=")


class Server:
    """A threaded static server for ``folder`` on a free port, counting the body bytes it sends."""

    def __init__(self, folder: pathlib.Path):
        self.sent: list[tuple[str, int]] = []  # (path, body bytes); a 304 sends none
        sent = self.sent

        class Counting(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def copyfile(self, source, outputfile):
                start = source.tell()
                super().copyfile(source, outputfile)
                sent.append((self.path, source.tell() - start))

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                                     functools.partial(Counting, directory=str(folder)))
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def _bench(page) -> dict:
    return page.evaluate("() => window.__bench")


MAIN_THREAD = {"TaskDuration": "all", "ScriptDuration": "script", "LayoutDuration": "layout",
               "RecalcStyleDuration": "style"}


def _main_thread_watch(context, page):
    """Chromium's own count of the page's main-thread time (DevTools Performance metrics), in ms."""
    cdp = context.new_cdp_session(page)
    cdp.send("Performance.enable")

    def read() -> dict:
        metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
        return {label: metrics[name] * 1000 for name, label in MAIN_THREAD.items()}
    return read


def visit_checker(context, url: str) -> dict:
    """Open the checker with a profile link; page-clock timings of its boot and first result."""
    page = context.new_page()
    main_thread = _main_thread_watch(context, page)
    try:
        page.goto(url)
        page.wait_for_function("() => window.__bench.painted.length > 0", timeout=TIMEOUT, polling=100)
        busy = main_thread()
        b = _bench(page)
        if page.get_attribute("#checker-app", "data-state") != "done" or not page.query_selector("[data-measure]"):
            raise RuntimeError("the checker rendered no result")
        nav = page.evaluate("() => performance.getEntriesByType('navigation')[0].toJSON()")
        return {"ready": b["ready"], "rendered": b["rendered"][0], "painted": b["painted"][0],
                "arrival": b["arrivals"][0], "worker_at": b["workerAt"], "ready_worker_ms": b["readyWorkerMs"],
                "stages": b["stages"], "dom_content_loaded": nav["domContentLoadedEventEnd"],
                "load": nav["loadEventEnd"], "main_thread_ms": busy}
    finally:
        page.close()


def visit_bare(context, url: str) -> dict:
    page = context.new_page()
    main_thread = _main_thread_watch(context, page)
    try:
        page.goto(url)
        page.wait_for_function("() => window.__bench.done !== null || "
                               "document.getElementById('state')?.textContent === 'failed'",
                               timeout=TIMEOUT, polling=100)
        busy = main_thread()
        b = _bench(page)
        if b["done"] is None:
            raise RuntimeError("the bare Pyodide page failed to boot")
        return {"done": b["done"], "worker_at": b["workerAt"], "done_worker_ms": b["doneWorkerMs"],
                "stages": b["stages"], "main_thread_ms": busy}
    finally:
        page.close()


def input_latency(context, url: str, changes: int) -> dict:
    """Change a numeric field through the form ``changes`` times; page-clock latencies per change."""
    page = context.new_page()
    try:
        page.goto(url)
        page.wait_for_function("() => window.__bench.painted.length > 0", timeout=TIMEOUT, polling=100)
        rows, values = [], change_values(changes)
        for i in range(changes):
            before = _bench(page)
            n_in, n_post, n_arr, n_ren, n_fr, n_pt = (len(before[k]) for k in
                                                      ("inputs", "posts", "arrivals", "rendered", "frames",
                                                       "painted"))
            page.fill(INPUT_FIELD, f"{values[i]:,}")
            page.wait_for_function(f"() => window.__bench.painted.length > {n_pt}", timeout=TIMEOUT, polling=10)
            b = _bench(page)
            if len(b["posts"]) != n_post + 1 or len(b["rendered"]) != n_ren + 1:
                raise RuntimeError(f"change {i}: expected one evaluation, saw posts {b['posts'][n_post:]}")
            typed = b["inputs"][-1]  # the input event of this change
            assert len(b["inputs"]) > n_in
            post, arrival, rendered, frame, painted = (b["posts"][n_post], b["arrivals"][n_arr],
                                                       b["rendered"][n_ren], b["frames"][n_fr], b["painted"][n_pt])
            rows.append({"total_dom": rendered - typed, "total_painted": painted - typed,
                         # Reading the form and posting, the worker's round trip, rendering, and the frame
                         # that paints it.
                         "read_post": post - typed, "worker": arrival - post,
                         "render": rendered - arrival, "frame_wait": frame - rendered, "paint": painted - frame})
        nodes = page.evaluate("() => document.querySelectorAll('#checker-app *').length")
        results = page.evaluate("() => document.querySelectorAll('[data-measure]').length")
        return {"rows": rows, "dom_elements": nodes, "result_rows": results}
    finally:
        page.close()


def bytes_fetched(browser, server: Server, url: str, done: str | None = None) -> dict:
    """Body bytes the server sent for one visit with an empty cache and for a second visit in the same context.

    Counted at the server, so the worker's requests are included and a response from the browser's cache
    (or a 304) counts nothing.
    """
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    out = {}
    try:
        for visit in ("cold", "warm"):
            server.sent.clear()
            page = context.new_page()
            page.goto(url)
            if done:  # a JS predicate: the page's work is finished
                page.wait_for_function(done, timeout=TIMEOUT, polling=100)
            page.wait_for_load_state("networkidle")
            page.close()
            sent = list(server.sent)
            out[visit] = {"bytes": sum(n for _, n in sent), "files": len(sent),
                          "pyodide_bytes": sum(n for path, n in sent if "/pyodide/" in path),
                          "largest": sorted(sent, key=lambda x: -x[1])[:5]}
        return out
    finally:
        context.close()


def change_values(changes: int) -> list[int]:
    """The values typed into INPUT_FIELD, one per change."""
    return [(i + 1) * 700_000 + 12_345 for i in range(changes)]


def time_in_worker(browser, bare_url: str, n: int = 50) -> dict:
    """The checker's answer to one change of INPUT_FIELD, timed inside a booted worker, for PROFILE: the
    evaluation alone, and the whole answer (evaluation, the rows that changed, JSON text)."""
    context = _context(browser)
    try:
        page = context.new_page()
        page.goto(bare_url)
        page.wait_for_function("() => window.__bench.done !== null", timeout=TIMEOUT, polling=100)
        page.evaluate("(data) => window.bareWorker.postMessage(data)",
                      {"profile": PROFILE, "n": n, "today": "2026-06-30", "field": INPUT_FIELD.removeprefix("#f-"),
                       "values": change_values(30)})
        page.wait_for_function("() => window.timed", timeout=TIMEOUT, polling=50)
        timed = page.evaluate("() => window.timed")
        steps = {k: {"median": _median(v[5:]), "p95": percentile(v[5:], 0.95)} for k, v in timed["steps"].items()}
        return {"calls": n - 5, "steps_ms": steps, "answer_chars": timed["chars"], "full_chars": timed["full_chars"]}
    finally:
        context.close()


def _median(values):
    return statistics.median(values)


def _stage_medians(visits: list[dict], key_at: str) -> dict:
    """Median page-clock time of each boot stage, to show where the time goes."""
    out = {"worker created": _median([v["worker_at"] for v in visits])}
    for stage in ("package", "data"):
        times = [v["stages"][stage]["page"] for v in visits if stage in v["stages"]]
        if times:
            out[f"'{stage}' message"] = _median(times)
    out[key_at] = _median([v[key_at] for v in visits])
    return {k: round(v) for k, v in out.items()}


def run(runs: int = 8, changes: int = 60) -> dict:
    from playwright.sync_api import sync_playwright

    from macros.build import build

    with tempfile.TemporaryDirectory(prefix="browser-bench-") as tmp:
        site = pathlib.Path(tmp) / "site"
        build(site)
        bare = site / "bench-bare"  # generated here, never committed
        bare.mkdir()
        (bare / "index.html").write_text(BARE_HTML, encoding="utf-8")
        (bare / "worker.mjs").write_text(BARE_WORKER, encoding="utf-8")
        floor = site / "bench-floor"  # generated here too
        floor.mkdir()
        (floor / "index.html").write_text(FLOOR_HTML, encoding="utf-8")
        (floor / "worker.mjs").write_text(FLOOR_WORKER, encoding="utf-8")
        server = Server(site)
        checker_url = f"{server.url}{CHECKER}#profile={b64url(PROFILE)}"
        bare_url = f"{server.url}bench-bare/"
        floor_url = f"{server.url}bench-floor/"
        try:
            with sync_playwright() as p:
                result = _measure(Profiles(p, pathlib.Path(tmp)), server, checker_url, bare_url, floor_url, runs,
                                  changes)
        finally:
            server.close()
            shutil.rmtree(bare, ignore_errors=True)
            shutil.rmtree(floor, ignore_errors=True)
    return result


class Profiles:
    """Each ``new_context()`` is chromium started on a new, empty profile folder (a persistent context).

    Not Playwright's ``browser.new_context()``: that is an incognito context, whose in-memory HTTP cache
    does not keep a file as large as pyodide.asm.wasm (9.6 MB), so a "warm" visit would fetch it again.
    """

    def __init__(self, playwright, folder: pathlib.Path):
        self.playwright, self.folder = playwright, folder

    def new_context(self, **options):
        profile = tempfile.mkdtemp(prefix="profile-", dir=self.folder)  # removed with the folder
        return self.playwright.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True, **options)


def _context(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    context.add_init_script(PROBE)
    return context


def _measure(browser, server, checker_url, bare_url, floor_url, runs, changes) -> dict:
    # One unrecorded round first: the server's files into the OS cache.
    for visit, url in ((visit_checker, checker_url), (visit_bare, bare_url)):
        context = _context(browser)
        visit(context, url)
        context.close()
    visits = {"checker": {"cold": [], "warm": []}, "bare": {"cold": [], "warm": []}}
    for _ in range(runs):
        # Interleaved, so that a noisy moment on the shared machine hits both sides alike.
        for name, visit, url in (("checker", visit_checker, checker_url), ("bare", visit_bare, bare_url)):
            context = _context(browser)  # a new profile: an empty HTTP cache
            try:
                visits[name]["cold"].append(visit(context, url))
                visits[name]["warm"].append(visit(context, url))  # the same context: a second visit
            finally:
                context.close()
    context = _context(browser)
    try:
        visit_checker(context, checker_url)  # warm the cache: the changes are timed on a returning visit
        latency = input_latency(context, checker_url, changes)
        floor = input_latency(context, floor_url, changes)
    finally:
        context.close()
    checker_bytes = bytes_fetched(browser, server, checker_url,
                                  "() => document.querySelector('#checker-app')?.dataset.state === 'done'")
    bare_bytes = bytes_fetched(browser, server, bare_url, "() => document.getElementById('state').textContent === 'done'")
    page_bytes = bytes_fetched(browser, server, server.url + MEASURE_PAGE)
    worker_steps = time_in_worker(browser, bare_url)

    out = {"runs": runs, "changes": changes, "profile": PROFILE, "visits": visits,
           "input": latency, "input_floor": floor, "bytes": {"checker": checker_bytes, "bare": bare_bytes, "measure_page": page_bytes},
           "worker_steps": worker_steps}
    for cache in ("cold", "warm"):
        ck, bare = visits["checker"][cache], visits["bare"][cache]
        # Each run opens the checker and the bare page one after the other: their ratio, run by run, shows
        # how much of the spread is the machine's.
        paired = sorted(c["painted"] / b["done"] for c, b in zip(ck, bare))
        out[cache] = {"ready_ms": _median([v["ready"] for v in ck]),
                      "paired_ratios": paired,
                      "checker_range_ms": (min(v["painted"] for v in ck), max(v["painted"] for v in ck)),
                      "bare_range_ms": (min(v["done"] for v in bare), max(v["done"] for v in bare)),
                      "first_result_ms": _median([v["rendered"] for v in ck]),
                      "first_result_painted_ms": _median([v["painted"] for v in ck]),
                      "bare_boot_ms": _median([v["done"] for v in bare]),
                      "checker_stages": _stage_medians(ck, "ready") | {
                          "result reached page": round(_median([v["arrival"] for v in ck])),
                          "result rendered": round(_median([v["rendered"] for v in ck])),
                          "painted": round(_median([v["painted"] for v in ck])),
                          "DOMContentLoaded": round(_median([v["dom_content_loaded"] for v in ck]))},
                      "bare_stages": _stage_medians(bare, "done"),
                      # Until the first result (checker) or done (bare): the main thread competes with
                      # Pyodide's compile threads for the machine's cores.
                      "main_thread_ms": {side: {k: round(_median([v["main_thread_ms"][k] for v in visits_]))
                                                for k in MAIN_THREAD.values()}
                                         for side, visits_ in (("checker", ck), ("bare", bare))}}
    for key in ("total_dom", "total_painted"):
        values = [r[key] for r in floor["rows"]]
        floor[key] = {"median": _median(values), "p95": percentile(values, 0.95)}
    rows = latency["rows"]
    for key in ("total_dom", "total_painted", "read_post", "worker", "render", "frame_wait", "paint"):
        values = [r[key] for r in rows]
        out["input"][key] = {"median": _median(values), "p95": percentile(values, 0.95)}
    return out
