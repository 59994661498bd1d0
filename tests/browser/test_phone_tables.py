"""On a phone (390 px) the tables people read for money show every column without sideways scrolling:
a measure's terms as one card per term, the policy list with its status in view."""

from __future__ import annotations

import pytest

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True}


@pytest.fixture()
def phone(browser):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize("path,labels", [
    ("policies/ft-ai-2025/art-6-2/", ["年限：", "条件：", "提高档：", "支持方式："]),
    ("en/policies/ft-ai-2025/art-1/", ["Years:", "Conditions:", "Higher variant:", "Kind of award:"]),
])
def test_a_measures_terms_are_cards_whose_every_cell_is_in_view(phone, site_url, path, labels):
    phone.goto(site_url + path)
    table = phone.locator('table[data-bjp="terms"]').first
    cells = table.locator("tbody td")
    assert cells.count() >= 8
    for box in cells.evaluate_all("cells => cells.map(c => c.getBoundingClientRect().toJSON())"):
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    shown = " ".join(cells.evaluate_all(
        "cells => cells.map(c => getComputedStyle(c, '::before').content.replace(/^\"|\"$/g, ''))"))
    for label in labels:
        assert label in shown, (label, shown)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


@pytest.mark.parametrize("root,status", [("", "状态"), ("en/", "Status")])
def test_the_policy_lists_status_is_in_view_on_a_phone(phone, site_url, root, status):
    phone.goto(site_url + root + "policies/")
    head = phone.locator("#bjp-policies thead th", has_text=status).first
    box = head.bounding_box()
    assert box["x"] + box["width"] <= 390, box
