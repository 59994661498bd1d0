"""The checker's service worker: ``site/sw.js`` from ``checker/sw.js``, with this build's files and hashes.

It keeps both checker pages and every file they and the worker load (Pyodide, the slim standard library, the
wheel, the manifest and data index; the data parts as they are fetched), each by its sha256; its version is
the hash of them all, so any change to any of them is a new service worker. Written after the CSP, which
changes the pages.
"""

from __future__ import annotations

import hashlib
import json
import pathlib
import re

from .loader import ROOT

TEMPLATE = ROOT / "checker" / "sw.js"
PAGES = ("checker/", "en/checker/")
# Pyodide's files the worker asks for; not python_stdlib.zip, the slim library's fallback only.
RUNTIME = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib_slim.zip", "manifest.json",
           "worker.js", "checker.js", "checker.css", "profile-schema.json")
_LOADED = re.compile(r'<(?:link|script)\b[^>]*?\b(?:href|src)="([^"#?]+)')


def _page_files(site: pathlib.Path, page: str) -> set[str]:
    """The files a page loads itself (stylesheets, scripts, icons), as paths from the site's root."""
    html = (site / page / "index.html").read_text(encoding="utf-8")
    found = set()
    for ref in _LOADED.findall(html):
        if "//" in ref:
            continue
        path = (site / page / ref).resolve()
        if path.is_file() and path.suffix != ".html":
            found.add(path.relative_to(site.resolve()).as_posix())
    return found


def files(site: pathlib.Path) -> dict[str, str]:
    """Path from the site's root → sha256 of every file the service worker keeps from the start."""
    manifest = json.loads((site / "pyodide" / "manifest.json").read_text(encoding="utf-8"))
    wheel = next(iter(manifest["lock"]["packages"].values()))["file_name"]
    paths = {f"pyodide/{name}" for name in (*RUNTIME, wheel, manifest["index"])}
    for page in PAGES:
        paths |= _page_files(site, page)
    kept = {p: site / p for p in paths}
    kept.update({page: site / page / "index.html" for page in PAGES})
    return {p: hashlib.sha256(f.read_bytes()).hexdigest() for p, f in sorted(kept.items())}


def write_service_worker(site: pathlib.Path) -> pathlib.Path:
    kept = files(site)
    template = TEMPLATE.read_text(encoding="utf-8")
    version = hashlib.sha256(json.dumps([kept, template]).encode()).hexdigest()[:16]
    out = site / "sw.js"
    out.write_text(template.replace("{{VERSION}}", version).replace("{{FILES}}", json.dumps(kept, indent=1)),
                   encoding="utf-8")
    return out
