"""The validator: the real data passes; each broken fixture fails with its own message."""

from __future__ import annotations

import pathlib
import re
import shutil

import pytest

from macros.loader import POLICY_DIR
from macros.validate import squash, validate_folder

BROKEN = pathlib.Path(__file__).parent / "broken"
CASES = sorted(p for p in BROKEN.glob("*.yaml") if not p.name.startswith("_"))


def _validate_as_tiny_policy(source: pathlib.Path, tmp_path: pathlib.Path) -> list[str]:
    shutil.copytree(BROKEN / "sources", tmp_path / "sources")
    shutil.copy(source, tmp_path / "tiny-policy.yaml")
    _, problems = validate_folder(tmp_path)
    return [f"{pathlib.Path(p.file).name}:{p.line}: {p.field}: {p.message}" for p in problems]


def test_real_policies_have_no_problem():
    docs, problems = validate_folder(POLICY_DIR)
    assert [str(p) for p in problems] == []
    assert {d.data["id"] for d in docs} == {
        "bj-ai-services-2025", "bj-ai-plus-2024", "ft-ai-2025", "tz-ai-2025", "bj-software-2022"}


def test_the_control_fixture_is_valid(tmp_path):
    assert _validate_as_tiny_policy(BROKEN / "_valid.yaml", tmp_path) == []


def test_there_are_at_least_25_kinds_of_mistake():
    assert len(CASES) >= 25


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_broken_fixture_reports_its_mistake(case, tmp_path):
    expected = re.search(r"^# expect: (.+)$", case.read_text(encoding="utf-8"), re.MULTILINE).group(1)
    problems = _validate_as_tiny_policy(case, tmp_path)
    assert expected in problems, problems
    file, line, field = expected.split(":")[:3]
    assert file == "tiny-policy.yaml" and line.isdigit() and field.strip()


@pytest.mark.parametrize("count", [("ft-ai-2025", 32), ("tz-ai-2025", 20), ("bj-software-2022", 12),
                                   ("bj-ai-plus-2024", 23), ("bj-ai-services-2025", 8)], ids=lambda c: c[0])
def test_measure_counts(policies, count):
    policy_id, expected = count
    policy = next(p for p in policies if p["id"] == policy_id)
    assert len(policy["measures"]) == expected


def test_every_chinese_text_is_verbatim_from_the_repository_copy(policies):
    for policy in policies:
        sources = [squash((POLICY_DIR / s["file"]).read_text(encoding="utf-8")) for s in policy["source_texts"]]
        for measure in policy["measures"]:
            zh = measure["text"]["zh"]
            for part in zh if isinstance(zh, list) else [zh]:
                assert any(squash(part) in text for text in sources), f"{policy['id']}/{measure['id']}"


def test_unverified_facts_of_sources_md_are_marked(policies):
    by_id = {p["id"]: p for p in policies}
    assert by_id["bj-ai-plus-2024"]["document_number"] == {**by_id["bj-ai-plus-2024"]["document_number"],
                                                           "value": "京发改〔2024〕1081号", "verified": False}
    assert by_id["ft-ai-2025"]["document_number"]["value"] is None
    assert by_id["tz-ai-2025"]["title"]["official"] is False
    assert all(by_id["tz-ai-2025"]["dates"][k]["date"] is None for k in ("issued", "effective", "expires"))
    software = by_id["bj-software-2022"]["dates"]["expires"]
    assert software["date"] == "2025-07-25" and software["verified"] is False
    assert software["derived"]["rule"] == "validity-period"
    services = by_id["bj-ai-services-2025"]
    assert services["document_number"]["value"] is None
    # SOURCES.md: validity not found. A plan titled （2025年） ends with 2025, marked derived and unverified.
    expires = services["dates"]["expires"]
    assert (expires["date"], expires["verified"], expires["derived"]["rule"]) == ("2025-12-31", False, "title-period")
    plus = by_id["bj-ai-plus-2024"]["dates"]["expires"]
    assert (plus["date"], plus["verified"], plus["derived"]["rule"]) == ("2025-12-31", False, "title-period")
    # SOURCES.md: it cites 国发〔2025〕11号 of 2025-08-26, so it cannot be in force before that day.
    assert by_id["tz-ai-2025"]["dates"]["effective"]["not_before"] == "2025-08-26"


def test_committed_schema_is_what_its_builder_writes():
    import runpy

    built = runpy.run_path(str(pathlib.Path(__file__).parent.parent / "schema" / "build_schema.py"))["TEXT"]
    committed = (pathlib.Path(__file__).parent.parent / "schema" / "policy.schema.json").read_text(encoding="utf-8")
    assert built == committed, "run `python schema/build_schema.py` and commit the result"


def test_the_validators_and_renderers_docstring_examples_hold():
    import doctest

    from macros import guards, loader, opendata, render, validate

    results = [doctest.testmod(m) for m in (loader, guards, validate, opendata, render)]
    assert sum(r.failed for r in results) == 0
    assert sum(r.attempted for r in results) >= 6


def test_the_schemas_code_fields_are_the_calculators():
    """The schema requires quoted codes for the fields that are codes in calculator/fields.py."""
    from calculator.fields import FIELDS
    from macros.validate import SCHEMA

    rule = SCHEMA["$defs"]["condition"]["oneOf"][0]["allOf"][0]
    codes = [f for f in FIELDS if f["type"] == "code"]
    assert rule["if"]["properties"]["field"]["enum"] == [f["id"] for f in codes]
    assert {f["pattern"] for f in codes} == {rule["then"]["properties"]["value"]["pattern"]}
