"""Accessibility of the main pages, in both languages, in headless Debian chromium.

axe-core (the pinned npm package in node_modules/) runs on the home page, the policy list, a policy page, a
measure page, a measure's embed, the comparison page and the checker (with results shown): no serious or critical violation.
The checker is then used with the keyboard alone, and its results must reach the live region.
"""

from __future__ import annotations

import pathlib

import pytest

AXE = pathlib.Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
TIMEOUT = 90_000  # ms; a cold Pyodide boot takes a few seconds
BLOCKING = ("serious", "critical")

PAGES = {
    "home": "",
    "policy-list": "policies/",
    "policy": "policies/tz-ai-2025/",
    "measure": "policies/tz-ai-2025/art-1/",
    "embed": "policies/bj-software-2022/item-9/embed/",  # the longest, with requirements
    "compare": "compare/",
    "checker": "checker/",
}
LANG_ROOT = {"zh": "", "en": "en/"}
CHECKER_READY = ("() => { const c = document.querySelector('#checker-app');"
                 " return c && !c.dataset.pending && Number(c.dataset.evaluations || 0) > %d; }")


@pytest.fixture()
def page(browser):
    # bypass_csp: axe is injected as an inline script, which the site's Content-Security-Policy rightly forbids.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    yield page
    context.close()


def evaluations(page) -> int:
    return int(page.eval_on_selector("#checker-app", "e => e.dataset.evaluations || 0"))


def axe_violations(page) -> list[dict]:
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `make setup-node`")
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("""() => axe.run(document).then(r => ({
        passed: r.passes.length,
        violations: r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                            targets: v.nodes.map(n => n.target.join(' '))})),
    }))""")
    assert found["passed"] >= 20, found  # axe really audited the page (a blank or broken page passes few rules)
    return found["violations"]


def describe(url: str, violations: list[dict]) -> str:
    lines = [f"{url}: {len(violations)} serious or critical accessibility violation(s)"]
    for v in violations:
        shown = v["targets"][:8]
        more = f" (+{len(v['targets']) - len(shown)} more)" if len(v["targets"]) > len(shown) else ""
        lines.append(f"  {v['id']} [{v['impact']}] {v['help']}: {len(v['targets'])} node(s)")
        lines.extend(f"    {t}" for t in shown)
        if more:
            lines.append(f"    {more.strip()}")
    return "\n".join(lines)


@pytest.mark.parametrize("lang", LANG_ROOT)
@pytest.mark.parametrize("name", PAGES)
def test_no_serious_or_critical_violation(page, site_url, built_site, name, lang):
    path = LANG_ROOT[lang] + PAGES[name]
    assert (built_site / path / "index.html").is_file(), path  # the page chosen still exists
    url = site_url + path
    page.goto(url)
    page.wait_for_load_state("load")
    if name == "checker":  # audit the results too, not only the form
        page.wait_for_function(CHECKER_READY % 0, timeout=TIMEOUT)
        before = evaluations(page)
        page.fill("#f-compute_spend", "3000000")
        page.select_option("#f-district", "tongzhou")
        page.wait_for_function(CHECKER_READY % before, timeout=TIMEOUT)  # the page's own signal: drawn
    found = axe_violations(page)
    blocking = [v for v in found if v["impact"] in BLOCKING]
    others = sorted(f"{v['id']}[{v['impact']}]x{len(v['targets'])}" for v in found if v["impact"] not in BLOCKING)
    if others:
        print(f"\n{path or '/'}: minor: {', '.join(others)}")
    assert not blocking, describe(url, blocking)


# ── the checker with the keyboard alone ─────────────────────────────────────────────────────────────

FOCUSED = "() => { const a = document.activeElement; return a ? (a.id || a.tagName.toLowerCase()) : ''; }"
LIVE_COUNT = {"zh": "须满足所列要求 {} 项", "en": "{} may apply if requirements are met"}


def press_until(page, key: str, condition: str, limit: int = 300) -> int:
    """Press `key` until the JavaScript `condition` (about document.activeElement) holds; return the presses."""
    for presses in range(1, limit + 1):
        page.keyboard.press(key)
        if page.evaluate(f"() => {{ const a = document.activeElement; return Boolean({condition}); }}"):
            return presses
    pytest.fail(f"{key} x{limit} never reached {condition}; focus is on {page.evaluate(FOCUSED)!r}")


def settle(page, after: int) -> None:
    page.wait_for_function(CHECKER_READY % after, timeout=TIMEOUT)


@pytest.mark.parametrize("lang", LANG_ROOT)
def test_the_checker_works_with_the_keyboard_alone(page, site_url, lang):
    page.goto(f"{site_url}{LANG_ROOT[lang]}checker/")
    settle(page, 0)
    live = page.locator("#checker-app .ck-live")
    # The live region is in the accessibility tree (not display:none, not aria-hidden) and speaks politely.
    assert live.get_attribute("aria-live") == "polite"
    assert live.evaluate("e => getComputedStyle(e).display !== 'none' && getComputedStyle(e).visibility !== 'hidden'"
                         " && !e.closest('[aria-hidden=true]')")
    first = live.inner_text()
    assert first  # the empty form's results were announced too

    # Tab to the district list and choose Tongzhou with the arrow keys.
    press_until(page, "Tab", "a.id === 'f-district'")
    options = page.eval_on_selector_all("#f-district option", "os => os.map(o => o.value)")
    before = int(page.eval_on_selector("#checker-app", "e => e.dataset.evaluations"))
    for _ in range(options.index("tongzhou")):
        page.keyboard.press("ArrowDown")
    assert page.input_value("#f-district") == "tongzhou"
    settle(page, before)
    chosen = live.inner_text()

    # Tab on to a numeric field and type an amount.
    press_until(page, "Tab", "a.id === 'f-compute_spend'")
    before = int(page.eval_on_selector("#checker-app", "e => e.dataset.evaluations"))
    page.keyboard.type("3,000,000")
    settle(page, before)
    assert page.input_value("#f-compute_spend") == "3,000,000"
    assert "3,000,000" in page.inner_text("#f-compute_spend-msg")  # the amount read back beside the field
    announced = live.inner_text()
    assert announced not in (first, chosen)
    # What is announced is what the page shows: the number that may apply and the total.
    conditional = page.locator("#checker-app [data-status=conditional]").count()
    assert conditional >= 1  # 通州 第一条: 应用成效显著 is not asked
    assert LIVE_COUNT[lang].format(conditional) in announced, announced
    total = int(page.get_attribute(".ck-total", "data-total"))
    assert f"{total:,}" in announced, announced

    # Back to the skip link, follow it with Enter: focus lands on the results.
    press_until(page, "Shift+Tab", "a.classList.contains('ck-skip')")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'ck-results'")
    # Tab through the results to the first explanation; open it with Enter, close it with Space, open it again.
    press_until(page, "Tab", "a.tagName === 'SUMMARY' && a.parentElement.matches('details.ck-steps')", limit=80)
    row = page.evaluate("() => document.activeElement.closest('[data-measure]').dataset.status")
    assert row == "conditional"  # the results start with what may apply (here: if the requirements are met)
    assert page.evaluate("() => document.activeElement.matches(':focus-visible')")
    steps = page.evaluate_handle("() => document.activeElement.parentElement")
    assert not steps.evaluate("d => d.open")
    page.keyboard.press("Enter")
    assert steps.evaluate("d => d.open")
    assert steps.evaluate("d => d.querySelectorAll('ol > li').length") >= 1
    assert steps.evaluate("d => d.querySelector('ol').getBoundingClientRect().height") > 0
    page.keyboard.press("Space")
    assert not steps.evaluate("d => d.open")
    page.keyboard.press("Space")
    assert steps.evaluate("d => d.open")
    # The explanation's own links are the next stops of the keyboard.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.matches('details.ck-steps[open] ol a.ck-cite')")
    # axe on the checker with an explanation open.
    blocking = [v for v in axe_violations(page) if v["impact"] in BLOCKING]
    assert not blocking, describe(page.url, blocking)
