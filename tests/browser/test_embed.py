"""The embeds for district offices (issue 15, point 6), in headless Debian chromium: framed by a page of another
origin whose policy runs no script, each shows in full in the frame its snippet sizes, and its link opens the
full measure page outside the frame."""

from __future__ import annotations

import functools
import html
import http.server
import json
import re
import threading

import pytest


@pytest.fixture()
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


def snippets(built_site) -> list[tuple[str, str]]:
    """(language, snippet) of every measure, from the site's own data."""
    out = []
    for path in sorted((built_site / "data" / "measures").rglob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        out += [(lang, data["embed"][lang]["snippet"]) for lang in ("zh", "en")]
    return out


@pytest.fixture()
def office(tmp_path):
    """Another origin on this machine (a server of its own, as chromium frames a local address only in a local
    page), serving the page a district office writes: the URL of ``office.html`` in ``tmp_path``."""
    handler = functools.partial(Quiet, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield tmp_path, f"http://127.0.0.1:{server.server_address[1]}/office.html"
    server.shutdown()
    server.server_close()


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def test_an_office_page_with_a_strict_policy_of_its_own_frames_an_embed(page, site_url, built_site, office):
    """The office's own Content-Security-Policy runs no script and allows frames from the site only: the embed
    still shows, and its link opens the measure page in a new window."""
    snippet = next(s for lang, s in snippets(built_site) if lang == "zh" and "/ft-ai-2025/art-1/" in s)
    origin = site_url.rstrip("/")
    folder, office_url = office
    framed = snippet.replace(' src="/', f' src="{origin}/')
    (folder / "office.html").write_text(
        f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" '
        f'content="default-src \'none\'; frame-src {origin}"><title>区政府网站</title></head><body>'
        f"<h1>区政府网站</h1>{framed}</body></html>", encoding="utf-8")
    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.goto(office_url)
    frame = page.frame_locator("iframe")
    frame.locator("h1").wait_for()
    assert "第一条" in frame.locator("h1").inner_text()
    assert frame.locator("[data-status]").get_attribute("data-status") in ("in-force", "expiring")
    assert problems == []  # nothing refused by either policy
    with page.context.expect_page() as opened:
        frame.locator("p.more a").click()
    assert opened.value.url == site_url + "policies/ft-ai-2025/art-1/"
    assert page.url == office_url  # the office's page stays


def test_every_embed_fits_the_height_of_its_snippet(page, site_url, built_site):
    """Shown at the snippet's width, no embed needs more height than its snippet gives (so no frame scrolls),
    in either language."""
    too_tall = []
    checked = 0
    for lang, snippet in snippets(built_site):
        src, width, height = re.search(r'src="/([^"]+)" .*width="(\d+)" height="(\d+)"', html.unescape(snippet)).groups()
        page.set_viewport_size({"width": int(width), "height": int(height)})
        page.goto(site_url + src)
        needed = page.evaluate("document.documentElement.scrollHeight")
        if needed > int(height):
            too_tall.append(f"{src}: {needed} > {height}")
        checked += 1
    assert too_tall == []
    assert checked > 100
