"""The built site, checked on its HTML and files (the real policies, built once per session)."""

from __future__ import annotations

import copy
import csv
import datetime
import html
import html.parser
import io
import json
import re
import urllib.parse
import xml.etree.ElementTree as ET

import markdown
import pytest

from macros import build as site_build
from macros.loader import SCHEMA_DIR, Problem
from macros.pages import measure_page, policy_page, rel
from macros.render import SiteModel, esc, money, policy_status, reference_key
from macros.validate import InvalidPolicies


class Links(html.parser.HTMLParser):
    """Every start tag's attributes, in order."""

    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def parse(path):
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.tags


def measure_keys(policies):
    return [(p["id"], m["id"]) for p in policies for m in p["measures"]]


def resolve(page_url: str, href: str) -> str:
    """A relative href from a page URL ('policies/x/'), as a site path without the leading slash."""
    return urllib.parse.urlsplit(urllib.parse.urljoin("http://site/" + page_url, href)).path.lstrip("/")


def test_every_measure_has_a_page_in_both_languages(built_site, policies):
    missing = [f"{lang}{pid}/{mid}" for pid, mid in measure_keys(policies) for lang in ("", "en/")
               if not (built_site / lang / "policies" / pid / mid / "index.html").is_file()]
    assert not missing
    assert len(measure_keys(policies)) > 50


def test_the_switcher_on_each_measure_page_points_to_its_counterpart(built_site, policies):
    for pid, mid in measure_keys(policies):
        for lang, other, other_root in (("", "en", "en/"), ("en/", "zh", "")):
            page_url = f"{lang}policies/{pid}/{mid}/"
            switch = [a["href"] for tag, a in parse(built_site / page_url / "index.html")
                      if tag == "a" and a.get("hreflang") == other and "md-select__link" in a.get("class", "")]
            assert len(switch) == 1, page_url
            assert resolve(page_url, switch[0]) == f"{other_root}policies/{pid}/{mid}/", page_url


def test_each_policy_page_has_an_anchor_per_measure(built_site, policies):
    for p in policies:
        for lang in ("", "en/"):
            ids = {a.get("id") for _, a in parse(built_site / lang / "policies" / p["id"] / "index.html")}
            assert {m["id"] for m in p["measures"]} <= ids, (lang, p["id"])


def test_the_compute_voucher_table_holds_fengtai_and_tongzhou_side_by_side(built_site, policies):
    wanted = {f"{p['id']}/{m['id']}" for p in policies if p["jurisdiction"] in ("fengtai", "tongzhou")
              for m in p["measures"] if "compute-voucher" in m["categories"]}
    assert {p["jurisdiction"] for p in policies if any(k.startswith(p["id"] + "/") for k in wanted)} == {
        "fengtai", "tongzhou"}
    for lang in ("", "en/"):
        page = (built_site / lang / "compare" / "index.html").read_text(encoding="utf-8")
        table = re.search(r'<table data-bjp="compare" data-sortable data-category="compute-voucher">(.*?)</table>',
                          page, re.DOTALL)
        assert table, lang
        assert wanted <= set(re.findall(r'data-measure="([^"]+)"', table.group(1)))


def test_the_matrix_has_a_row_per_category_and_a_column_per_jurisdiction(built_site, policies):
    page = (built_site / "compare" / "index.html").read_text(encoding="utf-8")
    matrix = re.search(r'<table data-bjp="matrix" data-sortable data-view-current="">(.*?)</table>', page,
                       re.DOTALL).group(1)
    head = re.search(r"<thead>(.*?)</thead>", matrix, re.DOTALL).group(1)
    assert head.count("<th>") == 1 + len({p["jurisdiction"] for p in policies})
    categories = {c for p in policies for m in p["measures"] for c in m["categories"]}
    assert matrix.count("<tr>") == 1 + len(categories)
    # The Fengtai cell of computing power holds Fengtai's largest computing-power amount: the 300万 a year
    # of ft-ai-2025 art-1 for industrial AI, as the text states (not recomputed by the code under test).
    site = SiteModel(policies, datetime.date.today())
    largest = 3_000_000
    row = re.search(r'<tr><td[^>]*><a href="#compute-voucher">.*?</tr>', matrix, re.DOTALL).group(0)
    column = sorted({p["jurisdiction"] for p in policies},
                    key=lambda j: site.jurisdictions_in_use().index(j)).index("fengtai")
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.DOTALL)
    assert money(largest, "zh") in cells[1 + column]


def test_the_compare_page_marks_and_filters_what_is_not_in_force(built_site, policies):
    """Compare: a cell of an expired, unverified or summary-only policy says so in the cell itself, and a second
    matrix (shown by the status filter) holds only the policies in force on the build date."""
    page = (built_site / "compare" / "index.html").read_text(encoding="utf-8")
    full, current = (re.search(rf'<table data-bjp="matrix" data-sortable data-view-current="{v}">(.*?)</table>',
                               page, re.DOTALL).group(1) for v in ("", "yes"))
    site = SiteModel(policies, datetime.date.today())
    expired = [p for p in policies if site.status(p).code == "expired"]
    assert expired  # the city plans ended in 2025: the matrix must not show their amounts as current
    assert "bjp-mark-expired" in full and "bjp-mark-expired" not in current
    assert "bjp-mark-secondary" in page  # the services plan is known only from a summary
    assert 'name="current"' in page and "data-target-selector" in page
    rows = re.findall(r'<tr data-jurisdiction="[a-z]+" data-current="(yes|no)">', page)
    assert "yes" in rows and "no" in rows


def test_open_data_holds_every_measure_and_parses(built_site, policies):
    keys = {f"{pid}/{mid}" for pid, mid in measure_keys(policies)}
    measures = json.loads((built_site / "data" / "measures.json").read_text(encoding="utf-8"))["measures"]
    assert {m["key"] for m in measures} == keys
    for m in measures:
        assert (built_site / m["url"]["zh"] / "index.html").is_file()
        assert (built_site / m["url"]["en"] / "index.html").is_file()
        assert m["text"]["zh"] and m["text"]["en"] and m["benefits"]
    raw = (built_site / "data" / "measures.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert {f"{r['policy']}/{r['id']}" for r in rows} == keys
    ft = next(r for r in rows if r["policy"] == "ft-ai-2025" and r["id"] == "art-1")
    assert ft["largest_amount_yuan"] == "3000000" and "算力" in ft["text_zh"]
    data = json.loads((built_site / "data" / "policies.json").read_text(encoding="utf-8"))
    assert [p["id"] for p in data["policies"]] == [p["id"] for p in policies]
    schema = (built_site / "schema" / "policy.schema.json").read_text(encoding="utf-8")
    assert json.loads(schema) == json.loads((SCHEMA_DIR / "policy.schema.json").read_text(encoding="utf-8"))


def test_feeds_parse_and_the_calendar_lists_known_expiry_dates(built_site, policies):
    ns = {"a": "http://www.w3.org/2005/Atom"}
    for lang in ("zh", "en"):
        feed = ET.parse(built_site / "feeds" / f"{lang}.atom").getroot()
        ids = [e.find("a:id", ns).text for e in feed.findall("a:entry", ns)]
        assert len(ids) == len(set(ids)) >= len(measure_keys(policies)) + len(policies)
    ics = (built_site / "feeds" / "expiry.ics").read_bytes().decode("utf-8")
    assert ics.startswith("BEGIN:VCALENDAR\r\n") and ics.endswith("END:VCALENDAR\r\n")
    known = [p for p in policies if p["dates"]["expires"].get("date")]
    assert ics.count("BEGIN:VEVENT") == len(known)
    for p in known:
        assert f"DTSTART;VALUE=DATE:{p['dates']['expires']['date'].replace('-', '')}" in ics
    assert all(len(line.encode("utf-8")) <= 75 for line in ics.split("\r\n"))


def test_no_page_has_a_leftover_template_tag(built_site):
    pages = list(built_site.rglob("*.html"))
    assert len(pages) > 100
    leftovers = [str(p.relative_to(built_site)) for p in pages
                 if "{{" in (text := p.read_text(encoding="utf-8")) or "{%" in text]
    assert not leftovers


def test_no_page_loads_anything_from_another_origin(built_site):
    for page in built_site.rglob("*.html"):
        for tag, a in parse(page):
            url = a.get("src") if tag in ("script", "img", "iframe") else (
                a.get("href") if tag == "link" else None)
            assert not (url and re.match(r"(https?:)?//", url)), (page, tag, url)


def test_english_pages_say_the_translation_is_unofficial_and_link_the_original(built_site, policies):
    p = policies[0]
    m = p["measures"][0]
    for page_url in ("en/", "en/data/", "en/policies/", f"en/policies/{p['id']}/", f"en/policies/{p['id']}/{m['id']}/",
                     "en/compare/"):
        tags = parse(built_site / page_url / "index.html")
        text = (built_site / page_url / "index.html").read_text(encoding="utf-8")
        assert "unofficial translation" in text.lower()
        original = [a["href"] for tag, a in tags if tag == "a" and a.get("hreflang") == "zh"
                    and "md-select__link" not in a.get("class", "")]
        assert resolve(page_url, original[0]) == page_url.removeprefix("en/"), page_url


def test_unknown_facts_show_as_not_found(built_site, policies):
    unknown = next(p for p in policies if not p["document_number"].get("value"))
    assert "未查到" in (built_site / "policies" / unknown["id"] / "index.html").read_text(encoding="utf-8")
    assert "not found" in (built_site / "en" / "policies" / unknown["id"] / "index.html").read_text(encoding="utf-8")


# ── units: escaping, status, links, a failed build ───────────────────────────────────────────────

TRAP = '<script>alert(1)</script> {{ 7*7 }} {% if x %} *em* [link](http://x.test) | a _b_ `c` # {#id}'


def test_yaml_text_renders_as_text_not_markup(policies):
    policy = copy.deepcopy(policies[0])
    policy["short_title"] = {"zh": TRAP, "en": TRAP}
    policy["measures"][0]["title"] = {"zh": TRAP, "en": TRAP}
    policy["measures"][0]["text"] = {"zh": TRAP, "en": TRAP}
    site = SiteModel([policy], datetime.date(2026, 1, 1))
    ref = site.measures[f"{policy['id']}/{policy['measures'][0]['id']}"]
    extensions = ["attr_list", "admonition", "pymdownx.details", "tables", "toc"]
    for source in (policy_page(site, policy, "zh"), measure_page(site, ref, "en")):
        body = source.split("---\n", 2)[2]
        out = markdown.markdown(body, extensions=extensions)
        assert "<script>" not in out and "<em>" not in out and 'href="http://x.test"' not in out
        assert "&lt;script&gt;" in out or "&#60;script&#62;" in out
        assert "{{" not in body and "{%" not in body  # braces are entities, so no template sees a tag
    assert esc("{{ x }}") == "&#123;&#123; x &#125;&#125;"


def test_status_against_the_build_date():
    def policy(effective, expires, verified=True):
        return {"dates": {"effective": {"date": effective, "verified": verified},
                          "expires": {"date": expires, "verified": verified}}}
    day = datetime.date(2026, 11, 23)
    assert policy_status(policy("2025-01-01", "2028-12-31"), day).code == "in-force"
    assert policy_status(policy("2025-01-01", "2026-12-31"), day).code == "expiring"
    assert policy_status(policy("2025-01-01", "2026-11-22"), day).code == "expired"
    assert policy_status(policy("2027-01-01", "2028-12-31"), day).code == "not-yet"
    assert policy_status(policy("2025-01-01", None, verified=False), day).code == "unknown"
    flagged = policy_status(policy("2025-01-01", "2028-12-31", verified=False), day)
    assert flagged.unverified and "unverified" in flagged.label("en")


@pytest.mark.parametrize("src,dst,expected", [
    ("policies/", "policies/ft-ai-2025/", "ft-ai-2025/"),
    ("en/policies/x/a/", "policies/x/a/", "../../../../policies/x/a/"),
    ("compare/", "policies/x/a/", "../policies/x/a/"),
    ("policies/x/a/", "policies/x/#a", "../#a"),
])
def test_relative_links(src, dst, expected):
    assert rel(src, dst) == expected


def test_invalid_policies_fail_the_build_and_leave_the_site_alone(tmp_path, monkeypatch, capsys):
    site_dir = tmp_path / "site"
    site_dir.mkdir()
    (site_dir / "index.html").write_text("old", encoding="utf-8")

    def broken():
        raise InvalidPolicies([Problem("policies/x.yaml", 7, "measures[0].id", "duplicate measure id")])

    monkeypatch.setattr(site_build, "load_policies", broken)
    assert site_build.main([str(site_dir)]) == 1
    assert "policies/x.yaml:7: measures[0].id: duplicate measure id" in capsys.readouterr().err
    assert [p.name for p in site_dir.iterdir()] == ["index.html"]
    assert (site_dir / "index.html").read_text(encoding="utf-8") == "old"


def test_internal_links_resolve(built_site):
    """Raw-HTML links of the generated pages are not checked by MkDocs: every relative <a href> must exist."""
    broken, checked = [], 0
    for page in built_site.rglob("*.html"):
        page_url = page.relative_to(built_site).as_posix().removesuffix("index.html")
        for tag, a in parse(page):
            href = a.get("href")
            if tag != "a" or not href or re.match(r"([a-z]+:|#)", href):
                continue
            checked += 1
            target = built_site / resolve(page_url, href)
            if not (target.is_file() or (target / "index.html").is_file()):
                broken.append(f"{page_url} → {href}")
    assert not broken, broken[:20]
    assert checked > 1000


def test_measure_pages_link_what_refers_to_them_and_similar_measures(built_site, policies):
    links = [(f"{p['id']}/{m['id']}", reference_key(p, ref)) for p in policies for m in p["measures"]
             for ref in m.get("references", [])]
    assert links, "the data has references between measures"
    for source, target in links:
        for lang in ("", "en/"):
            page_url = f"{lang}policies/{target}/"
            page = (built_site / page_url / "index.html").read_text(encoding="utf-8")
            section = page.split('id="referenced-by"', 1)[1]
            hrefs = [resolve(page_url, h) for h in re.findall(r'<a href="([^"#]+)"', section)]
            assert f"{lang}policies/{source}/" in hrefs, (page_url, source)
    # 丰台's computing-power measure lists 通州's among similar measures elsewhere.
    tz = next(f"tz-ai-2025/{m['id']}" for p in policies if p["id"] == "tz-ai-2025" for m in p["measures"]
              if m["categories"][0] == "compute-voucher")
    page = (built_site / "policies" / "ft-ai-2025" / "art-1" / "index.html").read_text(encoding="utf-8")
    similar = page.split('id="similar"', 1)[1].split('id="referenced-by"', 1)[0]
    assert f'href="../../{tz}/"' in similar


class _VisibleText(html.parser.HTMLParser):
    """The text a reader sees: not scripts, styles, code samples, attributes or hidden parts."""

    SKIP = frozenset({"script", "style", "code", "pre", "noscript", "template", "svg"})

    def __init__(self):
        super().__init__()
        self.depth, self.parts = 0, []

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP or ("hidden", None) in attrs:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if not self.depth:
            self.parts.append(data)


def visible_ids(text: str, lang: str) -> set[str]:
    """Vocabulary and profile-field ids that read differently from their labels (park-operator, compute_spend).

    On Chinese pages any such id is a leak; English prose hyphenates words such as open-source, so there only
    snake_case ids count."""
    from calculator.fields import FIELDS
    from macros.loader import load_vocabulary

    ids = {f["id"] for f in FIELDS} | {v["id"] for f in FIELDS for v in f.get("values", [])}
    ids |= {key for table in load_vocabulary().values() if isinstance(table, dict) for key in table}
    coded = {i for i in ids if "_" in i or (lang == "zh" and "-" in i)}
    return {i for i in coded if re.search(rf"(?<![\w/.#-]){re.escape(i)}(?![\w/-])", text)}


def test_no_page_shows_an_id_in_place_of_its_label(built_site):
    """Issue 13: only human labels in visible text; ids stay in URLs, attributes and code samples."""
    found = {}
    for path in built_site.rglob("*.html"):
        parser = _VisibleText()
        parser.feed(path.read_text(encoding="utf-8"))
        lang = "en" if path.relative_to(built_site).parts[0] == "en" else "zh"
        ids = visible_ids(" ".join(parser.parts), lang)
        if ids:
            found[path.relative_to(built_site).as_posix()] = sorted(ids)
    assert found == {}


def test_the_404_page_is_bilingual_and_its_language_switch_goes_home(built_site):
    page = (built_site / "404.html").read_text(encoding="utf-8")
    assert "找不到此页面" in page and "Page not found" in page
    switch = re.findall(r'<a href="([^"]*)" hreflang="(zh|en)" class="md-select__link"', page)
    assert sorted(switch) == [("/", "zh"), ("/en/", "en")]
    # the default language's frame (mkdocs-static-i18n keeps the last language built's 404 page)
    assert '<html lang="zh"' in page and "<title>北京人工智能政策导航</title>" in page


def test_the_language_switcher_lists_the_default_language_first(built_site):
    for page in ("policies/ft-ai-2025/art-1/index.html", "en/policies/ft-ai-2025/art-1/index.html"):
        langs = re.findall(r'hreflang="(zh|en)" class="md-select__link"', (built_site / page).read_text("utf-8"))
        assert langs == ["zh", "en"], page


def test_the_coverage_note_says_what_other_districts_can_use_today(built_site, policies):
    built = json.loads((built_site / "data" / "policies.json").read_text("utf-8"))["generated_on"]
    today = datetime.date.fromisoformat(built)
    city = [p for p in policies if p["jurisdiction"] == "beijing"]
    in_force = [p for p in city if policy_status(p, today).code in ("in-force", "expiring")]
    zh = (built_site / "index.html").read_text("utf-8")
    en = (built_site / "en" / "index.html").read_text("utf-8")
    if in_force:
        assert f"可参考今日有效的 {len(in_force)} 项全市政策" in zh and "in force today" in en
    else:  # the case on the data here after 2025: the city's three documents have all ended
        assert f"收录的 {len(city)} 项全市政策今日均不在有效期内" in zh
        assert f"none of the {len(city)} city-wide policies here is in force today" in en
    assert "可参考全市政策" not in zh.replace("可参考今日有效", "")


def test_amounts_read_only_in_a_summary_are_marked_on_the_policy_list(built_site):
    for lang, root, mark in (("zh", "", "仅见第三方摘要"), ("en", "en/", "secondary summary only")):
        page = (built_site / root / "policies" / "index.html").read_text("utf-8")
        row = re.search(r'<tr data-jurisdiction="beijing"[^>]*>(?:(?!</tr>).)*bj-ai-services-2025(?:(?!</tr>).)*</tr>',
                        page, re.DOTALL).group(0)
        assert mark in row, lang
        other = re.search(r'<tr[^>]*>(?:(?!</tr>).)*ft-ai-2025/(?:(?!</tr>).)*</tr>', page, re.DOTALL).group(0)
        assert mark not in other
        head = re.search(r"<thead>(.*?)</thead>", page, re.DOTALL).group(1)
        assert head.index({"zh": "状态", "en": "Status"}[lang]) < head.index({"zh": "辖区", "en": "Jurisdiction"}[lang])


def test_a_policy_known_from_a_summary_lists_that_summary_first_and_no_green_official_chip(built_site):
    page = (built_site / "policies" / "bj-ai-services-2025" / "index.html").read_text("utf-8")
    sources = re.search(r'<ul class="bjp-sources">(.*?)</ul>', page, re.DOTALL).group(1)
    assert sources.index("bjp-source-secondary") < sources.index("bjp-source-official-elsewhere")
    assert "bjp-source-official\"" not in sources and "本站文字并非取自此页" in sources
    own = (built_site / "policies" / "ft-ai-2025" / "index.html").read_text("utf-8")
    assert 'class="bjp-chip bjp-source-official"' in own  # a document quoted from its official page stays green


def test_a_quote_holding_its_own_quotation_marks_is_not_doubled(built_site):
    page = (built_site / "policies" / "bj-ai-services-2025" / "art-2" / "index.html").read_text("utf-8")
    assert '<q lang="zh" class="bjp-q-inner">' in page
    assert not re.search(r'<q lang="zh">“', page)


def test_search_ranks_documents_in_force_above_expired_ones_and_summaries(built_site, policies):
    index = json.loads((built_site / "search" / "search_index.json").read_text("utf-8"))["docs"]
    boost = {d["location"].split("#")[0]: d.get("boost", 1) for d in index}
    assert boost.get("policies/ft-ai-2025/art-1/", 1) > boost["policies/bj-software-2022/item-2/"]
    assert boost["en/policies/bj-ai-services-2025/art-3/"] <= 0.5


def test_the_service_worker_keeps_exactly_this_builds_checker(built_site):
    """sw.js names every file the checker needs by its sha256, and nothing it does not (the full standard
    library is only the slim one's fallback; the data parts are kept as they are fetched)."""
    import hashlib
    import re

    text = (built_site / "sw.js").read_text(encoding="utf-8")
    files = json.loads(re.search(r"const FILES = (\{.*?\});", text, re.DOTALL).group(1))
    manifest = json.loads((built_site / "pyodide" / "manifest.json").read_text(encoding="utf-8"))
    wheel = next(iter(manifest["lock"]["packages"].values()))["file_name"]
    for path in ("checker/", "en/checker/", "pyodide/manifest.json", "pyodide/python_stdlib_slim.zip",
                 "pyodide/pyodide.asm.wasm", f"pyodide/{wheel}", f"pyodide/{manifest['index']}"):
        assert path in files, path
    assert "pyodide/python_stdlib.zip" not in files
    assert not [p for p in files if p.startswith("pyodide/data/") and "/index." not in p]
    for path, digest in files.items():
        file = built_site / path / "index.html" if path.endswith("/") else built_site / path
        assert hashlib.sha256(file.read_bytes()).hexdigest() == digest, path
    assert any(p.endswith(".css") for p in files) and any(p.endswith(".js") for p in files)


# ── history, the build date, embeds and per-measure data (issue 15, points 4–6) ─────────────────────

def _first_commit_day(path: str) -> str | None:
    """The day in Beijing of the first commit of HEAD's first-parent history that touched ``path``; None in a
    shallow clone or without git (told independently of macros.history, with git alone)."""
    import subprocess

    from macros.loader import ROOT
    from macros.render import BEIJING
    try:
        shallow = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--is-shallow-repository"],
                                 capture_output=True, text=True, check=True).stdout.strip()
        out = subprocess.run(["git", "-C", str(ROOT), "log", "--first-parent", "--reverse", "--format=%ct", "HEAD",
                              "--", path], capture_output=True, text=True, check=True).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        return None
    if shallow == "true" or not out:
        return None
    return datetime.datetime.fromtimestamp(int(out[0]), BEIJING).date().isoformat()


def test_policy_and_measure_pages_are_dated_by_the_history_of_main(built_site, policies):
    """First published here on the day of the first commit that held the policy file; or, without the
    history, a plain statement that there is none, never a date."""
    p = next(p for p in policies if p["id"] == "ft-ai-2025")
    first = _first_commit_day(f"policies/{p['id']}.yaml")
    for page_url in (f"policies/{p['id']}/", f"policies/{p['id']}/{p['measures'][0]['id']}/",
                     f"en/policies/{p['id']}/", f"en/policies/{p['id']}/{p['measures'][0]['id']}/"):
        page = (built_site / page_url / "index.html").read_text(encoding="utf-8")
        assert 'id="history"' in page, page_url
        if first is None:
            assert 'data-history="none"' in page and "data-first" not in page, page_url
            continue
        dates = re.search(r'class="bjp-history-dates" data-search-exclude data-first="([\d-]+)" data-last="([\d-]+)"', page)
        assert dates and dates.group(1) == first and dates.group(2) >= first, page_url
        days = re.findall(r'<time datetime="[^"]+">([\d-]+)</time>', page.split('id="history"', 1)[1])
        assert days and days == sorted(days, reverse=True) and days[-1] == first, page_url  # newest first


def test_every_page_says_in_both_languages_when_it_was_built(built_site):
    built = json.loads((built_site / "data" / "measures.json").read_text(encoding="utf-8"))["generated_on"]
    pages = [p for p in built_site.rglob("*.html") if "/embed/" not in p.as_posix()
             and 'http-equiv="refresh"' not in (text := p.read_text(encoding="utf-8")) and "md-footer" in text]
    assert len(pages) > 100
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert f'data-built-on="{built}"' in text, page
        assert f"本页构建于 {built}（北京时间）" in text and f"Built on {built} (Beijing time)" in text, page


def _embeds(built_site, policies):
    for pid, mid in measure_keys(policies):
        for lang in ("", "en/"):
            yield lang, pid, mid, f"{lang}policies/{pid}/{mid}/embed/"


def test_every_measure_has_an_embed_page_in_both_languages_that_runs_no_script(built_site, policies):
    from macros.csp import NO_SCRIPT
    records = {m["key"]: m for m in json.loads((built_site / "data" / "measures.json").read_text(
        encoding="utf-8"))["measures"]}
    for lang, pid, mid, url in _embeds(built_site, policies):
        text = (built_site / url / "index.html").read_text(encoding="utf-8")
        tags = parse(built_site / url / "index.html")
        assert "<script" not in text.lower() and not [a for _, a in tags if any(k.startswith("on") for k in a)], url
        assert f'<meta http-equiv="Content-Security-Policy" content="{NO_SCRIPT}">' in text, url
        assert not [a for tag, a in tags if tag == "link" and a.get("rel") == "stylesheet"], url  # self-contained
        assert "md-header" not in text and "md-search" not in text, url  # no Material chrome
        assert f'<html lang="{"en" if lang else "zh-CN"}">' in text, url
        back = [a for tag, a in tags if tag == "a" and a.get("target") == "_blank"]
        assert back and all(a.get("rel") == "noopener" and resolve(url, a["href"]) == f"{lang}policies/{pid}/{mid}/"
                            for a in back), url
        status = records[f"{pid}/{mid}"]["status"]
        assert f'data-status="{status}"' in text, url
        for b in records[f"{pid}/{mid}"]["benefits"]:  # every amount the text states, as it states it
            stated = {"fixed": b.get("amount"), "per_unit": b.get("amount"), "share": b.get("cap"),
                      "tiers": (b.get("tiers") or [{}])[0].get("amount")}.get(b["kind"])
            assert stated is None or money(stated, "en" if lang else "zh") in text, (url, b["id"])
        other = next(a["href"] for tag, a in tags if tag == "a" and a.get("hreflang"))
        assert resolve(url, other) == (f"policies/{pid}/{mid}/embed/" if lang else f"en/policies/{pid}/{mid}/embed/")


def test_each_measure_page_shows_both_snippets_to_copy(built_site, policies):
    for pid, mid in measure_keys(policies):
        data = json.loads((built_site / "data" / "measures" / pid / f"{mid}.json").read_text(encoding="utf-8"))
        for lang in ("", "en/"):
            page = (built_site / lang / "policies" / pid / mid / "index.html").read_text(encoding="utf-8")
            codes = [html.unescape(c) for c in re.findall(r'<pre class="bjp-snippet"><code>(.*?)</code></pre>', page)]
            assert codes == [data["embed"][v]["snippet"] for v in (("en", "zh") if lang else ("zh", "en"))], (lang, mid)
            for code in codes:
                frame = re.fullmatch(r'<iframe src="(/[^"]+)" title="([^"]+)" width="\d+" height="\d+" '
                                     r'loading="lazy"></iframe>', code)
                assert frame and (built_site / frame.group(1).lstrip("/") / "index.html").is_file(), code


def test_each_measure_has_a_json_file_that_matches_it(built_site, policies):
    records = json.loads((built_site / "data" / "measures.json").read_text(encoding="utf-8"))
    by_key = {m["key"]: m for m in records["measures"]}
    files = sorted(p.relative_to(built_site / "data" / "measures").as_posix()
                   for p in (built_site / "data" / "measures").rglob("*.json"))
    assert files == sorted(f"{pid}/{mid}.json" for pid, mid in measure_keys(policies))
    site_policies = {p["id"]: p for p in policies}
    for p_id, m_id in measure_keys(policies):
        data = json.loads((built_site / "data" / "measures" / p_id / f"{m_id}.json").read_text(encoding="utf-8"))
        assert data["format_version"] == 1 and data["key"] == f"{p_id}/{m_id}"
        assert data["measure"] == by_key[data["key"]]  # the same record as measures.json
        measure = next(m for m in site_policies[p_id]["measures"] if m["id"] == m_id)
        assert data["measure"]["benefits"] == json.loads(json.dumps(measure["benefits"]))
        assert data["policy"]["id"] == p_id and data["policy"]["dates"] == site_policies[p_id]["dates"]
        assert data["status"]["as_of"] == data["generated_on"] == records["generated_on"]
        assert data["status"]["code"] == data["measure"]["status"]
        assert data["status"]["label"]["zh"] and data["status"]["label"]["en"]
        for lang in ("zh", "en"):
            assert (built_site / data["embed"][lang]["url"] / "index.html").is_file()
        history = data["history"]
        assert set(history) in ({"available", "reason"}, {"available", "first_published", "last_changed", "changes"})
        if history["available"] and history["changes"]:
            assert history["first_published"] == history["changes"][-1]["date"]
            assert history["last_changed"] == history["changes"][0]["date"]


def test_a_yearly_cap_the_text_may_mean_for_the_whole_run_says_so_on_its_page(built_site):
    """丰台 第一条: 最高200万元支持,连续支持不超过2年 — per year, or for the two years? Not said."""
    zh = (built_site / "policies" / "ft-ai-2025" / "art-1" / "index.html").read_text("utf-8")
    en = (built_site / "en" / "policies" / "ft-ai-2025" / "art-1" / "index.html").read_text("utf-8")
    assert "每年（或为合计，原文未说明）" in zh and "per year (or in all: the text does not say)" in en
    said = (built_site / "policies" / "ft-ai-2025" / "art-8-2" / "index.html").read_text("utf-8")
    assert "或为合计" not in said  # 每年累计最高支持50万元


def test_each_language_has_its_own_search_index_and_together_they_are_the_whole(built_site):
    """A page asks for its own language's index (overrides/main.html, macros/hook_search.py)."""
    folder = built_site / "search"
    whole = json.loads((folder / "search_index.json").read_text("utf-8"))
    parts = {lang: json.loads((folder / f"search_index.{lang}.json").read_text("utf-8")) for lang in ("zh", "en")}
    assert all(part["config"] == whole["config"] for part in parts.values())
    assert parts["en"]["docs"] and all(d["location"].startswith("en/") for d in parts["en"]["docs"])
    assert parts["zh"]["docs"] and not any(d["location"].startswith("en/") for d in parts["zh"]["docs"])
    assert sorted(parts["zh"]["docs"] + parts["en"]["docs"], key=json.dumps) == sorted(whole["docs"], key=json.dumps)
    assert {d["location"] for d in parts["zh"]["docs"]} >= {"", "policies/ft-ai-2025/art-1/"}


def test_search_indexes_what_a_measure_says_not_the_pages_frame(built_site):
    """Links to other measures, history, embed snippets and the translation note are left out of the index:
    they made a page match words of other measures and filled results with boilerplate."""
    docs = json.loads((built_site / "search" / "search_index.json").read_text("utf-8"))["docs"]
    anchors = {d["location"].split("#", 1)[1] for d in docs if "#" in d["location"] and "policies/" in d["location"]}
    assert not anchors & {"similar", "referenced-by", "history", "embed"}
    texts = " ".join(d["text"] for d in docs)
    assert "Unofficial translation" not in texts and "Copy link" not in texts and "复制链接" not in texts
    art1 = next(d for d in docs if d["location"] == "en/policies/ft-ai-2025/art-1/")
    assert art1["text"].startswith("<p>Increase the supply of AI computing power")
