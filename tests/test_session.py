"""The worker's session: answers carry only changed rows, and the page rebuilds exactly evaluate()'s report."""

from __future__ import annotations

import copy
import doctest
import importlib
import json
import pkgutil

import pytest

import calculator
from bench.profiles import random_profiles
from calculator import Calculator
from calculator.session import Session, apply, row_key

TODAY = "2026-06-30"


@pytest.fixture()
def session(bundle):
    return Session(copy.deepcopy(bundle))


def typing(n: int, seed: int):
    """Profiles as a company fills in the form: each one answer (or unanswer) away from the one before."""
    profile = {"as_of": TODAY}
    for other in random_profiles(n, seed=seed):
        field = sorted(other)[len(profile) % len(other)]
        if field in profile and field != "as_of" and len(profile) % 3 == 0:
            del profile[field]
        else:
            profile = profile | {field: other[field]}
        yield dict(profile)


def test_a_sequence_of_answers_rebuilds_every_report(session, bundle):
    """A page that applies each answer to the rows it holds has evaluate()'s results, row for row, in order."""
    calc = Calculator(copy.deepcopy(bundle))
    held: dict[str, dict] = {}
    base = None
    sizes = []
    for request, profile in enumerate(typing(300, seed=7), start=1):
        answer = json.loads(session.answer(json.dumps(profile), TODAY, request, base))["report"]
        expected = calc.evaluate(profile, TODAY)
        assert apply(held, answer) == expected["results"]
        assert answer["total"] == expected["total"] and answer["as_of"] == expected["as_of"]
        sizes.append((len(answer["changed"]), len(expected["results"])))
        base = request
    assert sizes[0][0] == sizes[0][1]  # the first answer holds every row
    assert sum(changed for changed, _ in sizes) < sum(rows for _, rows in sizes) / 4  # later ones far fewer


def test_a_session_in_parts_loads_only_what_each_profile_needs(bundle, tmp_path):
    """The browser's way: the data in parts by jurisdiction, added as profiles need them, and the same reports
    as the whole bundle's, row for row, while the district is chosen, changed and unanswered."""
    from macros.bundle import write_parts

    index = json.loads((tmp_path / write_parts(tmp_path, bundle)).read_text(encoding="utf-8"))
    texts = {name: (tmp_path / file).read_text(encoding="utf-8") for name, file in index["parts"].items()}
    fresh = Session(index=index)
    assert fresh.needs(json.dumps({"district": "fengtai"})) == ["beijing", "fengtai"]
    assert fresh.needs(json.dumps({"district": "haidian"})) == ["beijing"]
    assert sorted(fresh.needs("{}")) == sorted(texts) == sorted(fresh.needs("not json"))
    session, calc = Session(index=index), Calculator(copy.deepcopy(bundle))
    held: dict[str, dict] = {}
    base, seen = None, []
    start = [{"district": "haidian", "as_of": TODAY}, {"district": "fengtai", "ai_partner": True, "as_of": TODAY}]
    for request, profile in enumerate(start + list(typing(300, seed=11)), start=1):
        text = json.dumps(profile)
        session.add_parts(*[texts[name] for name in session.needs(text)])
        seen.append((profile.get("district"), set(session.parts)))
        answer = json.loads(session.answer(text, TODAY, request, base))["report"]
        expected = calc.evaluate(profile, TODAY)
        assert apply(held, answer) == expected["results"], profile
        assert answer["total"] == expected["total"]
        base = request
    assert seen[0][1] == {"beijing"} and seen[1][1] == {"beijing", "fengtai"}
    assert seen[-1][1] == set(texts)  # the typing unanswered the district at some point: every part


def test_one_changed_field_sends_only_the_rows_it_changes(session):
    profile = {"district": "fengtai", "ai_partner": True, "compute_spend": 20_000_000, "as_of": TODAY}
    first = json.loads(session.answer(json.dumps(profile), TODAY, 1, None))["report"]
    again = json.loads(session.answer(json.dumps(profile), TODAY, 2, 1))["report"]
    assert again["changed"] == {} and again["order"] == first["order"]
    more = json.loads(session.answer(json.dumps(profile | {"compute_spend": 40_000_000}), TODAY, 3, 2))["report"]
    changed = set(more["changed"])
    assert changed and changed < set(first["order"])
    for key in changed:  # each one really differs
        before = next(r for r in first["changed"].values() if row_key(r) == key)
        assert before != more["changed"][key]


def test_an_answer_not_held_by_the_page_is_sent_whole(session):
    """The page names the answer it applied; anything else (a dropped answer, a new page) gets every row."""
    profile = {"district": "tongzhou", "as_of": TODAY}
    first = json.loads(session.answer(json.dumps(profile), TODAY, 1, None))["report"]
    session.answer(json.dumps(profile), TODAY, 2, 1)  # answer 2 never applied by the page
    third = json.loads(session.answer(json.dumps(profile), TODAY, 3, 1))["report"]
    assert set(third["changed"]) == set(first["order"])


def test_errors_are_answered_and_leave_the_held_rows_alone(session):
    profile = {"district": "tongzhou", "as_of": TODAY}
    session.answer(json.dumps(profile), TODAY, 1, None)
    bad = json.loads(session.answer(json.dumps({"district": "atlantis"}), TODAY, 2, 1))
    assert bad["errors"] and "district" in bad["errors"][0]
    assert json.loads(session.answer("{not json", TODAY, 3, 1))["errors"][0].startswith("not JSON")
    # the page still holds answer 1: a diff against it, not a full answer
    same = json.loads(session.answer(json.dumps(profile), TODAY, 4, 1))["report"]
    assert same["changed"] == {}


def test_the_calculators_docstring_examples_hold():
    modules = [calculator] + [importlib.import_module(f"calculator.{m.name}")
                              for m in pkgutil.iter_modules(calculator.__path__) if m.name != "__main__"]
    results = [doctest.testmod(m) for m in modules]
    assert sum(r.failed for r in results) == 0
    assert sum(r.attempted for r in results) >= 20


def test_a_remembering_calculator_agrees_with_a_fresh_one(bundle):
    """Every rule case (forwards, then backwards), random profiles and typing: the same report, field for field.

    A remembered result is reused only when the answers it read are unchanged; a read that escaped the
    record would show here as a stale row.
    """
    from test_rule_cases import CASES

    fresh, remembering = Calculator(copy.deepcopy(bundle)), Calculator(copy.deepcopy(bundle), remember=True)
    profiles = [case["profile"] for _, case in CASES]
    profiles += profiles[::-1] + random_profiles(200, seed=11) + list(typing(300, seed=3))
    reused = 0
    for profile in profiles:
        before = {key: hit[3] for key, hit in remembering.remembered.items()}
        report = remembering.evaluate(profile, TODAY)
        assert report == fresh.evaluate(profile, TODAY), profile
        reused += sum(1 for key, hit in remembering.remembered.items() if before.get(key) is hit[3])
    assert reused > len(profiles) * 20  # and it does reuse: most measures, most of the time
