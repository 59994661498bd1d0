"""The checker in a real browser (Debian chromium), on the built site served locally.

Every row the page shows is compared with ``python -m calculator evaluate`` for the same profile, in both
languages, for profiles given through the share link and through the form. The page must request nothing
from another origin, log no console error, and the other pages must fetch none of Pyodide.

Screenshots go to $SCREENSHOTS (a temporary folder when unset).
"""

from __future__ import annotations

import base64
import json
import os
import pathlib
import random
import subprocess
import sys
import time
import urllib.parse

import pytest

LANGS = {"zh": "checker/", "en": "en/checker/"}
AXE = pathlib.Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
TIMEOUT = 90_000  # ms; a cold Pyodide boot takes a few seconds

PROFILES = {
    "tongzhou-vouchers": {"district": "tongzhou", "compute_spend": 3_000_000, "model_spend": 500_000,
                          "data_purchase": 12_000_000, "as_of": "2026-06-30"},
    "fengtai-industrial": {"district": "fengtai", "ai_partner": True, "industrial_ai": True, "industrial_project": True,
                           "compute_spend": 20_000_000, "model_spend": 3_000_000, "activities": ["model-rnd", "agents"],
                           "above_designated_size": True, "as_of": "2026-06-30"},
    "haidian-many-answers": {"district": "haidian", "entity_kinds": ["enterprise", "incubator"], "industry_code": "65",
                             "revenue": 80_000_000, "revenue_prev": 50_000_000, "rnd_spend": 9_000_000,
                             "rnd_spend_prev": 6_000_000, "new_recognitions": ["high-tech-enterprise", "dcmm"],
                             "standards_led": ["national"], "new_genai_filing": True, "incubated_companies": 4,
                             "activities": [], "loan_amount": 20_000_000, "as_of": "2025-12-31"},
    "before-the-policies": {"district": "chaoyang", "compute_spend": 5_000_000, "as_of": "2024-01-01"},
}


def b64url(profile) -> str:
    return b64text(json.dumps(profile, ensure_ascii=False))


def b64text(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode("utf-8")).decode().rstrip("=")


def cli_report(profile: dict, tmp_path: pathlib.Path) -> dict:
    path = tmp_path / "profile.json"
    path.write_text(json.dumps(profile, ensure_ascii=False), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "calculator", "evaluate", str(path)], capture_output=True, text=True,
                          check=True)
    return json.loads(done.stdout)


def expected_rows(report: dict) -> dict:
    return {f"{r['policy']}/{r['measure']}": (r["status"], "" if r["max_amount"] is None else str(r["max_amount"]))
            for r in report["results"]}


class Visit:
    """One browser context and page, recording console errors and every request (the worker's included)."""

    def __init__(self, browser, site_url):
        self.origin = site_url.rstrip("/")
        self.context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
        self.errors, self.requests = [], []
        self.context.on("request", lambda r: self.requests.append(r.url))
        self.page = self.context.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))

    def _console(self, msg):
        if msg.type == "error":
            self.errors.append(f"{msg.text} ({msg.location.get('url')})")

    def evaluations(self) -> int:
        return int(self.page.eval_on_selector("#checker-app", "e => e.dataset.evaluations || 0"))

    def wait_for_result(self, after: int) -> None:
        self.page.wait_for_function(
            f"() => {{ const c = document.querySelector('#checker-app');"
            f" return c && !c.dataset.pending && Number(c.dataset.evaluations || 0) > {after}; }}", timeout=TIMEOUT)

    def rows(self) -> dict:
        return {m: (s, a) for m, s, a in self.page.eval_on_selector_all(
            "[data-measure]", "els => els.map(e => [e.dataset.measure, e.dataset.status, e.dataset.maxAmount])")}

    def total(self) -> int:
        return int(self.page.get_attribute(".ck-total", "data-total"))

    def off_origin(self) -> list[str]:
        return [u for u in self.requests if not u.startswith(self.origin + "/") and not u.startswith("data:")]

    def close(self):
        self.context.close()


@pytest.fixture
def visit(browser, site_url):
    opened = []

    def open_(url: str) -> Visit:
        v = Visit(browser, site_url)
        opened.append(v)
        v.page.goto(url)
        return v

    yield open_
    for v in opened:
        v.close()


def shots_dir(tmp_path) -> pathlib.Path:
    path = pathlib.Path(os.environ.get("SCREENSHOTS") or tmp_path)
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.mark.parametrize("lang", LANGS)
def test_profiles_through_the_link(lang, visit, site_url, built_site, tmp_path):
    names = list(PROFILES)
    started = time.perf_counter()
    v = visit(f"{site_url}{LANGS[lang]}#profile={b64url(PROFILES[names[0]])}")
    v.wait_for_result(0)
    first = time.perf_counter() - started
    for i, name in enumerate(names):
        if i:  # the same page, a new fragment: the page follows it without reloading
            before = v.evaluations()
            # The answers of the link before were kept on the device; this test is about links alone.
            v.page.evaluate("() => localStorage.clear()")
            v.page.goto(f"{site_url}{LANGS[lang]}#profile={b64url(PROFILES[name])}")
            v.wait_for_result(before)
        report = cli_report(PROFILES[name], tmp_path)
        assert v.rows() == expected_rows(report), name
        assert v.total() == report["total"]["amount"], name
        assert v.page.is_hidden(".ck-notice"), name
        assert v.page.input_value("#f-as_of") == PROFILES[name]["as_of"]
        if name == "tongzhou-vouchers":
            assert v.rows()["tz-ai-2025/art-1"] == ("conditional", "500000")
            heading = {"zh": "合计：按规定可得（上限估算，并非承诺）",
                       "en": "Total of entitlements (an upper bound, not a promise)"}[lang]
            assert v.page.inner_text(".ck-total h2") == heading
            text = v.page.inner_text("#checker-app")
            assert not [w for w in ("null", "undefined", "[object", "NaN") if w in text.split() or "[object" in text]
            assert v.page.inner_text("[data-measure='tz-ai-2025/art-1'] .ck-badge") == \
                {"zh": "可能适用，须满足所列要求", "en": "may apply if the requirements listed are met"}[lang]
            # 应用成效显著 is not asked: it is listed beside the result, in the text's own words.
            assert "对于应用成效显著的" in v.page.inner_text("[data-measure='tz-ai-2025/art-1'] .ck-requirements")
            # 通州's dates are not known: its amounts are shown apart, never in the headline total.
            assert v.total() == 0
            apart = v.page.inner_text("[data-subtotal='validity_unknown']")
            assert f"{report['total']['validity_unknown']['amount']:,}" in apart
            # Every link of the results (titles and cited clauses) leads to a page of the built site. The
            # explanations are drawn when opened: open them all first.
            v.page.evaluate("() => document.querySelectorAll('details.ck-steps').forEach(d => { d.open = true; })")
            v.page.wait_for_function(
                "() => [...document.querySelectorAll('details.ck-steps ol')].every(o => o.childElementCount > 0)")
            assert v.page.locator("a.ck-cite").count() > 50
            hrefs = v.page.eval_on_selector_all(".ck-results a[href^='../']", "els => els.map(a => a.href)")
            assert hrefs
            for href in set(hrefs):
                path = urllib.parse.urlparse(href).path.lstrip("/")
                assert (built_site / path / "index.html").is_file(), href
            # axe-core (the pinned npm package) finds no accessibility violation in the form and results.
            v.page.evaluate(AXE.read_text(encoding="utf-8"))  # not a script tag: the CSP forbids inline ones
            violations = v.page.evaluate(
                "() => axe.run('#checker-app').then(r => r.violations.map(x => x.id + ': ' + x.help))")
            assert violations == []
            # Screenshot with one explanation open, then the print layout.
            v.page.locator(".ck-row .ck-steps summary").first.click()
            v.page.evaluate("window.scrollTo(0, 0)")
            shots = shots_dir(tmp_path)
            v.page.screenshot(path=str(shots / f"checker-{lang}.png"))
            v.page.screenshot(path=str(shots / f"checker-{lang}-full.png"), full_page=True)
            v.page.emulate_media(media="print")
            v.page.screenshot(path=str(shots / f"checker-{lang}-print.png"), full_page=True)
            v.page.emulate_media(media="screen")
    assert v.errors == []
    assert v.off_origin() == []
    assert any(u.endswith("/pyodide/pyodide.asm.wasm") for u in v.requests)
    # The slim standard library was enough: the full one is only its fallback.
    assert any(u.endswith("/pyodide/python_stdlib_slim.zip") for u in v.requests)
    assert not any(u.endswith("/pyodide/python_stdlib.zip") for u in v.requests)
    # Only the data of the jurisdictions asked about: the city's, and each district the profiles named.
    parts = {u.rsplit("/", 1)[1].split(".")[0] for u in v.requests if "/pyodide/data/" in u}
    assert parts == {"index", "beijing", "tongzhou", "fengtai"}, parts
    print(f"\n{lang}: first result {first:.1f} s after opening the page")


def test_form_entry_zh(visit, site_url, tmp_path):
    v = visit(f"{site_url}checker/")
    v.wait_for_result(0)  # the empty form is evaluated once Python is ready
    page = v.page
    before = v.evaluations()
    page.fill("#f-as_of", "2026-06-30")
    page.select_option("#f-district", "fengtai")
    page.check("#f-ai_partner-true")
    page.check("#f-industrial_ai-false")
    page.fill("#f-compute_spend", "5,000,000")
    page.check("#f-activities-model-rnd")
    v.wait_for_result(before)
    profile = {"as_of": "2026-06-30", "district": "fengtai", "ai_partner": True, "industrial_ai": False,
               "compute_spend": 5_000_000, "activities": ["model-rnd"]}
    report = cli_report(profile, tmp_path)
    assert v.rows() == expected_rows(report)
    assert v.rows()["ft-ai-2025/art-1"] == ("eligible", "1000000")
    assert v.total() == report["total"]["amount"]
    assert "5,000,000" in page.inner_text("#f-compute_spend-msg")
    # The share link holds exactly this profile, and opening it shows the same rows.
    page.click("text=生成分享链接")
    url = page.input_value(".ck-share-url")
    fragment = urllib.parse.urlparse(url).fragment
    assert fragment.startswith("profile=")
    raw = fragment[len("profile="):]
    assert json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode("utf-8")) == profile
    before = v.evaluations()
    page.fill("#f-compute_spend", "")
    v.wait_for_result(before)
    assert v.rows()["ft-ai-2025/art-1"][0] == "unknown"  # unanswered is unknown, never zero
    before = v.evaluations()
    page.goto(url)
    v.wait_for_result(before)
    assert v.rows() == expected_rows(report)
    assert v.errors == [] and v.off_origin() == []


def test_form_entry_en(visit, site_url, tmp_path):
    v = visit(f"{site_url}en/checker/")
    v.wait_for_result(0)
    page = v.page
    before = v.evaluations()
    page.fill("#f-as_of", "2026-06-30")
    page.select_option("#f-district", "tongzhou")
    page.fill("#f-compute_spend", "3000000")
    page.fill("#f-model_spend", "500,000")
    page.fill("#f-data_purchase", "12 000 000")
    page.check("#f-activities--none")
    v.wait_for_result(before)
    profile = {"as_of": "2026-06-30", "district": "tongzhou", "compute_spend": 3_000_000, "model_spend": 500_000,
               "data_purchase": 12_000_000, "activities": []}
    report = cli_report(profile, tmp_path)
    assert v.rows() == expected_rows(report)
    assert v.total() == report["total"]["amount"]
    assert "upper bound" in page.inner_text(".ck-total").lower()
    # A wrong amount is flagged beside its field once the field is left, and left out (unknown), not read as zero.
    before = v.evaluations()
    page.fill("#f-model_spend", "half a million")
    page.locator("#f-model_spend").blur()
    v.wait_for_result(before)
    assert page.get_attribute("#f-model_spend", "aria-invalid") == "true"
    assert "whole number" in page.inner_text("#f-model_spend-msg")
    del profile["model_spend"]
    assert v.rows() == expected_rows(cli_report(profile, tmp_path))
    assert v.errors == [] and v.off_origin() == []


BAD_FRAGMENTS = {
    "not base64": ("#profile=%%%not*base64", {"zh": "无法读取", "en": "cannot be read"}),
    "not JSON": ("#profile=" + base64.urlsafe_b64encode(b"{district: tongzhou").decode().rstrip("="),
                 {"zh": "无法读取", "en": "cannot be read"}),
    "not an object": ("#profile=" + b64url([1, 2]), {"zh": "无法读取", "en": "cannot be read"}),
    "cut short": ("#profile=" + b64url(PROFILES["tongzhou-vouchers"])[:-9], {"zh": "无法读取", "en": "cannot be read"}),
    "outdated": ("#profile=" + b64url({"profile_version": 0, "district": "tongzhou"}),
                 {"zh": "第 0 版", "en": "format 0"}),
    "bad values": ("#profile=" + b64url({"district": "tongzhou", "compute_spend": -5, "as_of": "2026-06-30"}),
                   {"zh": "compute_spend", "en": "compute_spend"}),
    # Names every object inherits: `in` found them, and filling the form threw a TypeError.
    **{f"inherited key {key}": ("#profile=" + b64url({"district": "tongzhou", key: 1}),
                                {"zh": f"{key}: 未知字段", "en": f"{key}: unknown field"})
       for key in ("constructor", "__proto__", "toString", "hasOwnProperty", "valueOf")},
    "1e400": ("#profile=" + b64text('{"district": "tongzhou", "compute_spend": 1e400}'),
              {"zh": "compute_spend: 数字过大", "en": "compute_spend: a number too large to be read exactly"}),
    "unsafe integer": ("#profile=" + b64text('{"compute_spend": 9007199254740993}'),
                       {"zh": "compute_spend: 数字过大", "en": "compute_spend: a number too large"}),
    "nested 2000 deep": ("#profile=" + b64text('{"activities": ' + "[" * 2000 + "]" * 2000 + "}"),
                         {"zh": "嵌套超过 3 层", "en": "nested more than 3 levels deep"}),
    "nested 100000 deep": ("#profile=" + b64text("[" * 100_000), {"zh": "过长", "en": "longer than 8,192 characters"}),
    "a list where a number goes": ("#profile=" + b64url({"compute_spend": [1, 2]}),
                                   {"zh": "compute_spend: 应为数字", "en": "compute_spend: must be a number"}),
    "a number where a list goes": ("#profile=" + b64url({"activities": 5}),
                                   {"zh": "activities: 应为文字列表", "en": "activities: must be a list of texts"}),
    "invisible characters in a key": ("#profile=" + b64url({"co\u202elour\u001b": 1}),
                                      {"zh": "co\\u202elour\\u001b: 未知字段", "en": "co\\u202elour\\u001b: unknown field"}),
}


@pytest.mark.parametrize("lang", LANGS)
def test_bad_links_give_a_message_and_an_empty_form(lang, visit, site_url):
    v = visit(f"{site_url}{LANGS[lang]}")
    v.wait_for_result(0)
    for name, (fragment, words) in BAD_FRAGMENTS.items():
        before = v.evaluations()
        v.page.goto(f"{site_url}{LANGS[lang]}{fragment}")
        v.wait_for_result(before)
        assert v.page.is_visible(".ck-notice"), name
        assert words[lang] in v.page.inner_text(".ck-notice"), name
        assert v.page.input_value("#f-compute_spend") == "", name
        assert v.page.input_value("#f-district") == "", name
        assert len(v.rows()) > 0, name  # the page still works: the empty form's results
    before = v.evaluations()
    v.page.goto(f"{site_url}{LANGS[lang]}#profile={b64url(PROFILES['tongzhou-vouchers'])}")
    v.wait_for_result(before)
    assert v.page.is_hidden(".ck-notice")
    assert v.rows()["tz-ai-2025/art-1"] == ("conditional", "500000")
    assert v.errors == [] and v.off_origin() == []


def test_a_wheel_not_matching_the_lockfile_is_refused(visit, site_url):
    """The browser checks the lockfile's sha256 (fetch integrity): a different wheel never runs."""
    def tamper(route):
        response = route.fetch()
        manifest = response.json()
        for entry in manifest["lock"]["packages"].values():
            entry["sha256"] = "0" * 64
        route.fulfill(response=response, body=json.dumps(manifest))

    v = visit("about:blank")
    v.context.route("**/pyodide/manifest.json", tamper)
    v.page.goto(f"{site_url}en/checker/")
    v.page.wait_for_selector("#checker-app[data-state=failed]", timeout=TIMEOUT)
    assert "could not load" in v.page.inner_text(".ck-loading")
    assert v.page.query_selector("[data-measure]") is None


HOSTILE_KEYS = ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf", "prototype", "co\u202elour",
                "\u0000", "district", "compute_spend", "activities", "as_of", "ai_partner", "profile_version"]
HOSTILE_VALUES = ["1e400", "-1e400", "9007199254740993", "9" * 400, "1.5", "-5", "null", "true", '"tongzhou"',
                  '"2025W011"', '"\\u202e"', "[]", '["model-rnd"]', "{}", '{"a": 1}', "[[[[1]]]]", '"' + "x" * 3000 + '"']


def hostile_link(rng: random.Random) -> str:
    """A share link as an attacker would write it: inherited keys, huge numbers, nesting, junk."""
    pairs = [f'"{rng.choice(HOSTILE_KEYS)}": {rng.choice(HOSTILE_VALUES)}' for _ in range(rng.randrange(1, 5))]
    text = "{" + ", ".join(pairs) + "}"
    if rng.random() < 0.2:
        text = "[" * rng.choice([3, 4, 500, 20_000]) + text
    encoded = b64text(text)
    return "#profile=" + (encoded[: rng.randrange(len(encoded))] if rng.random() < 0.1 else encoded)


def test_random_hostile_links_give_a_notice_or_results_never_an_error(visit, site_url):
    """Fuzzing the share link in the real page: after each link the page shows either a notice or the
    results of a valid profile, logs no error, and keeps working."""
    v = visit(f"{site_url}en/checker/")
    v.wait_for_result(0)
    rng = random.Random(12)
    for i in range(40):
        fragment = hostile_link(rng)
        before = v.evaluations()
        v.page.goto(f"{site_url}en/checker/{fragment}")
        v.wait_for_result(before)
        assert v.page.is_visible(".ck-notice") or v.page.is_hidden(".ck-notice") and len(v.rows()) > 0, fragment
        assert v.errors == [], (i, fragment[:200], v.errors)
    before = v.evaluations()
    v.page.evaluate("() => localStorage.clear()")  # no saved answers: the link's are taken without a notice
    v.page.goto(f"{site_url}en/checker/#profile={b64url(PROFILES['tongzhou-vouchers'])}")
    v.wait_for_result(before)
    assert v.rows()["tz-ai-2025/art-1"] == ("conditional", "500000") and v.page.is_hidden(".ck-notice")


def failed_text(v) -> str:
    v.page.wait_for_selector("#checker-app[data-state=failed]", timeout=TIMEOUT)
    assert v.page.query_selector("[data-measure]") is None
    return v.page.inner_text(".ck-loading")


def test_a_missing_runtime_file_is_named_at_once(visit, site_url):
    """pyodide.asm.wasm answered 404: Pyodide alone waits for ever; the page names the file and says what
    to do, long before the time limit."""
    v = visit("about:blank")
    v.context.route("**/pyodide/pyodide.asm.wasm", lambda route: route.fulfill(status=404, body="gone"))
    started = time.perf_counter()
    v.page.goto(f"{site_url}en/checker/")
    text = failed_text(v)
    assert time.perf_counter() - started < 30
    assert "could not load: pyodide.asm.wasm: HTTP 404" in text and "Reload the page" in text, text
    assert v.page.get_attribute(".ck-loading a", "href") == "../compare/"  # the tables, as the hint says


def test_a_runtime_file_that_never_arrives_fails_at_the_time_limit(visit, site_url):
    v = visit("about:blank")
    v.page.add_init_script("window.__checkerBootLimitMs = 3000")  # instead of a minute
    v.context.route("**/pyodide/python_stdlib_slim.zip", lambda route: None)  # never answered
    v.page.goto(f"{site_url}checker/")
    text = failed_text(v)
    assert "Python 运行环境在 3 秒内未能下载完成" in text and "请刷新页面重试" in text, text


def test_a_worker_that_dies_after_the_page_adopted_it_is_reported(visit, site_url):
    v = visit("about:blank")
    v.context.route("**/pyodide/worker.js", lambda route: route.fulfill(
        status=200, content_type="text/javascript",
        body='postMessage({type: "progress", stage: "runtime", ms: 0});'
             'setTimeout(() => { throw new Error("out of memory"); }, 2500);'))
    v.page.goto(f"{site_url}en/checker/")
    v.page.wait_for_function("() => document.querySelector('#checker-app form fieldset')")  # mounted
    assert "out of memory" in failed_text(v)


def test_works_under_a_sub_path(browser, built_site, tmp_path):
    """GitHub Pages serves a project site under /<repo>/: every URL of the checker is relative."""
    import functools
    import http.server
    import threading

    (tmp_path / "repo-name").symlink_to(built_site, target_is_directory=True)

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(tmp_path)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    root = f"http://127.0.0.1:{server.server_address[1]}/repo-name/"
    v = Visit(browser, root)
    try:
        v.page.goto(f"{root}en/checker/#profile={b64url(PROFILES['tongzhou-vouchers'])}")
        v.wait_for_result(0)
        assert v.rows()["tz-ai-2025/art-1"] == ("conditional", "500000")
        outside = [u for u in v.requests if not u.startswith(root)]
        assert outside == []
        assert v.errors == []
    finally:
        v.close()
        server.shutdown()
        server.server_close()


def test_other_pages_fetch_no_pyodide(visit, site_url):
    for path in ("", "en/", "compare/", "en/data/"):
        v = visit(f"{site_url}{path}")
        v.page.wait_for_load_state("networkidle")
        assert [u for u in v.requests if "/pyodide/" in u] == [], path
        assert v.page.query_selector("#checker-app") is None


def test_without_javascript_the_page_points_to_the_tables(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        for path, words in (("checker/", "需要启用 JavaScript"), ("en/checker/", "needs JavaScript")):
            page.goto(f"{site_url}{path}")
            text = page.inner_text("article")
            assert words in text
            assert page.locator("noscript a[href='../compare/']").count() == 1
    finally:
        context.close()


INDEXES = ("performance.getEntriesByType('resource').map(r => new URL(r.name).pathname)"
           ".filter(p => p.includes('/search/search_index'))")
INDEXES_REQUESTED = f"() => {INDEXES}"


def index_requested(page) -> bool:
    return bool(page.evaluate(INDEXES_REQUESTED))


def test_no_page_fetches_the_search_index_before_the_search_box_is_opened(visit, site_url):
    v = visit(f"{site_url}checker/#profile={b64url(PROFILES['tongzhou-vouchers'])}")
    v.wait_for_result(0)
    m = visit(f"{site_url}en/policies/ft-ai-2025/art-1/")
    m.page.wait_for_load_state("networkidle")
    for page, lang in ((v.page, "zh"), (m.page, "en")):
        page.wait_for_timeout(500)
        assert not index_requested(page)
        page.locator("input.md-search__input").click()
        page.wait_for_function(f"() => {INDEXES}.length > 0", timeout=TIMEOUT)
        # The page's own language's index, and only it (macros/hook_search.py).
        assert [p.rsplit("/", 1)[1] for p in page.evaluate(INDEXES_REQUESTED)] == [f"search_index.{lang}.json"]
    assert v.errors == [] and m.errors == []


def test_a_second_visit_works_offline(visit, site_url, tmp_path):
    """After one visit, a service worker keeps this build's checker and the data it used."""
    profile = PROFILES["fengtai-industrial"]
    v = visit(f"{site_url}checker/#profile={b64url(profile)}")
    v.wait_for_result(0)
    assert v.page.evaluate("() => globalThis.__checkerOffline") is True
    v.context.set_offline(True)
    again = v.context.new_page()
    again.goto(f"{site_url}en/checker/#profile={b64url(profile)}")
    again.wait_for_function("() => document.querySelector('#checker-app')?.dataset.evaluations", timeout=TIMEOUT)
    rows = {m: (s, a) for m, s, a in again.eval_on_selector_all(
        "[data-measure]", "els => els.map(e => [e.dataset.measure, e.dataset.status, e.dataset.maxAmount])")}
    assert rows == expected_rows(cli_report(profile, tmp_path))
    assert v.errors == []


@pytest.mark.parametrize("lang,query", [("zh", "算力券"), ("en", "data voucher")])
def test_search_works_on_the_checker_page_before_python_is_ready(visit, site_url, lang, query):
    v = visit("about:blank")
    held = []  # the worker's manifest waits until the search has answered: Python cannot be ready before
    v.context.route("**/pyodide/manifest.json", lambda route: held.append(route))
    v.page.goto(site_url + LANGS[lang])
    v.page.locator("input.md-search__input").click()
    box = v.page.locator("input.md-search__input")
    box.fill(query)
    box.press("End")  # Material reads the query on keyup (tests/browser/test_search.py says why)
    v.page.wait_for_function(
        "() => /\\d/.test(document.querySelector('.md-search-result__meta').textContent)", timeout=TIMEOUT)
    assert v.page.locator(".md-search-result__item > a").count() > 0
    assert v.page.evaluate("() => document.querySelector('#checker-app').dataset.state !== 'done'")
    assert len(held) == 1
    held[0].continue_()
    v.wait_for_result(0)
    assert v.errors == []


def test_the_printed_summary_lists_the_answers(visit, site_url):
    """The answers behind the figures are drawn for print (on beforeprint), after every change; a link's
    profile_version and unanswered (null) fields are not answers."""
    from calculator import PROFILE_VERSION

    profile = PROFILES["tongzhou-vouchers"] | {"profile_version": PROFILE_VERSION, "revenue": None}
    v = visit(f"{site_url}checker/#profile={b64url(profile)}")
    v.wait_for_result(0)
    assert v.page.inner_text(".ck-profile") == ""  # hidden on screen, and not drawn until printed
    v.page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    summary = dict(zip(v.page.locator(".ck-profile dt").all_inner_texts(),
                       v.page.locator(".ck-profile dd").all_inner_texts()))
    assert summary["注册所在区"] == "通州区"
    assert summary["评估日期"] == "2026-06-30"
    assert summary["年度数据产品采购额"].startswith("12,000,000 元")
    assert len(summary) == 5  # district, date and the three amounts of the link
    n = v.evaluations()
    v.page.fill("#f-compute_spend", "4,000,000")
    v.wait_for_result(n)
    v.page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    assert "4,000,000 元" in v.page.inner_text(".ck-profile")
    assert v.errors == []
