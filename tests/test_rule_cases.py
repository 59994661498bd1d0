"""Rule cases written by maintainers in YAML: tests/cases/<policy-id>/*.yaml.

Each file is a list of cases: ``name`` (a sentence that quotes the words of the text that decide the case and
shows the arithmetic), ``profile`` (what the CLI reads), ``expect`` (measure → the fields it must have; besides
a row's own keys, ``requirement_ids`` lists the ids of the requirements the checker does not ask and
``warning_codes`` the codes of its warnings), optionally
``absent`` (measures that must not be listed), ``total`` (the headline total) and ``totals`` (sub-totals by kind
of money: conditional, competitive, validity_unknown, secondary_source).
"""

from __future__ import annotations

import pathlib
import re

import pytest
import yaml

from calculator.terms import MONETARY
from macros.loader import POLICY_DIR
from macros.validate import squash

CASES_DIR = pathlib.Path(__file__).parent / "cases"


def load_cases() -> list[tuple[str, dict]]:
    cases = []
    for path in sorted(CASES_DIR.glob("*/*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            cases.append((f"{path.parent.name}/{path.stem}: {case['name']}", case))
    return cases


CASES = load_cases()


def _row_view(row: dict, keys) -> dict:
    view = {}
    for key in keys:
        if key == "requirement_ids":
            view[key] = [q["id"] for q in row["requirements"]]
        elif key == "warning_codes":
            view[key] = [w["code"] for w in row["warnings"]]
        else:
            view[key] = row[key]
    return view


@pytest.mark.parametrize("case", [c for _, c in CASES], ids=[i for i, _ in CASES])
def test_rule_case(calc, case):
    report = calc.evaluate(case["profile"])
    rows = {f"{r['policy']}/{r['measure']}": r for r in report["results"]}
    for measure, expected in case.get("expect", {}).items():
        assert measure in rows, f"{measure} is not listed for this profile"
        got = _row_view(rows[measure], expected)
        assert got == expected, f"{measure}: {rows[measure]['explanation']}"
    for measure in case.get("absent", []):
        assert measure not in rows, f"{measure} should not be listed for this profile"
    if "total" in case:
        assert report["total"]["amount"] == case["total"], report["total"]
    for bucket, amount in case.get("totals", {}).items():
        assert report["total"][bucket]["amount"] == amount, report["total"][bucket]


def test_every_measure_with_an_amount_has_a_case(policies):
    covered = {m for _, case in CASES for m in case.get("expect", {})}
    with_amount = {f"{p['id']}/{m['id']}" for p in policies for m in p["measures"]
                   if any(b["kind"] in MONETARY for b in m["benefits"])}
    assert sorted(with_amount - covered) == []


def test_case_names_are_unique_sentences():
    names = [i for i, _ in CASES]
    assert len(names) == len(set(names))
    assert all(len(c["name"].split()) >= 3 for _, c in CASES)


_CJK_RUN = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”（）()、，,0-9%.万亿元]+")


@pytest.mark.parametrize("folder", sorted(p.name for p in CASES_DIR.iterdir() if p.is_dir()))
def test_every_case_name_quotes_the_words_that_decide_it(policies, folder):
    """A case encodes a reading; its name cites the text's own words (three or more characters, verbatim from a
    source text of its policy), so that a reviewer checks the reading against the text, not against the code."""
    policy = next(p for p in policies if p["id"] == folder)
    texts = [squash((POLICY_DIR / s["file"]).read_text(encoding="utf-8")) for s in policy["source_texts"]]
    bare = []
    for path in sorted((CASES_DIR / folder).glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            runs = [squash(r).strip("（(，,、") for r in _CJK_RUN.findall(case["name"])]
            words = [r for r in runs if len(re.findall(r"[\u4e00-\u9fff]", r)) >= 3
                     and not re.fullmatch(r"第[一二三四五六七八九十]+条(\(\d+\))?", r)]
            if not any(w in text for w in words for text in texts):
                bare.append(f"{path.name}: {case['name']}")
    assert bare == []
