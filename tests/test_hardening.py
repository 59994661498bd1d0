"""Links that never break and pages that run nothing but their own code, on the built site."""

from __future__ import annotations

import html.parser
import pathlib
import posixpath
import re
import urllib.parse

from macros.csp import policy_for
from macros.redirects import write_redirects


class _Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.links, self.csp = set(), [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.ids.add(attrs["name"])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy":
            self.csp = attrs["content"]


def _pages(site: pathlib.Path) -> dict[str, _Page]:
    pages = {}
    for path in site.rglob("*.html"):
        parser = _Page()
        parser.feed(path.read_text(encoding="utf-8"))
        pages[path.relative_to(site).as_posix()] = parser
    return pages


def _target(page: str, href: str) -> tuple[str, str]:
    """The site file a relative link points to, and its fragment."""
    url = urllib.parse.urlsplit(href)
    path = posixpath.normpath(posixpath.join(posixpath.dirname(page), urllib.parse.unquote(url.path))) \
        if url.path else page
    if url.path.endswith("/") or path.endswith("/") or not posixpath.splitext(path)[1]:
        path = posixpath.join(path, "index.html")
    return path, urllib.parse.unquote(url.fragment)


def test_every_internal_anchor_exists(built_site):
    pages = _pages(built_site)
    broken, checked = [], 0
    for name, page in pages.items():
        for href in page.links:
            if re.match(r"[a-z][a-z0-9+.-]*:", href) or href.startswith("//"):
                continue
            path, fragment = _target(name, href)
            if not fragment or not path.endswith(".html"):
                continue
            checked += 1
            if path not in pages:
                broken.append(f"{name}: {href} (no page)")
            elif fragment not in pages[path].ids:
                broken.append(f"{name}: {href} (no #{fragment})")
    assert broken == [], broken[:20]
    assert checked > 500  # every measure section is linked to by anchor from several pages


def test_every_page_has_a_strict_content_security_policy(built_site):
    for name, page in _pages(built_site).items():
        if "http-equiv=\"refresh\"" in (built_site / name).read_text(encoding="utf-8"):
            continue  # redirect pages run no script at all
        assert page.csp, name
        script_src = next(d for d in page.csp.split("; ") if d.startswith("script-src"))
        assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src, name
        assert "http" not in page.csp, name  # no other origin


def test_the_policy_allows_only_the_pages_own_inline_scripts():
    policy = policy_for('<script>a()</script><script src="x.js"></script><script type="application/json">{}</script>')
    script_src = next(d for d in policy.split("; ") if d.startswith("script-src")).split()
    assert len([s for s in script_src if s.startswith("'sha256-")]) == 1
    assert "'wasm-unsafe-eval'" in script_src  # Pyodide compiles WebAssembly


def test_a_moved_measure_redirects_in_both_languages_to_a_page_that_exists(built_site, tmp_path):
    written = write_redirects(tmp_path, {"ft-ai-2025/art-99": "ft-ai-2025/art-1"})
    assert written == ["policies/ft-ai-2025/art-99/", "en/policies/ft-ai-2025/art-99/"]
    for rel in written:
        page = (tmp_path / rel / "index.html").read_text(encoding="utf-8")
        target = re.search(r'url=([^"]+)"', page).group(1)
        resolved = posixpath.normpath(posixpath.join(rel, target))
        assert (built_site / resolved / "index.html").is_file(), (rel, target)
