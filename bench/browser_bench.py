"""The checker in a real browser: Playwright with Debian's chromium, on the built site from a local server that
compresses as a static host would (gzip for text, JavaScript, JSON and WebAssembly; not for zips), with ETags
and a short max-age.

Two profiles: the desktop (this machine as it is) and a phone, through Chromium's DevTools protocol: 10 Mbps
down, 80 ms round trip, CPU 4× slower. The network conditions are set on the page and on each of its workers
(auto-attached before they run); Chromium slows the CPU of the page's main thread only: it answers a worker's
Emulation.setCPUThrottlingRate with "only supported for pages" (the report says what it accepted).

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
3. compressed bytes: the checker's before its first result, its second visit (the service worker keeps it),
   the bare page's, and a measure page's at ×1 and ×50 data;
4. the checker at ×50 data (bench.build_bench.spread_policies: new districts and cities) against ×1: bytes
   before the first result, first result, input latency.
"""

from __future__ import annotations

import base64
import email.utils
import functools
import gzip
import hashlib
import http.server
import json
import pathlib
import statistics
import tempfile
import threading
import time

from .calculator_bench import percentile

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
CHECKER = "checker/"
MEASURE_PAGE = "policies/ft-ai-2025/art-1/"  # a page without the checker
TIMEOUT = 240_000  # ms
# The phone: Chromium's DevTools throttling (the numbers of Lighthouse's mobile profile, rounded).
PHONE = {"latency": 80, "down_bps": 10_000_000, "up_bps": 5_000_000, "cpu": 4}
PROFILES_ = {"desktop": None, "phone": PHONE}
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

# A stock Pyodide boot: the npm package's files as they come (the full standard library), the calculator wheel
# from the same lockfile with the integrity check; nothing of the checker's.
BARE_WORKER = """import { loadPyodide } from "../pyodide/pyodide.mjs";
const base = new URL("../pyodide/", import.meta.url).href;
const started = performance.now();
// The checker worker's answer to one change of the form, split into its steps (see time_in_worker).
const TIMED = `
import json, time
from calculator import Calculator
from calculator.bundle import join_parts
from calculator.session import Session

def _timed(text, today, n, field, values, data):
    data = json.loads(data)
    profile, session = json.loads(text), Session(index=data["index"])
    session.add_parts(*map(json.dumps, data["parts"].values()))
    calc = Calculator(join_parts(data["index"], data["parts"]))
    evaluate = calc.evaluate
    full = session.answer(text, today, 0, None)
    steps, chars = {"evaluate": [], "answer": []}, []
    for i in range(1, n + 1):
        changed = json.dumps(profile | {field: values[(i - 1) % len(values)]})
        t0 = time.perf_counter()
        evaluate(json.loads(changed), today)
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
  onmessage = async ({ data }) => {
    const get = async (name) => (await fetch(base + name)).json();
    const manifest = await get("manifest.json");
    const index = await get(manifest.index);
    const parts = {};
    for (const [name, file] of Object.entries(index.parts)) parts[name] = await get("data/" + file);
    pyodide.runPython(TIMED);
    const timed = pyodide.globals.get("_timed");
    postMessage({ type: "timed", ...JSON.parse(timed(JSON.stringify(data.profile), data.today, data.n,
                                                     data.field, data.values, JSON.stringify({ index, parts }))) });
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


# What a static host compresses (GitHub Pages, for one): text, JavaScript, JSON, SVG and WebAssembly; a zip is
# sent as it is.
COMPRESSED = {".html", ".css", ".js", ".mjs", ".json", ".svg", ".xml", ".txt", ".wasm", ".map", ".csv", ".atom",
              ".ics"}


class Server:
    """A threaded static server for ``folder`` on a free port, as a static host serves: gzip for the types above
    (compressed once per file), an ETag and ``Cache-Control: max-age=600``, 304 for a matching If-None-Match.
    It records the body bytes it sends, compressed, with the time (``time.monotonic``); a 304 sends none."""

    def __init__(self, folder: pathlib.Path):
        self.folder = folder
        self.sent: list[tuple[str, int, float]] = []  # (path, body bytes, when)
        sent, cache = self.sent, {}

        class Static(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def end_headers(self):
                self.send_header("Cache-Control", "max-age=600")
                super().end_headers()

            def send_head(self):
                path = pathlib.Path(self.translate_path(self.path))
                if path.is_dir():
                    if not self.path.split("?")[0].endswith("/"):
                        return super().send_head()  # the redirect to the folder's URL
                    path = path / "index.html"
                if not path.is_file():
                    return super().send_head()  # 404
                stat = path.stat()
                key = (path, stat.st_mtime_ns, stat.st_size)
                if key not in cache:
                    raw = path.read_bytes()
                    body = gzip.compress(raw, 6, mtime=0) if path.suffix in COMPRESSED else raw
                    cache[key] = (body, path.suffix in COMPRESSED, f'"{hashlib.sha1(raw).hexdigest()[:20]}"')
                body, zipped, etag = cache[key]
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    sent.append((self.path, 0, time.monotonic()))
                    return None
                self.send_response(200)
                self.send_header("Content-Type", self.guess_type(str(path)))
                if zipped:
                    self.send_header("Content-Encoding", "gzip")
                    self.send_header("Vary", "Accept-Encoding")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", email.utils.formatdate(stat.st_mtime, usegmt=True))
                self.end_headers()
                if self.command == "HEAD":  # headers only, as every static host answers one
                    sent.append((self.path, 0, time.monotonic()))
                    return None
                self.wfile.write(body)
                sent.append((self.path, len(body), time.monotonic()))
                return None

        Static.extensions_map = {**Static.extensions_map, ".mjs": "text/javascript", ".wasm": "application/wasm",
                                 ".js": "text/javascript"}
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Static, directory=str(folder)))
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def throttle(context, page, profile: dict | None) -> dict:
    """The phone: DevTools network and CPU throttling on ``page`` and, as each starts, on its workers.

    Returns what Chromium answered for the workers (method → error or "ok"), filled in as they start.
    """
    answers: dict = {}
    if profile is None:
        return answers
    conditions = {"offline": False, "latency": profile["latency"], "downloadThroughput": profile["down_bps"] / 8,
                  "uploadThroughput": profile["up_bps"] / 8}
    commands = [("Network.enable", {}), ("Network.emulateNetworkConditions", conditions),
                ("Emulation.setCPUThrottlingRate", {"rate": profile["cpu"]})]
    cdp = context.new_cdp_session(page)
    for method, params in commands:
        cdp.send(method, params)

    def attached(event):  # a worker, paused until its throttling is set
        for n, (method, params) in enumerate([*commands, ("Runtime.runIfWaitingForDebugger", {})], start=1):
            cdp.send("Target.sendMessageToTarget", {"sessionId": event["sessionId"], "message": json.dumps(
                {"id": 1000 + n, "method": method, "params": params})})

    def received(event):
        message = json.loads(event["message"])
        if message.get("id", 0) > 1000:
            method = ([*commands, ("Runtime.runIfWaitingForDebugger", {})][message["id"] - 1001])[0]
            answers[method] = message.get("error", {}).get("message", "ok")

    cdp.on("Target.attachedToTarget", attached)
    cdp.on("Target.receivedMessageFromTarget", received)
    cdp.send("Target.setAutoAttach", {"autoAttach": True, "waitForDebuggerOnStart": True, "flatten": False})
    return answers


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


def _page(context, profile):
    page = context.new_page()
    return page, throttle(context, page, profile)


KEPT = "() => globalThis.__checkerOffline ?? null"


def visit_checker(context, url: str, profile=None, keep: bool = True) -> dict:
    """Open the checker with a profile link; page-clock timings of its boot and first result. ``keep``: wait
    until the service worker has kept the checker (so that the next visit is a real second visit)."""
    page, workers = _page(context, profile)
    main_thread = _main_thread_watch(context, page)
    try:
        page.goto(url)
        page.wait_for_function("() => window.__bench.painted.length > 0", timeout=TIMEOUT, polling=100)
        busy = main_thread()
        b = _bench(page)
        if page.get_attribute("#checker-app", "data-state") != "done" or not page.query_selector("[data-measure]"):
            raise RuntimeError("the checker rendered no result")
        nav = page.evaluate("() => performance.getEntriesByType('navigation')[0].toJSON()")
        if keep and page.evaluate(KEPT) is not True:
            raise RuntimeError("the service worker did not keep the checker")
        return {"ready": b["ready"], "rendered": b["rendered"][0], "painted": b["painted"][0],
                "arrival": b["arrivals"][0], "worker_at": b["workerAt"], "ready_worker_ms": b["readyWorkerMs"],
                "stages": b["stages"], "dom_content_loaded": nav["domContentLoadedEventEnd"],
                "load": nav["loadEventEnd"], "main_thread_ms": busy, "worker_throttling": dict(workers)}
    finally:
        page.close()


def visit_bare(context, url: str, profile=None) -> dict:
    page, workers = _page(context, profile)
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
                "stages": b["stages"], "main_thread_ms": busy, "worker_throttling": dict(workers)}
    finally:
        page.close()


def input_latency(context, url: str, changes: int, profile=None) -> dict:
    """Change a numeric field through the form ``changes`` times; page-clock latencies per change."""
    page, _ = _page(context, profile)
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
        out = {"rows": rows, "dom_elements": nodes, "result_rows": results}
        for key in ("total_dom", "total_painted", "read_post", "worker", "render", "frame_wait", "paint"):
            values_ = [r[key] for r in rows]
            out[key] = {"median": _median(values_), "p95": percentile(values_, 0.95)}
        return out
    finally:
        page.close()


def bytes_fetched(browsers, server: Server, url: str, done: str | None = None, keep: bool = False) -> dict:
    """Compressed body bytes the server sent for a first visit (with an empty cache) and a second one.

    Counted at the server, so the worker's requests are included and whatever the browser did not ask for
    (its caches, the service worker's) counts nothing. ``done``: a JS predicate for the page's work being
    finished; the first visit's bytes until then are counted apart ("before"). ``keep``: the first visit
    waits for the service worker to have kept the checker.
    """
    context = browsers.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    out = {}
    try:
        for visit in ("cold", "warm"):
            server.sent.clear()
            page = context.new_page()
            page.goto(url)
            before = None
            if done:
                page.wait_for_function(done, timeout=TIMEOUT, polling=20)
                before = sum(n for _, n, _ in server.sent)
            if keep and visit == "cold" and page.evaluate(KEPT) is not True:
                raise RuntimeError("the service worker did not keep the checker")
            page.wait_for_load_state("networkidle")
            page.close()
            sent = list(server.sent)
            out[visit] = {"bytes": sum(n for _, n, _ in sent), "before": before, "files": len(sent),
                          "requests_with_body": sum(1 for _, n, _ in sent if n),
                          "pyodide_bytes": sum(n for path, n, _ in sent if "/pyodide/" in path),
                          "largest": sorted(((p, n) for p, n, _ in sent), key=lambda x: -x[1])[:6]}
        return out
    finally:
        context.close()


def change_values(changes: int) -> list[int]:
    """The values typed into INPUT_FIELD, one per change."""
    return [(i + 1) * 700_000 + 12_345 for i in range(changes)]


def time_in_worker(browsers, bare_url: str, n: int = 50) -> dict:
    """The checker's answer to one change of INPUT_FIELD, timed inside a booted worker, for PROFILE: the
    evaluation alone, and the whole answer (evaluation, the rows that changed, JSON text)."""
    context = _context(browsers)
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


def _add_pages(site: pathlib.Path) -> None:
    """The bare page and the floor page, generated into the served folder (never committed)."""
    for folder, html, worker in (("bench-bare", BARE_HTML, BARE_WORKER), ("bench-floor", FLOOR_HTML, FLOOR_WORKER)):
        (site / folder).mkdir(exist_ok=True)
        (site / folder / "index.html").write_text(html, encoding="utf-8")
        (site / folder / "worker.mjs").write_text(worker, encoding="utf-8")


def build_sites(tmp: pathlib.Path, scale: int) -> dict[int, pathlib.Path]:
    """The site at ×1, and at ×``scale``: the build bench's copies for the pages, and the checker's data grown
    into new jurisdictions (bench.build_bench.spread_policies)."""
    from macros import checker_assets
    from macros.build import build
    from macros.offline import write_service_worker
    from macros.validate import load_policies

    from .build_bench import scaled_policies, spread_policies

    policies = load_policies()
    sites = {1: tmp / "site-x1", scale: tmp / f"site-x{scale}"}
    build(sites[1], policies=policies)
    build(sites[scale], policies=scaled_policies(policies, scale))
    checker_assets.install(sites[scale], spread_policies(policies, scale))
    write_service_worker(sites[scale])
    from macros.bundle import write_bundle

    write_bundle()  # the CLI's bundle: the real one again
    for site in sites.values():
        _add_pages(site)
    return sites


def run(runs: int = 8, changes: int = 60, phone_runs: int = 6, scale: int = 50, scale_runs: int = 8) -> dict:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="browser-bench-") as tmp:
        sites = build_sites(pathlib.Path(tmp), scale)
        servers = {n: Server(site) for n, site in sites.items()}
        try:
            with sync_playwright() as p:
                browsers = Profiles(p, pathlib.Path(tmp))
                result = {"runs": runs, "phone_runs": phone_runs, "changes": changes, "profile": PROFILE,
                          "phone": PHONE, "scale": scale}
                one = servers[1]
                urls = {"checker": f"{one.url}{CHECKER}#profile={b64url(PROFILE)}", "bare": f"{one.url}bench-bare/",
                        "floor": f"{one.url}bench-floor/"}
                for name, profile, n in (("desktop", None, runs), ("phone", PHONE, phone_runs)):
                    result[name] = _measure(browsers, urls, n, changes, profile)
                result["bytes"] = _bytes(browsers, servers, scale)
                result["worker_steps"] = time_in_worker(browsers, urls["bare"])
                result["scaled"] = _scaled(browsers, servers, scale, scale_runs, changes // 2)
        finally:
            for server in servers.values():
                server.close()
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


def _context(browsers):
    context = browsers.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    context.add_init_script(PROBE)
    return context


def _measure(browsers, urls, runs, changes, profile) -> dict:
    """Boot (cold, then a second visit) of the checker and the bare page, interleaved; input latency against
    the floor; all under ``profile``."""
    # One unrecorded round first: the server's files into the OS cache.
    for visit, url in ((visit_checker, urls["checker"]), (visit_bare, urls["bare"])):
        context = _context(browsers)
        visit(context, url)
        context.close()
    visits = {"checker": {"cold": [], "warm": []}, "bare": {"cold": [], "warm": []}}
    for _ in range(runs):
        # Interleaved, so that a noisy moment on the shared machine hits both sides alike.
        for name, visit in (("checker", visit_checker), ("bare", visit_bare)):
            context = _context(browsers)  # a new profile: empty caches, no service worker
            try:
                visits[name]["cold"].append(visit(context, urls[name], profile))
                visits[name]["warm"].append(visit(context, urls[name], profile))  # the same profile: a second visit
            finally:
                context.close()
    context = _context(browsers)
    try:
        visit_checker(context, urls["checker"], profile)  # the changes are timed on a returning visit
        latency = input_latency(context, urls["checker"], changes, profile)
        floor = input_latency(context, urls["floor"], changes, profile)
    finally:
        context.close()
    out = {"visits": visits, "input": latency, "input_floor": floor,
           "worker_throttling": visits["checker"]["cold"][0]["worker_throttling"]}
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
    # The second visit against the first, run by run.
    out["warm_over_cold"] = sorted(w["painted"] / c["painted"] for c, w in
                                   zip(visits["checker"]["cold"], visits["checker"]["warm"]))
    return out


CHECKER_DONE = "() => document.querySelector('#checker-app')?.dataset.state === 'done'"


def search_index_bytes(site: pathlib.Path) -> int:
    """What opening the search box fetches, compressed as served: the page's language's index
    (macros/hook_search.py), the larger of the two."""
    return max(len(gzip.compress((site / "search" / f"search_index.{lang}.json").read_bytes(), 6, mtime=0))
               for lang in ("zh", "en"))


def _bytes(browsers, servers, scale) -> dict:
    one, big = servers[1], servers[scale]
    checker = f"{one.url}{CHECKER}#profile={b64url(PROFILE)}"
    return {"search_index": {n: search_index_bytes(server.folder) for n, server in servers.items()},
            "checker": bytes_fetched(browsers, one, checker, CHECKER_DONE, keep=True),
            "bare": bytes_fetched(browsers, one, f"{one.url}bench-bare/",
                                  "() => document.getElementById('state').textContent === 'done'"),
            "measure_page": bytes_fetched(browsers, one, one.url + MEASURE_PAGE),
            "measure_page_scaled": bytes_fetched(browsers, big, big.url + MEASURE_PAGE)}


def _scaled(browsers, servers, scale, runs, changes) -> dict:
    """The checker at ×1 and ×``scale`` data, interleaved: first result (cold), bytes before it, input latency."""
    out = {}
    for n, server in servers.items():
        out[n] = {"painted": [], "before": []}
    for _ in range(runs):
        for n, server in servers.items():
            context = _context(browsers)
            try:
                out[n]["painted"].append(visit_checker(context, f"{server.url}{CHECKER}#profile={b64url(PROFILE)}",
                                                       keep=False)["painted"])
            finally:
                context.close()
    for n, server in servers.items():
        out[n]["bytes"] = bytes_fetched(browsers, server, f"{server.url}{CHECKER}#profile={b64url(PROFILE)}",
                                        CHECKER_DONE)["cold"]
        context = _context(browsers)
        try:
            url = f"{server.url}{CHECKER}#profile={b64url(PROFILE)}"
            visit_checker(context, url)
            out[n]["input"] = input_latency(context, url, changes)
            del out[n]["input"]["rows"]
        finally:
            context.close()
        out[n]["painted_ms"] = _median(out[n]["painted"])
    return out
