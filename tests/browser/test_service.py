"""The checker as a service a company can act on (issue 13), in a real browser, in both languages: answers kept on
the device, questions that fit, coverage said plainly, next steps, readable results, a phone's view, compare
filters and the printed summary.
"""

from __future__ import annotations

import json

import pytest
from test_checker import TIMEOUT, Visit, b64url
from test_site import visible_ids

LANGS = {"zh": "checker/", "en": "en/checker/"}
STORE = "bjp-checker-answers"


@pytest.fixture
def visit(browser, site_url):
    opened = []

    def open_(url: str, **context) -> Visit:
        v = Visit(browser, site_url)
        if context:  # a phone, for instance
            v.context.close()
            v.context = browser.new_context(**context)
            v.context.on("request", lambda r: v.requests.append(r.url))
            v.page = v.context.new_page()
            v.page.on("pageerror", lambda e: v.errors.append(f"pageerror: {e}"))
        opened.append(v)
        v.page.goto(url)
        return v

    yield open_
    for v in opened:
        v.close()


def settle(v: Visit, before: int) -> None:
    v.wait_for_result(before)


def asked(v: Visit, field: str) -> bool:
    """The question is offered (its group may still be folded)."""
    return v.page.eval_on_selector(f"[data-field={field}]", "e => !e.hidden && !e.closest('details').hidden")


def stored(v: Visit):
    return v.page.evaluate(f"() => localStorage.getItem({json.dumps(STORE)})")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_answers_are_kept_on_the_device_across_reload_and_language_switch(visit, site_url, lang):
    v = visit(f"{site_url}{LANGS[lang]}")
    v.wait_for_result(0)
    before = v.evaluations()
    v.page.select_option("#f-district", "fengtai")
    v.page.fill("#f-compute_spend", "800万")
    settle(v, before)
    assert "8,000,000" in v.page.inner_text("#f-compute_spend-msg")  # what was understood, in yuan
    assert stored(v) is not None
    # Reload: the answers are back.
    v.page.reload()
    v.wait_for_result(0)
    assert v.page.input_value("#f-district") == "fengtai"
    assert v.page.input_value("#f-compute_spend") == "8,000,000"
    # The other language's checker (the language switch) shows the same answers.
    other = LANGS["en" if lang == "zh" else "zh"]
    v.page.goto(f"{site_url}{other}")
    v.wait_for_result(0)
    assert v.page.input_value("#f-compute_spend") == "8,000,000"
    # Clear can be undone.
    before = v.evaluations()
    v.page.click(".ck-tools button:nth-child(3)")
    settle(v, before)
    assert v.page.input_value("#f-compute_spend") == ""
    before = v.evaluations()
    v.page.click(".ck-notice .ck-actions button")
    settle(v, before)
    assert v.page.input_value("#f-compute_spend") == "8,000,000"
    # Forgetting removes what the device keeps.
    before = v.evaluations()
    v.page.click(".ck-forget")
    settle(v, before)
    assert stored(v) is None and v.page.input_value("#f-compute_spend") == ""
    assert v.errors == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_share_link_never_overwrites_other_saved_answers(visit, site_url, lang):
    v = visit(f"{site_url}{LANGS[lang]}")
    v.wait_for_result(0)
    before = v.evaluations()
    v.page.select_option("#f-district", "tongzhou")
    settle(v, before)
    mine = stored(v)
    link = {"district": "fengtai", "compute_spend": 5_000_000, "as_of": "2026-06-30"}
    v.page.goto(f"{site_url}{LANGS[lang]}#profile={b64url(link)}")
    v.page.reload()
    v.wait_for_result(0)
    assert v.page.input_value("#f-district") == "fengtai"  # the link's answers are shown
    assert stored(v) == mine  # the saved ones are untouched
    before = v.evaluations()
    v.page.click(".ck-notice .ck-actions button >> nth=0")  # back to my saved answers
    settle(v, before)
    assert v.page.input_value("#f-district") == "tongzhou"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_stored_answers_are_read_like_a_share_link(visit, site_url, lang):
    """Untrusted like a link: a damaged or hostile stored profile is refused with a notice and removed."""
    v = visit(f"{site_url}{LANGS[lang]}")
    v.wait_for_result(0)
    bad = b64url({"constructor": 1})
    v.page.evaluate(f"() => localStorage.setItem({json.dumps(STORE)}, {json.dumps(bad)})")
    v.page.reload()
    v.wait_for_result(0)
    assert v.page.is_visible(".ck-notice")
    assert stored(v) is None
    assert v.errors == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_questions_fit_the_answers_and_the_industry_is_chosen_by_name(visit, site_url, lang):
    profile = {"district": "haidian", "industry_code": "52", "as_of": "2025-06-30"}
    v = visit(f"{site_url}{LANGS[lang]}#profile={b64url(profile)}")
    v.wait_for_result(0)
    # A retail company in 海淀 in 2025: the Fengtai and Tongzhou questions cannot change any result.
    assert not asked(v, "compute_spend")
    assert not asked(v, "incubated_companies")
    assert not asked(v, "loan_amount")  # the software measures are for industries 63, 64, 65
    assert asked(v, "district") and asked(v, "industry_code")
    assert v.page.input_value("#f-industry_code").startswith("52 ")  # the code shown with its name
    # Every question is one click away.
    v.page.click(".ck-show-all")
    assert asked(v, "compute_spend")
    v.page.click(".ck-show-all")
    # Choosing an industry by name stores its code.
    before = v.evaluations()
    name = v.page.eval_on_selector("#f-industry_code-list option[value^='65 ']", "o => o.value")
    v.page.fill("#f-industry_code", name)
    settle(v, before)
    assert v.page.evaluate(f"() => localStorage.getItem({json.dumps(STORE)})") is not None
    assert asked(v, "loan_amount")  # 65 opens the software measures' questions


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_district_without_its_own_policy_is_told_so(visit, site_url, lang):
    v = visit(f"{site_url}{LANGS[lang]}#profile={b64url({'district': 'haidian'})}")
    v.wait_for_result(0)
    note = v.page.locator("[data-notice=district-coverage]")
    assert note.is_visible()
    words = {"zh": ("海淀区", "丰台区", "通州区"), "en": ("Haidian", "Fengtai", "Tongzhou")}[lang]
    assert all(w in note.inner_text() for w in words)
    # The city's plans ended in 2025: on today's date the notice says so, instead of results that are all
    # "not in force" in a folded section.
    assert {"zh": "均不在有效期内", "en": "None of the city-wide policies"}[lang] in note.inner_text()
    before = v.evaluations()
    v.page.select_option("#f-district", "fengtai")
    settle(v, before)
    assert words[0] not in note.inner_text()  # 丰台 has its own policy
    # 通州's own policy has no known dates: said at the top, not only in each result's notes.
    before = v.evaluations()
    v.page.select_option("#f-district", "tongzhou")
    settle(v, before)
    assert {"zh": "有效期未查到", "en": "period of validity"}[lang] in note.inner_text()
    # In 2025, when the city's plans were in force, a 海淀 firm is told only about its district.
    before = v.evaluations()
    v.page.select_option("#f-district", "haidian")
    v.page.fill("#f-as_of", "2025-06-30")
    settle(v, before)
    assert {"zh": "均不在有效期内", "en": "None of the city-wide policies"}[lang] not in note.inner_text()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_results_read_as_labels_and_lead_to_the_next_steps(visit, site_url, lang):
    profile = {"district": "fengtai", "ai_partner": True, "activities": ["model-rnd", "agents"],
               "compute_spend": 5_000_000, "entity_kinds": ["incubator"], "as_of": "2026-06-30"}
    v = visit(f"{site_url}{LANGS[lang]}#profile={b64url(profile)}")
    v.wait_for_result(0)
    v.page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
    text = v.page.inner_text("#checker-app")
    assert visible_ids(text, lang) == set()  # no park-operator, compute_spend… in place of a label
    link = v.page.locator("[data-measure='ft-ai-2025/art-1'] a.ck-apply")
    href = link.get_attribute("href")
    assert href.endswith("/art-1/#apply")
    link.click()
    v.page.wait_for_selector("#apply")
    assert v.page.locator(".bjp-sources a.bjp-external").count() >= 1  # 丰台's official page
    # Unknown or unverified is never drawn as good news on the policy's status banner.
    v.page.goto(f"{site_url}{'' if lang == 'zh' else 'en/'}policies/tz-ai-2025/")
    assert v.page.get_attribute(".bjp-status", "class").split()[1] != "success"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_on_a_phone_the_total_stays_in_view_and_tables_keep_their_columns(visit, site_url, lang):
    phone = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True,
             "has_touch": True}
    v = visit(f"{site_url}{LANGS[lang]}", **phone)
    v.wait_for_result(0)
    before = v.evaluations()
    v.page.select_option("#f-district", "fengtai")
    v.page.fill("#f-compute_spend", {"zh": "800万", "en": "8 million"}[lang])
    settle(v, before)
    v.page.locator("#f-compute_spend").scroll_into_view_if_needed()
    box = v.page.locator(".ck-sticky").bounding_box()
    assert box and 0 <= box["y"] < 844 and box["y"] + box["height"] <= 844 + 1  # in the viewport
    assert {"zh": "可能适用", "en": "may apply"}[lang] in v.page.inner_text(".ck-sticky")
    # A wide table scrolls sideways inside the page, its first column held.
    v.page.goto(f"{site_url}{'' if lang == 'zh' else 'en/'}compare/")
    table = v.page.locator("table[data-bjp=compare]").first
    assert table.evaluate("t => getComputedStyle(t).overflowX") == "auto"
    assert table.evaluate("t => getComputedStyle(t.querySelector('td')).position") == "sticky"
    assert v.page.evaluate("() => document.documentElement.scrollWidth") <= 390 + 1  # the page itself does not


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_compare_filters_to_policies_in_force(visit, site_url, lang):
    v = visit(f"{site_url}{'' if lang == 'zh' else 'en/'}compare/")
    v.page.wait_for_selector("form.bjp-filters:not([hidden])")
    # By default only what is in force on the build date; every policy, marked, one choice away.
    expired = v.page.locator("table[data-bjp=compare] tr[data-current=no]")
    assert expired.count() > 0 and expired.first.is_hidden()
    assert v.page.locator("table[data-view-current=yes]").is_visible()
    assert v.page.locator("table[data-view-current='']").is_hidden()
    v.page.select_option("select[name=current]", "")
    assert expired.first.is_visible()
    assert v.page.locator("table[data-view-current='']").is_visible()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_printed_summary_carries_the_date_the_link_and_each_source(visit, site_url, lang):
    profile = {"district": "tongzhou", "compute_spend": 3_000_000, "as_of": "2026-06-30"}
    v = visit(f"{site_url}{LANGS[lang]}#profile={b64url(profile)}")
    v.wait_for_result(0)
    v.page.emulate_media(media="print")
    v.page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    summary = v.page.inner_text(".ck-profile")
    assert "#profile=" in summary  # the share link
    assert {"zh": "打印日期", "en": "Printed on"}[lang] in summary
    assert {"zh": "城市副中心", "en": "BMC"}[lang] in summary  # each policy, with its status and kind of source
    # The caveats stay in print.
    assert v.page.locator("[data-measure='tz-ai-2025/art-1'] .ck-warnings").is_visible()
    assert v.page.locator("[data-measure='tz-ai-2025/art-1'] .ck-requirements").is_visible()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_axe_finds_nothing_serious_on_the_checker_with_results(visit, site_url, lang):
    from test_a11y import AXE, BLOCKING, describe

    profile = {"district": "fengtai", "ai_partner": True, "activities": ["model-rnd"], "compute_spend": 5_000_000,
               "as_of": "2026-06-30"}
    v = visit(f"{site_url}{LANGS[lang]}#profile={b64url(profile)}")
    v.wait_for_result(0)
    v.page.wait_for_selector("[data-measure]", timeout=TIMEOUT)
    v.page.evaluate(AXE.read_text(encoding="utf-8"))  # not a script tag: the CSP forbids inline ones
    found = v.page.evaluate("""() => axe.run(document).then(r => r.violations.map(x => ({
        id: x.id, impact: x.impact, help: x.help, targets: x.nodes.map(n => n.target.join(' '))})))""")
    blocking = [x for x in found if x["impact"] in BLOCKING]
    assert not blocking, describe(v.page.url, blocking)


def test_the_404_page_speaks_both_languages_and_switches_to_each_home(visit, site_url):
    v = visit(f"{site_url}no/such/page/")
    v.page.goto(f"{site_url}404.html")
    assert "找不到此页面" in v.page.inner_text("main") and "Page not found" in v.page.inner_text("main")
    v.page.locator(".md-header__option .md-select").first.hover()
    v.page.locator('.md-select__link[hreflang="en"]').first.click()
    v.page.wait_for_url(f"{site_url}en/")
