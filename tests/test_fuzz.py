"""Fuzzing: random mutations of the real policy files and random profiles never crash.

A mutated policy file gives problems as `file:line: field: message` lines (or none,
when the mutation happens to be harmless); a random profile gives either a report or
one message per bad field. Anything else, an exception, is a defect.
"""

from __future__ import annotations

import json
import random
import shutil

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calculator import ProfileError
from calculator.fields import FIELDS
from macros.loader import POLICY_DIR, policy_files
from macros.validate import validate_folder

POLICY_TEXTS = {p.name: p.read_text(encoding="utf-8") for p in policy_files()}


def _mutate(text: str, rng: random.Random) -> str:
    lines = text.splitlines()
    i = rng.randrange(len(lines))
    kind = rng.randrange(8)
    if kind == 0:
        del lines[i]
    elif kind == 1:
        lines.insert(i, lines[rng.randrange(len(lines))])
    elif kind == 2:  # a number changed
        lines[i] = "".join(str(rng.choice([-1, 0, 7, 10**12])) if c.isdigit() and rng.random() < 0.3 else c
                           for c in lines[i])
    elif kind == 3:
        lines[i] = "\t" + lines[i]
    elif kind == 4:
        lines[i] = lines[i][: rng.randrange(len(lines[i]) + 1)]
    elif kind == 5:  # a value replaced by something of another type
        if ":" in lines[i]:
            key = lines[i].split(":")[0]
            lines[i] = f"{key}: {rng.choice(['[]', '{}', 'null', '-5', '\"\"', 'yes', '2025-13-40', '150%'])}"
    elif kind == 6:
        lines = lines[: rng.randrange(len(lines))]
    else:  # indentation broken
        lines[i] = " " * rng.randrange(5) + lines[i].lstrip()
    return "\n".join(lines) + "\n"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.sampled_from(sorted(POLICY_TEXTS)), st.integers(0, 2**32), st.integers(1, 3))
def test_mutated_policy_files_give_problem_lines_not_exceptions(tmp_path_factory, name, seed, rounds):
    folder = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(POLICY_DIR / "sources", folder / "sources")
    for other, text in POLICY_TEXTS.items():  # the others stay valid, so references resolve
        (folder / other).write_text(text, encoding="utf-8")
    rng = random.Random(seed)
    text = POLICY_TEXTS[name]
    for _ in range(rounds):
        text = _mutate(text, rng)
    (folder / name).write_text(text, encoding="utf-8")
    _, problems = validate_folder(folder)
    for problem in problems:
        assert problem.line >= 1 and problem.field and problem.message, problem


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-10**15, 10**15) | st.floats(allow_nan=True) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6)
FIELD_IDS = [f["id"] for f in FIELDS] + ["profile_version", "colour"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(FIELD_IDS), JSON_VALUES, max_size=8))
def test_random_profiles_give_a_report_or_one_message_per_bad_field(calc, raw):
    try:
        report = calc.evaluate(raw)
    except ProfileError as err:
        assert err.errors and all(":" in e for e in err.errors)
        named = {e.split(":")[0] for e in err.errors}
        assert named <= set(raw), (named, raw)
        return
    json.dumps(report)  # plain JSON, nothing else
    assert report["as_of"]
