"""Every sentence the calculator builds for a reader is in the right language and says its caveats.

The engine builds explanation steps, missing answers, reasons, hints and warnings at run time, in both
languages side by side. A swapped pair (the English text where the Chinese belongs) would reach the page;
these tests read every one of them over many real profiles.
"""

from __future__ import annotations

import re

from bench.profiles import random_profiles

CJK = re.compile(r"[\u4e00-\u9fff]")
# Chinese is quoted in English sentences: the text's own words, labels in 【】 or “”, names after a colon.
QUOTED = re.compile(r"“[^”]*”|「[^」]*」|【[^】]*】|\([^()]*[\u4e00-\u9fff][^()]*\)|（[^）]*）")


def texts(report):
    for row in report["results"]:
        for item in row["explanation"]:
            yield "explanation", item["text"]
        for key in ("failed", "missing"):
            for item in row[key]:
                yield key, item["text"]
        for hint in row["hints"]:
            yield "hints", hint
        for warning in row["warnings"]:
            yield "warnings", warning["text"]
        for req in row["requirements"]:
            yield "requirements", req["label"]


def test_every_built_sentence_is_in_its_language(calc):
    checked = 0
    for profile in random_profiles(150, seed=5):
        report = calc.evaluate(profile)
        for where, text in texts(report):
            assert CJK.search(text["zh"]), (where, text)
            english = QUOTED.sub("", text["en"])
            # Chinese in an English sentence is the text's own words: quoted, or after a colon. Anywhere else
            # it is a Chinese sentence in the English place.
            first = CJK.search(english)
            assert first is None or re.search(r"[:：]", english[: first.start()]), (where, text)
            checked += 1
    assert checked > 5_000


def test_a_measure_says_its_caveats(calc):
    """Warnings are not decoration: a competitive award, an unpublished rate, a secondary summary, a policy of
    unknown validity and a budget rule each say so on the result they concern."""
    def warnings(profile, measure):
        rows = {f"{r['policy']}/{r['measure']}": r for r in calc.evaluate(profile)["results"]}
        return {w["code"] for w in rows[measure]["warnings"]}

    assert {"competitive", "per_project"} <= warnings(
        {"district": "haidian", "industry_code": "65", "activities": ["scenario-project"],
         "scenario_project_investment": 2_000_000, "as_of": "2025-06-30"}, "bj-ai-plus-2024/sec-6-3")
    assert {"secondary_source", "dates_unverified"} <= warnings(
        {"district": "haidian", "industry_code": "65", "activities": ["agents"], "as_of": "2025-06-30"},
        "bj-ai-services-2025/art-3")
    assert {"dates_unknown", "collected_text", "rate_ceiling"} <= warnings(
        {"district": "tongzhou", "compute_spend": 1_000_000, "as_of": "2026-06-30"}, "tz-ai-2025/art-1")
    assert {"budget"} <= warnings(
        {"district": "fengtai", "ai_partner": True, "activities": ["model-rnd"], "compute_spend": 1_000_000,
         "as_of": "2026-06-30"}, "ft-ai-2025/art-1")
    # Each warning once, however many terms raise it.
    rows = calc.evaluate({"district": "fengtai", "standards_led": ["international", "national", "industry"],
                          "as_of": "2026-06-30"})["results"]
    art = next(r for r in rows if r["measure"] == "art-6-4")
    codes = [w["code"] for w in art["warnings"]]
    assert len(codes) == len(set(codes)) and "per_standard" in codes


def test_the_next_tier_is_the_one_above_a_revenue_exactly_at_a_threshold(calc):
    """第五条(1) 首次达到…5000万元…1亿元: a revenue of exactly 50,000,000 is in the 5000万 tier; the hint names the
    1亿 tier (300,000, or 400,000 with the industrial-AI increment), not the tier already reached."""
    rows = {r["measure"]: r for r in calc.evaluate({
        "district": "fengtai", "revenue": 50_000_000, "revenue_highest_before": 40_000_000, "industrial_ai": True,
        "as_of": "2026-06-30"})["results"] if r["policy"] == "ft-ai-2025"}
    hints = " ".join(h["en"] for h in rows["art-5-1"]["hints"])
    assert "Next tier: Main-business revenue this year of 100,000,000 yuan, 50,000,000 yuan away" in hints, hints
    assert "which gives up to 400,000 yuan" in hints, hints


def test_a_remembering_calculator_gives_the_same_report_twice(bundle):
    """The session's calculator reuses a measure's result while its answers are unchanged; the total's notes
    ("not both", shared caps) are written on copies, so asking twice never doubles them."""
    import copy

    from calculator import Calculator

    profile = {"district": "haidian", "industry_code": "65", "activities": ["key-technology"],
               "software_maturity_tier": "tier-3", "software_project_investment": 100_000_000, "as_of": "2025-06-30"}
    fresh = Calculator(copy.deepcopy(bundle)).evaluate(profile)
    remembering = Calculator(copy.deepcopy(bundle), remember=True)
    first = remembering.evaluate(profile)
    second = remembering.evaluate(profile)
    assert first == fresh and second == fresh
    assert any("not both" in step["text"]["en"] for r in second["results"] for step in r["explanation"])


def test_an_industry_condition_names_the_industries_not_bare_codes(calc):
    """bj-software-2022 第一条 names 63, 64 and 65 by code; a retail firm (52) reads why it is out by name."""
    from macros.render import condition_text

    report = calc.evaluate({"as_of": "2023-06-01", "district": "haidian", "entity_kinds": ["enterprise"],
                            "industry_code": "52"})
    reasons = [f["text"] for row in report["results"] if row["policy"] == "bj-software-2022" for f in row["failed"]
               if f["fields"] == ["industry_code"]]
    assert len(reasons) == 12  # every measure of the document
    assert "软件和信息技术服务业（65）" in reasons[0]["zh"] and "互联网和相关服务（64）" in reasons[0]["zh"]
    assert "Software and information technology services (65)" in reasons[0]["en"]
    page = condition_text({"field": "industry_code", "op": "in", "value": ["64", "65"]}, "en")
    assert page.endswith("Internet and related services (64); Software and information technology services (65)")


def test_the_yearly_budget_caveat_is_said_only_where_money_is_given(calc):
    """丰台's 受年度总额控制 limits money: 第一条 (a share of spend) says it; 第五条(4) (“零租金”空间, in kind) and
    第十条(3) (services) do not."""
    report = calc.evaluate({"district": "fengtai", "entity_kinds": ["enterprise"]})
    codes = {r["measure"]: [w["code"] for w in r["warnings"]] for r in report["results"] if r["policy"] == "ft-ai-2025"}
    assert "budget" in codes["art-1"] and "budget" in codes["art-4-1"]
    assert "budget" not in codes["art-5-4"] and "budget" not in codes["art-10-3"]


def test_one_question_that_decides_several_tiers_is_asked_once(calc):
    """丰台 第五条(1): 首次突破5000万元、1亿元、5亿元、10亿元 — one unanswered revenue leaves four tiers open: one
    line names them all (it was one line per tier)."""
    report = calc.evaluate({"district": "fengtai", "entity_kinds": ["enterprise"]})
    row = next(r for r in report["results"] if (r["policy"], r["measure"]) == ("ft-ai-2025", "art-5-1"))
    tiers = [m for m in row["missing"] if "revenue" in m["fields"]]
    assert len(tiers) == 1
    assert tiers[0]["text"]["en"].count("first reaches") == 4 and "所达档位" in tiers[0]["text"]["zh"]


def test_a_row_that_needs_answers_says_where_its_amount_will_count_when_the_policy_decides_it(calc):
    """通州's dates were not found: however it is answered, its money counts apart (validity unknown); 丰台's
    dates are known, so where its open rows will count depends on the answers, and nothing is said yet."""
    rows = {d: [r for r in calc.evaluate({"district": d}, "2026-06-30")["results"]
                if r["status"] == "unknown" and r["max_amount"]] for d in ("tongzhou", "fengtai")}
    tongzhou = [r for r in rows["tongzhou"] if r["policy"] == "tz-ai-2025"]
    assert tongzhou and all(r["apart"] == ["validity_unknown"] for r in tongzhou)
    fengtai = [r for r in rows["fengtai"] if r["policy"] == "ft-ai-2025"]
    assert fengtai and all(r["apart"] == [] for r in fengtai)
    # Once answered, the amount counts where `apart` said (tz-ai-2025 第一条: a computing-power voucher).
    done = calc.evaluate({"district": "tongzhou", "compute_spend": 3_000_000, "model_spend": 500_000},
                         "2026-06-30")["results"]
    answered = [r for r in done if r["status"] in ("eligible", "conditional") and r["policy"] == "tz-ai-2025"]
    assert answered and all(set(r["parts"]) == {"validity_unknown"} for r in answered)
