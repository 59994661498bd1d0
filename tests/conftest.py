"""Shared fixtures: the real policies, validated once per test session."""

from __future__ import annotations

import copy
import os

import pytest
import yaml

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


MOVED = {"ft-ai-2025/art-99": "ft-ai-2025/art-1"}  # a measure that moved, so the build writes a redirect


@pytest.fixture(scope="session")
def built_registry(tmp_path_factory):
    """The real registry, plus the moved measure of MOVED: the build's redirect pages are then tested
    whether or not the real registry has redirects yet."""
    from macros.registry import HEADER, REGISTRY, read_registry
    registry = read_registry(REGISTRY)[0]
    registry["published"] += [old for old in MOVED if old not in registry["published"]]
    registry["redirects"] = {**registry["redirects"], **MOVED}
    path = tmp_path_factory.mktemp("registry") / "published.yaml"
    path.write_text(HEADER + yaml.safe_dump(registry, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def built_site(tmp_path_factory, built_registry):
    """The real site, built once per session into a temporary folder."""
    from macros.build import build
    site_dir = tmp_path_factory.mktemp("built") / "site"
    build(site_dir, registry=built_registry)
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


def playwright_sync_api():
    """Playwright's sync API. Without it the browser tests are skipped on a contributor's machine, but
    fail where they must run: in CI (CI is set) and under `make test` (REQUIRE_BROWSER_TESTS=1)."""
    try:
        import playwright.sync_api as api
    except ImportError as err:
        if os.environ.get("CI") or os.environ.get("REQUIRE_BROWSER_TESTS"):
            pytest.fail(f"Playwright cannot be imported ({err}): the browser tests must run here (make setup)",
                        pytrace=False)
        pytest.skip(f"Playwright cannot be imported ({err})")
    return api


@pytest.fixture(scope="session")
def browser():
    """Headless Debian chromium through Playwright's sync API."""
    playwright_api = playwright_sync_api()
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is not installed (make setup-browser)")  # never a silent green
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()
