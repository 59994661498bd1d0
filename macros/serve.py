"""`make serve`: build the site, serve it, and rebuild and reload the browser on every change.

``python -m macros.serve [--port 8000] [--site-dir site]`` watches policies/, docs/, schema/, macros/,
overrides/, checker/, calculator/, mkdocs.yml and the CONTRIBUTING files the site includes (polling their
files' times: standard library only).
After a change the site is rebuilt by macros.build, which builds into a temporary folder and moves
the result into place only on success: a broken file prints its ``file:line: field: message`` here and
the last good site stays served.

The build runs in a child process that imports everything once, so that a change of a policy costs
only the build itself; a change of code, schema or configuration (macros/, schema/, calculator/,
mkdocs.yml) starts a new child, which imports the new code. The child keeps, between builds, what is
the same from one build to the next: the checker's files while their inputs are unchanged
(checker_assets.install with a cache), the compiled page templates, the HTML of pages whose Markdown is
unchanged, and the search index's parsing and segmentation of unchanged pages; the site it builds is
byte for byte a fresh build's (tests/test_serve.py).

Pages are served with a small script, ``/__live/reload.js``, added in the response only (the files
in site/ are the published ones): it listens to ``/__live/events`` (Server-Sent Events) and reloads
the page when a newer build is served. The site's Content-Security-Policy allows it as it stands: a
script from the same origin (script-src 'self') and a connection to it (connect-src 'self').
"""

from __future__ import annotations

import argparse
import copy
import functools
import http.server
import json
import logging
import os
import pathlib
import signal
import subprocess
import sys
import threading
import time
import traceback

from .loader import ROOT

WATCHED_DIRS = ("policies", "docs", "schema", "macros", "overrides", "checker", "calculator")
WATCHED_FILES = ("mkdocs.yml", "pyproject.toml", "package.json", "CONTRIBUTING.md", "CONTRIBUTING.zh.md")
# Read once by the build's process, or behind what it keeps between builds: a change starts a new one.
RESTART_DIRS = ("macros", "schema", "calculator")
RESTART_FILES = ("pyproject.toml", "package.json", "mkdocs.yml")
IGNORED_DIRS = {"__pycache__", "data"}  # calculator/data/bundle.json is written by every build
POLL_SECONDS = 0.1
CACHE = ROOT / "build" / "serve-cache"
LIVE = "/__live/"
RELOAD_JS = """\
// Served by `make serve` only (macros/serve.py): reload the page when a newer build of the site is served.
(() => {
  const built = new URL(document.currentScript.src).searchParams.get("v");
  const events = new EventSource("/__live/events");
  events.onmessage = (event) => { if (event.data !== built) location.reload(); };
})();
"""


# ── what changed ─────────────────────────────────────────────────────────────────────────────────

def snapshot(root: pathlib.Path = ROOT) -> dict[str, tuple[int, int]]:
    """Every watched file and its (modification time, size)."""
    found = {}

    def scan(folder: pathlib.Path):
        try:
            entries = list(os.scandir(folder))
        except OSError:
            return
        for entry in entries:
            name = entry.name
            if name.startswith((".", "#")) or name.endswith(("~", ".swp", ".swx", ".pyc")) or name == "4913":
                continue  # hidden, and editors' temporary files
            if entry.is_dir(follow_symlinks=False):
                if name not in IGNORED_DIRS:
                    scan(pathlib.Path(entry.path))
            else:
                try:
                    stat = entry.stat()
                except OSError:
                    continue
                found[os.path.relpath(entry.path, root)] = (stat.st_mtime_ns, stat.st_size)

    for name in WATCHED_DIRS:
        scan(root / name)
    for name in WATCHED_FILES:
        path = root / name
        if path.exists():
            stat = path.stat()
            found[name] = (stat.st_mtime_ns, stat.st_size)
    return found


def changes(before: dict, after: dict) -> list[str]:
    """The files added, removed or modified between two snapshots.

    >>> changes({"a": (1, 1), "b": (1, 1)}, {"a": (2, 1), "c": (1, 1)})
    ['a', 'b', 'c']
    """
    return sorted(path for path in before.keys() | after.keys() if before.get(path) != after.get(path))


def needs_new_process(paths: list[str]) -> bool:
    """Whether a change is to code or schema, which the build's process has imported."""
    return any(pathlib.PurePath(p).parts[0] in RESTART_DIRS or p in RESTART_FILES for p in paths)


# ── the build, in a child process ────────────────────────────────────────────────────────────────

def keep_between_builds() -> None:
    """What the child keeps from one build to the next (its results are those of a fresh build)."""
    import jinja2
    import mkdocs.theme

    class InMemory(jinja2.BytecodeCache):  # compiled templates; a changed template has a new checksum
        def __init__(self):
            self.kept = {}

        def load_bytecode(self, bucket):
            checksum, code = self.kept.get(bucket.key, (None, None))
            if checksum == bucket.checksum:
                bucket.code = code

        def dump_bytecode(self, bucket):
            self.kept[bucket.key] = (bucket.checksum, bucket.code)

    templates = InMemory()
    get_env = mkdocs.theme.Theme.get_env

    def theme_env(self):
        env = get_env(self)
        env.bytecode_cache = templates
        return env

    mkdocs.theme.Theme.get_env = theme_env
    _keep_rendered_pages()
    try:
        from material.plugins.search import plugin as search
    except ImportError:
        return
    # Material's search index: a page's sections are parsed from its HTML, and their Chinese is segmented
    # by jieba; the same HTML gives the same sections, the same text the same words (jieba's dictionaries come
    # from mkdocs.yml, schema/, macros/ and calculator/, whose change starts a new process).
    parse, parsed = search.Parser, {}

    class RememberingParser:
        def feed(self, html):
            self.html = html

        def close(self):
            if self.html not in parsed:
                parser = parse()
                parser.feed(self.html)
                parser.close()
                parsed[self.html] = parser.data
            self.data = copy.deepcopy(parsed[self.html])  # the index may change a section's title

    search.Parser = RememberingParser
    segment, words = search.SearchIndex._segment_chinese, {}

    def remembered(self, data):
        if data not in words:
            words[data] = segment(self, data)
        return words[data]

    search.SearchIndex._segment_chinese = remembered


class _Warnings(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record):
        self.count += 1


def _keep_rendered_pages() -> None:
    """A page whose Markdown (after the macros), address, language and site files are those of a page
    rendered before renders the same HTML: reuse it, with its table of contents and anchors. Not for a
    page that includes another file (a snippet), nor when rendering warned (the strict build must see the
    warning again). The anchors it links to are checked again on every build, against this build's pages.
    """
    from mkdocs.structure import pages

    render, rendered, signature = pages.Page.render, {}, [None, None]

    def files_key(files):
        if signature[0] is not files:
            signature[:] = [files, hash(tuple(sorted(files.src_uris)))]
        return signature[1]

    def remembered(self, config, files):
        if self.markdown is None or "--8<--" in self.markdown:
            return render(self, config, files)
        key = (self.file.src_uri, self.file.url, self.markdown, str(config["theme"]["language"]), files_key(files))
        if key not in rendered:
            warnings = _Warnings()
            logging.getLogger("mkdocs").addHandler(warnings)
            try:
                render(self, config, files)
            finally:
                logging.getLogger("mkdocs").removeHandler(warnings)
            if not warnings.count:
                links = None if self.links_to_anchors is None else {
                    target.src_uri: dict(anchors) for target, anchors in self.links_to_anchors.items()}
                rendered[key] = (self.content, copy.deepcopy(self.toc), self._title_from_render,
                                 set(self.present_anchor_ids), links)
            return None
        content, toc, title, anchors, links = rendered[key]
        self.content, self.toc, self._title_from_render = content, copy.deepcopy(toc), title
        self.present_anchor_ids = set(anchors)
        if links is not None:
            self.links_to_anchors = {files.get_file_from_path(src): dict(a) for src, a in links.items()}
        return None

    pages.Page.render = remembered


def worker(site_dir: pathlib.Path) -> int:
    """The child: one build per line read, one JSON line of result per build on the original stdout."""
    answers = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # anything else printed goes to the terminal's error stream, not into the answers
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(name)s: %(message)s")
    from mkdocs.exceptions import MkDocsException

    from .build import build
    from .validate import InvalidPolicies

    keep_between_builds()
    for _ in sys.stdin:
        started = time.perf_counter()
        ok = False
        try:
            build(site_dir, checker_cache=CACHE)
            ok = True
        except InvalidPolicies as error:
            for problem in error.problems:
                print(problem, file=sys.stderr)
        except MkDocsException as error:  # strict mode: the warnings are printed above
            print(f"MkDocs: {error}", file=sys.stderr)
        except Exception:  # noqa: BLE001 - a broken macro must not end the preview
            traceback.print_exc()
        sys.stderr.flush()
        answers.write(json.dumps({"ok": ok, "seconds": round(time.perf_counter() - started, 3)}) + "\n")
    return 0


class Builder:
    """The parent's handle on the child that builds."""

    def __init__(self, site_dir: pathlib.Path):
        self.site_dir = site_dir
        self.child: subprocess.Popen | None = None

    def start(self) -> None:
        self.stop()
        self.child = subprocess.Popen([sys.executable, "-m", "macros.serve", "--worker", "--site-dir",
                                       str(self.site_dir)], cwd=ROOT, stdin=subprocess.PIPE,
                                      stdout=subprocess.PIPE, text=True, bufsize=1)

    def build(self) -> dict:
        if self.child is None or self.child.poll() is not None:
            self.start()
        try:
            self.child.stdin.write("build\n")
            self.child.stdin.flush()
            line = self.child.stdout.readline()
        except (BrokenPipeError, OSError):
            line = ""
        if not line:  # it could not even import the build: the error is printed above
            self.stop()
            return {"ok": False, "seconds": 0.0}
        return json.loads(line)

    def stop(self) -> None:
        if self.child is not None:
            if self.child.poll() is None:
                self.child.stdin.close()
                try:
                    self.child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.child.kill()
            self.child = None


# ── serving ──────────────────────────────────────────────────────────────────────────────────────

class Live:
    """The number of the build being served, for the pages' event streams."""

    def __init__(self):
        self.version = 1
        self.changed = threading.Condition()

    def bump(self) -> None:
        with self.changed:
            self.version += 1
            self.changed.notify_all()

    def wait(self, seen: int | None, timeout: float) -> int:
        with self.changed:
            self.changed.wait_for(lambda: self.version != seen, timeout=timeout)
            return self.version


class Handler(http.server.SimpleHTTPRequestHandler):
    live: Live

    def log_message(self, *args):  # the terminal is for the builds' messages
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "no-cache")  # a reload must show the new build
        super().end_headers()

    def do_GET(self):
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        if path == LIVE + "reload.js":
            return self._send(RELOAD_JS.encode("utf-8"), "text/javascript; charset=utf-8")
        if path == LIVE + "events":
            return self._events()
        page = pathlib.Path(self.translate_path(path))
        if page.is_dir() and path.endswith("/"):
            page = page / "index.html"
        if page.suffix == ".html" and page.is_file():
            html = page.read_text(encoding="utf-8")
            tag = f'<script src="{LIVE}reload.js?v={self.live.version}"></script>'
            html = html.replace("</body>", tag + "</body>", 1) if "</body>" in html else html + tag
            return self._send(html.encode("utf-8"), "text/html; charset=utf-8")
        return super().do_GET()

    def _send(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _events(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        seen = None
        while True:
            version = self.live.wait(seen, timeout=15)
            try:
                self.wfile.write(f"data: {version}\n\n".encode() if version != seen else b": still here\n\n")
                self.wfile.flush()
            except OSError:
                return  # the page went away
            seen = version


def _drafts(paths: list[str]) -> list[str]:
    out = []
    for path in paths:
        file = ROOT / path
        if (path.startswith("policies/") and path.endswith(".yaml") and file.is_file()
                and "\ndraft: true" in "\n" + file.read_text(encoding="utf-8")):
            out.append(path)
    return out


def serve(host: str, port: int, site_dir: pathlib.Path) -> None:
    live, builder = Live(), Builder(site_dir)

    def rebuild(paths: list[str]) -> bool:
        what = ", ".join(paths[:3]) + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")
        if paths and needs_new_process(paths):
            builder.start()
        result = builder.build()
        if result["ok"]:
            if paths:
                live.bump()
            print(f"{what or 'site'}: built in {result['seconds']:.1f} s", flush=True)
        else:
            print(f"{what or 'site'}: build failed (above); the last good site is still served", flush=True)
        for draft in _drafts(paths):
            print(f"{draft} is a draft: the site leaves it out until `draft: true` is deleted "
                  "(make validate lists what remains)", flush=True)
        return result["ok"]

    print("Building the site…", flush=True)
    seen = snapshot()
    if not rebuild([]) and not site_dir.exists():
        print("No site to serve yet: fix the problem above, and the next save builds it.", flush=True)
    handler = functools.partial(type("LiveHandler", (Handler,), {"live": live}), directory=str(site_dir))
    server = http.server.ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"Serving http://{host}:{server.server_address[1]}/ — rebuilt on every change (Ctrl-C to stop)",
          flush=True)
    try:
        while True:
            time.sleep(POLL_SECONDS)
            now = snapshot()
            if now == seen:
                continue
            time.sleep(0.05)  # an editor may write in several steps
            now = snapshot()
            changed, seen = changes(seen, now), now
            rebuild(changed)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        builder.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000, help="0: any free port (printed)")
    parser.add_argument("--site-dir", type=pathlib.Path, default=ROOT / "site")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    site_dir = args.site_dir.resolve()
    if args.worker:
        return worker(site_dir)
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # stop as on Ctrl-C: the child too
    serve(args.host, args.port, site_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
