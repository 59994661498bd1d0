"""Search in both languages, the language switcher and table sorting, in headless Debian chromium."""

from __future__ import annotations

import json
import re

import pytest

TIMEOUT = 90_000  # ms: at most; each wait ends on the page's own signal


@pytest.fixture(scope="module")
def measures(built_site):
    """Measure records by page path (both languages), from the site's own open data."""
    records = json.loads((built_site / "data" / "measures.json").read_text(encoding="utf-8"))["measures"]
    return {r["url"][lang]: r for r in records for lang in ("zh", "en")}


@pytest.fixture()
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


# Material reads the query on `keyup` (and once when its index becomes ready), never on `input`. The old
# test filled the box (an `input` event only); when the index was ready first, no query was ever sent,
# and all four 20-second retries waited for nothing: that is how it failed under load.
HAS_RESULTS = "() => /\\d/.test(document.querySelector('.md-search-result__meta').textContent)"


def open_search(page, url: str) -> None:
    """Open ``url`` and wait for the page's own signal that search is ready: the result line leaves the
    text it was served with ("Initializing search") once the index is built."""
    served = page.goto(url).text()
    initial = re.search(r'class="md-search-result__meta">([^<]*)<', served).group(1).strip()
    page.locator("input.md-search__input").click()
    page.wait_for_function("initial => document.querySelector('.md-search-result__meta').textContent.trim()"
                           " !== initial", arg=initial, timeout=TIMEOUT)


def search(page, site_url, lang_root, query, n=3):
    open_search(page, site_url + lang_root)
    box = page.locator("input.md-search__input")
    box.fill(query)
    box.press("End")  # a key, as a reader's typing ends: Material sends the whole query once
    page.wait_for_function(HAS_RESULTS, timeout=TIMEOUT)
    hrefs = [a.get_attribute("href") for a in page.locator(".md-search-result__item > a").all()[:n]]
    return [href.split("//", 1)[1].split("/", 1)[1].split("?")[0].split("#")[0] for href in hrefs]


def categories(*ids):
    return lambda r: bool(set(ids) & set(r["categories"]))


def jurisdiction(jid):
    return lambda r: r["jurisdiction"] == jid


QUERIES = [
    ("", "算力券", categories("compute-voucher")),
    ("", "数据", categories("data-voucher", "data-resources")),
    ("", "丰台", jurisdiction("fengtai")),
    ("", "孵化器", categories("incubator")),
    ("", "首台套", categories("first-use")),
    ("en/", "computing power", categories("compute-voucher")),
    ("en/", "compute voucher", categories("compute-voucher")),
    ("en/", "data voucher", categories("data-voucher")),
    ("en/", "model voucher", categories("model-voucher")),
    ("en/", "first set", categories("first-use")),
    ("en/", "Fengtai", jurisdiction("fengtai")),
    ("en/", "incubator", categories("incubator")),
]


# Only one data voucher is of a document not expired (tz-ai-2025 第二条); the other, of an expired summary
# (bj-ai-services-2025 第五条), ranks below pages in force, by design (macros/pages.SEARCH_BOOST).
FIRST_ONLY = {"data voucher"}


@pytest.mark.parametrize("lang_root,query,expected", QUERIES, ids=[q for _, q, _ in QUERIES])
def test_search_returns_the_expected_measures_first(page, site_url, measures, lang_root, query, expected):
    n = 1 if query in FIRST_ONLY else 2
    top = search(page, site_url, lang_root, query, n=n)
    assert len(top) == n, top
    for path in top:
        assert path.startswith(lang_root + "policies/"), top  # a page in the language searched
        assert path in measures, f"{query}: {path} is not a measure page"
        assert expected(measures[path]), f"{query}: {path} is not an expected measure"


@pytest.mark.parametrize("lang_root,query", [("", "算力券"), ("en/", "compute voucher")])
def test_result_snippets_show_the_measures_own_words(page, site_url, measures, lang_root, query):
    """The teaser of a measure found is its text, not the page's frame (breadcrumb, status, link)."""
    top = search(page, site_url, lang_root, query, n=1)[0]
    teaser = page.locator(".md-search-result__item").first.inner_text()
    text = measures[top]["text"]["zh" if not lang_root else "en"]
    first_words = (text[0] if isinstance(text, list) else text)[:12]
    shown = teaser.replace("\u200b", "").replace("\n", " ")  # the segmenter's word breaks
    assert first_words in shown, (first_words, teaser)


@pytest.mark.parametrize("start,lang,target", [
    ("policies/ft-ai-2025/art-1/", "en", "en/policies/ft-ai-2025/art-1/"),
    ("en/policies/tz-ai-2025/art-1/", "zh", "policies/tz-ai-2025/art-1/"),
    ("en/compare/", "zh", "compare/"),
])
def test_the_language_switcher_goes_to_the_same_page(page, site_url, start, lang, target):
    page.goto(site_url + start)
    page.locator(".md-header__option .md-select").first.hover()
    page.locator(f'.md-select__link[hreflang="{lang}"]').first.click()
    page.wait_for_url(site_url + target)
    assert page.locator("html").get_attribute("lang").startswith(lang)


def test_comparison_tables_sort_by_amount(page, site_url):
    page.goto(site_url + "compare/")
    table = page.locator('table[data-category="compute-voucher"]')
    largest = table.locator("thead th").nth(8)
    largest.locator("button").click()
    largest.locator("button").click()  # second click: descending
    assert largest.get_attribute("aria-sort") == "descending"
    values = [int(v) for v in table.locator("tbody tr td:nth-child(9)").evaluate_all(
        "cells => cells.map(c => c.dataset.sort)")]
    assert values == sorted(values, reverse=True) and len(values) >= 2


def test_policy_filters_show_only_the_chosen_jurisdiction(page, site_url):
    page.goto(site_url + "en/policies/")
    page.select_option("form.bjp-filters select[name=jurisdiction]", "fengtai")
    shown = page.locator("#bjp-policies tbody tr:visible")
    assert shown.count() >= 1
    assert set(shown.evaluate_all("rows => rows.map(r => r.dataset.jurisdiction)")) == {"fengtai"}


@pytest.mark.parametrize("lang_root,query", [("", "首台套"), ("en/", "compute voucher"), ("en/", "first set")])
def test_results_are_in_the_language_searched_and_what_is_in_force_comes_first(page, site_url, measures,
                                                                               lang_root, query):
    """Each language has its own index: every result is in the language searched, none is hidden, and the count
    Material shows is of those; and Material's page boost puts an expired document's measures below the others
    (as on the build date)."""
    search(page, site_url, lang_root, query)
    items = page.locator(".md-search-result__item")
    shown = [a.get_attribute("href").split("//", 1)[1].split("/", 1)[1].split("?")[0]
             for a in page.locator(".md-search-result__item > a").all()]
    assert shown and all(p.startswith("en/") == bool(lang_root) for p in shown), shown
    assert items.count() == page.locator(".md-search-result__item:visible").count()
    count = re.search(r"\d+", page.inner_text(".md-search-result__meta"))
    assert count and int(count.group()) >= items.count() > 0
    first = measures[shown[0]]
    assert first["status"] != "expired", (shown[0], first["status"])


@pytest.mark.parametrize("query,in_english", [("compute voucher", True), ("算力券", False)])
def test_the_404_page_searches_both_languages(page, site_url, query, in_english):
    """The 404 page speaks both languages (it cannot know the reader's), so it searches the whole index: an
    English query finds English pages there, a Chinese one Chinese pages."""
    top = search(page, site_url, "404.html", query, n=10)
    assert any(p.startswith("en/") == in_english for p in top), top
    requested = page.evaluate("() => performance.getEntriesByType('resource').map(r => new URL(r.name).pathname)"
                              ".filter(p => p.includes('/search/search_index'))")
    assert [p.rsplit("/", 1)[1] for p in requested] == ["search_index.json"]
