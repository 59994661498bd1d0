"""The CLI: the worked examples end to end, and one clear message per bad field."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from calculator.cli import period_text
from macros.bundle import write_bundle


@pytest.fixture(scope="module", autouse=True)
def packaged_bundle(policies):
    write_bundle(policies=policies)


def run(tmp_path, profile, *args):
    path = tmp_path / "profile.json"
    path.write_text(profile if isinstance(profile, str) else json.dumps(profile), encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "calculator", "evaluate", str(path), *args],
                          capture_output=True, text=True, check=False)


def rows(stdout):
    report = json.loads(stdout)
    return report, {f"{r['policy']}/{r['measure']}": r for r in report["results"]}


def test_fengtai_worked_example(tmp_path):
    done = run(tmp_path, {"district": "fengtai", "ai_partner": True, "industrial_ai": False,
                          "activities": ["model-rnd"], "compute_spend": 5_000_000, "as_of": "2026-06-30"})
    assert done.returncode == 0, done.stderr
    report, by_id = rows(done.stdout)
    art1 = by_id["ft-ai-2025/art-1"]
    assert (art1["status"], art1["max_amount"], art1["period"], art1["years"]) == ("eligible", 1_000_000, "per_year", 2)
    assert set(report) >= {"as_of", "results", "total"}
    assert {"policy", "measure", "status", "max_amount", "period", "explanation", "warnings"} <= set(art1)
    assert any("5,000,000 × 20% = 1,000,000" in step["text"]["en"] for step in art1["explanation"])


def test_fengtai_industrial_variant(tmp_path):
    done = run(tmp_path, {"district": "fengtai", "ai_partner": True, "industrial_ai": True,
                          "activities": ["model-rnd"], "compute_spend": 20_000_000, "as_of": "2026-06-30"})
    _, by_id = rows(done.stdout)
    art1 = by_id["ft-ai-2025/art-1"]
    assert (art1["max_amount"], art1["period"], art1["years"]) == (3_000_000, "per_year", 3)
    # "最高200万元支持,连续支持不超过2年": per year or in all, the text does not say; the reader is told.
    assert art1["cap_scope_unstated"] is True
    assert period_text(art1, "en") == "per year (or in all: the text does not say), up to 3 years"
    assert period_text(art1, "zh") == "每年（或为合计，原文未说明），最多3年"
    art8 = by_id["ft-ai-2025/art-8-2"]  # 每年累计最高支持50万元: a cap the text says is yearly
    assert art8["cap_scope_unstated"] is False


def test_a_row_of_several_periods_names_the_first_and_then_the_others():
    row = {"periods": ["once", "unstated"], "period": "mixed", "years": None}
    assert period_text(row, "en") == "once (another part: period not stated)"
    assert period_text(row, "zh") == "一次性（另有部分期限未写明）"


def test_tongzhou_worked_example(tmp_path):
    done = run(tmp_path, {"district": "tongzhou", "compute_spend": 3_000_000, "model_spend": 500_000,
                          "data_purchase": 12_000_000, "as_of": "2026-06-30"}, "--lang", "en")
    _, by_id = rows(done.stdout)
    assert by_id["tz-ai-2025/art-1"]["max_amount"] == 500_000
    assert by_id["tz-ai-2025/art-6"]["max_amount"] == 150_000
    assert by_id["tz-ai-2025/art-2"]["max_amount"] == 1_000_000
    assert not any(key.startswith("ft-ai-2025/") for key in by_id)
    assert isinstance(by_id["tz-ai-2025/art-1"]["explanation"][0]["text"], str)  # --lang flattens


def test_as_of_option_overrides_the_profile(tmp_path):
    done = run(tmp_path, {"district": "fengtai", "ai_partner": True, "compute_spend": 5_000_000,
                          "as_of": "2026-06-30"}, "--as-of", "2029-01-01")
    assert rows(done.stdout)[1]["ft-ai-2025/art-1"]["status"] == "not_in_force"


def test_table_format(tmp_path):
    done = run(tmp_path, {"district": "fengtai", "ai_partner": True, "industrial_ai": False, "activities": ["model-rnd"],
                          "compute_spend": 5_000_000, "as_of": "2026-06-30"}, "--format", "table", "--lang", "en")
    assert done.returncode == 0
    line = next(line for line in done.stdout.splitlines() if line.startswith("ft-ai-2025/art-1 "))
    # The measure's number and title, not only its id; its status and amount.
    assert "Article 1 Increase the supply of AI computing power" in line and "may apply" in line and "1,000,000" in line
    assert "Total (entitlements; an upper bound, not a promise): 1,000,000" in done.stdout


def test_table_lists_what_a_conditional_measure_still_needs(tmp_path):
    done = run(tmp_path, {"district": "fengtai", "model_spend": 500_000, "activities": ["agents"],
                          "as_of": "2026-06-30"}, "--format", "table", "--lang", "en")
    line = next(line for line in done.stdout.splitlines() if line.startswith("ft-ai-2025/art-2-2 "))
    assert "may apply if the requirements listed are met" in line and "150,000" in line
    needs = next(line for line in done.stdout.splitlines() if line.strip().startswith("ft-ai-2025/art-2-2:"))
    assert "Given after review and recognition" in needs
    assert "Depends on requirements the checker does not ask: 150,000" in done.stdout


@pytest.mark.parametrize("profile, messages", [
    ({"compute_spend": "lots"}, ["compute_spend: must be a whole number of yuan (got 'lots')"]),
    ({"compute_spend": -5}, ["compute_spend: must not be negative (got -5)"]),
    ({"district": "atlantis"}, ["district: unknown value 'atlantis'"]),
    ({"as_of": "2026-13-01"}, ["as_of: must be a date written YYYY-MM-DD (got '2026-13-01')"]),
    ({"as_of": "1999-12-31"}, ["as_of: date out of range 2000-01-01–2100-12-31 (got 1999-12-31)"]),
    ({"colour": "red"}, ["colour: unknown field"]),
    ({"ai_partner": "yes"}, ["ai_partner: must be true or false (got 'yes')"]),
    ({"industry_code": 65}, ['industry_code: must be a string of two digits such as "65" (got 65)']),
    ({"profile_version": 0}, ["profile_version: this profile uses format 0"]),
    ({"district": "mars", "model_spend": 1.5, "entity_kinds": ["pirate"]},
     ["district: unknown value 'mars'", "entity_kinds: unknown value 'pirate'",
      "model_spend: must be a whole number of yuan (got 1.5)"]),
])
def test_malformed_profile_exits_2_naming_each_field(tmp_path, profile, messages):
    done = run(tmp_path, profile)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == len(messages)
    for line, message in zip(lines, messages):
        assert message in line


def test_not_json_exits_2(tmp_path):
    done = run(tmp_path, "{not json")
    assert done.returncode == 2 and "is not valid JSON" in done.stderr


@pytest.mark.parametrize("text, message", [
    ('{"compute_spend": ' + "9" * 400 + "}", "compute_spend: is implausibly large (got a number of 400 digits)"),
    ('{"compute_spend": -' + "9" * 400 + "}", "compute_spend: is implausibly large (got a number of 400 digits)"),
    ('{"compute_spend": ' + "9" * 5000 + "}", "compute_spend: is implausibly large (got a number of 5,000 digits)"),
    ('{"revenue": 1e400}', "revenue: must be a whole number of yuan (got inf)"),
    ('{"revenue": NaN}', "(profile): NaN is not a number JSON allows"),
    ('{"district": "fengtai", "district": "tongzhou"}', "district: given twice"),
    ('{"entity_kinds": ' + "[" * 1500 + "]" * 1500 + "}", "(profile): nested deeper than 4 levels"),
    ("[" * 100_000, "(profile): nested deeper than 4 levels"),
    ('{"as_of": "2025W011"}', "as_of: must be a date written YYYY-MM-DD (got '2025W011')"),
    ('{"as_of": "20250101"}', "as_of: must be a date written YYYY-MM-DD (got '20250101')"),
    ('{"as_of": "２０２５-01-01"}', "as_of: must be a date written YYYY-MM-DD"),
    ('{"district": "' + "x" * 5000 + '"}', "district: unknown value 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…"),
    (" " * 200_000 + "{}", "(profile): 100,001 characters, more than a profile's 100,000"),
], ids=["400-digits", "minus-400-digits", "5000-digits", "1e400", "NaN", "duplicate-key", "nested-1500",
        "nested-100000", "iso-week-date", "basic-date", "fullwidth-digits", "long-value", "oversized"])
def test_hostile_profiles_get_one_message_naming_the_field_and_no_traceback(tmp_path, text, message):
    done = run(tmp_path, text)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], lines


def test_control_characters_of_a_key_are_escaped_not_echoed(tmp_path):
    done = run(tmp_path, '{"co\\u001b[2J\\u202elour\\u0000": 1}')
    assert done.returncode == 2
    assert done.stderr.strip().endswith("co\\x1b[2J\\u202elour\\x00: unknown field"), done.stderr
    assert not [c for c in done.stderr if not (c.isprintable() or c == "\n")]


def test_standard_input_of_any_length_is_read_only_as_far_as_a_profile_can_go(tmp_path):
    big = "{" + '"a": 1, ' * 2_000_000 + '"b": 2}'  # 16 MB
    done = subprocess.run([sys.executable, "-m", "calculator", "evaluate", "-"], input=big, capture_output=True,
                          text=True, check=False, timeout=60)
    assert done.returncode == 2 and "more than a profile's" in done.stderr


def test_the_schema_command_prints_the_questions(tmp_path):
    done = subprocess.run([sys.executable, "-m", "calculator", "schema"], capture_output=True, text=True, check=False)
    assert done.returncode == 0
    assert {f["id"] for f in json.loads(done.stdout)["fields"]} >= {"as_of", "district", "compute_spend"}


def test_the_first_and_last_plausible_dates_are_accepted():
    from calculator.profile import EARLIEST, LATEST, read_profile

    for day in (EARLIEST, LATEST):
        assert read_profile({"as_of": day.isoformat()})[1] == []


@pytest.mark.parametrize("text, refused", [
    ('{"district": "[[[[[[[[\\"]]]]]]"}', False),  # brackets and an escaped quote inside a string
    ('{"district": "\\\\", "x": [[[[1]]]]}', True),  # an escaped backslash ends nothing: the string ends there
    ("{" + ", ".join(f'"k{i}": [[1]]' for i in range(50)) + "}", False),  # many lists side by side
    ('{"district": "\\"[[[[[[", "x": 1}', False),  # an escaped quote does not end the string
    ('{"a": [[[1]]]}', False),  # four levels: the limit
    ('{"a": [[[[1]]]]}', True),
    ('{"a": [], "b": [[[[1]]]]}', True),  # a list closed before counts no more
])
def test_nesting_is_counted_outside_strings_and_only_in_depth(text, refused):
    from calculator.profile import ProfileError, parse_json

    try:
        parse_json(text)
    except ProfileError as err:
        assert refused and "nested deeper than 4 levels" in err.errors[0]
    else:
        assert not refused


def test_long_keys_are_cut_in_messages():
    from calculator.profile import printable

    assert printable("k" * 100) == "k" * 39 + "…" and printable("k" * 40) == "k" * 40
