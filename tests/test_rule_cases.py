"""Rule cases written by maintainers in YAML: tests/cases/<policy-id>/*.yaml.

Each file is a list of cases: ``name`` (a sentence that shows the arithmetic),
``profile`` (what the CLI reads), ``expect`` (measure → the fields it must have),
optionally ``absent`` (measures that must not be listed) and ``total``.
"""

from __future__ import annotations

import pathlib

import pytest
import yaml

from calculator.terms import MONETARY

CASES_DIR = pathlib.Path(__file__).parent / "cases"


def load_cases() -> list[tuple[str, dict]]:
    cases = []
    for path in sorted(CASES_DIR.glob("*/*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            cases.append((f"{path.parent.name}/{path.stem}: {case['name']}", case))
    return cases


CASES = load_cases()


@pytest.mark.parametrize("case", [c for _, c in CASES], ids=[i for i, _ in CASES])
def test_rule_case(calc, case):
    report = calc.evaluate(case["profile"])
    rows = {f"{r['policy']}/{r['measure']}": r for r in report["results"]}
    for measure, expected in case.get("expect", {}).items():
        assert measure in rows, f"{measure} is not listed for this profile"
        got = {key: rows[measure][key] for key in expected}
        assert got == expected, f"{measure}: {rows[measure]['explanation']}"
    for measure in case.get("absent", []):
        assert measure not in rows, f"{measure} should not be listed for this profile"
    if "total" in case:
        assert report["total"]["amount"] == case["total"], report["total"]


def test_every_measure_with_an_amount_has_a_case(policies):
    covered = {m for _, case in CASES for m in case.get("expect", {})}
    with_amount = {f"{p['id']}/{m['id']}" for p in policies for m in p["measures"]
                   if any(b["kind"] in MONETARY for b in m["benefits"])}
    assert sorted(with_amount - covered) == []


def test_case_names_are_unique_sentences():
    names = [i for i, _ in CASES]
    assert len(names) == len(set(names))
    assert all(len(c["name"].split()) >= 3 for _, c in CASES)
