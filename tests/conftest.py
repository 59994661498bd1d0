"""Shared fixtures: the real policies, validated once per test session."""

from __future__ import annotations

import copy

import pytest

from calculator import Calculator
from macros.bundle import make_bundle
from macros.validate import load_policies


@pytest.fixture(scope="session")
def policies():
    return load_policies()


@pytest.fixture(scope="session")
def bundle(policies):
    return make_bundle(policies)


@pytest.fixture(scope="session")
def calc(bundle):
    return Calculator(copy.deepcopy(bundle))


# ── the built site, served locally, and a browser (site and browser tests) ──────────────────────────

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """The real site, built once per session into a temporary folder."""
    from macros.build import build
    site_dir = tmp_path_factory.mktemp("built") / "site"
    build(site_dir)
    return site_dir


@pytest.fixture(scope="session")
def site_url(built_site):
    """A local HTTP server for the built site; the base URL ends with a slash."""
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    """Headless Debian chromium through Playwright's sync API."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    import os
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is not installed (make setup-browser)")  # never a silent green
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()
