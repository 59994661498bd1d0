"""Fuzzing: random mutations of the real policy files and random profiles never crash.

A mutated policy file gives problems as `file:line: field: message` lines (or none,
when the mutation happens to be harmless); a random profile gives either a report or
one message per bad field. Anything else, an exception, is a defect. The mutations
include what an attacker would try: YAML anchors, aliases and tags, numbers of hundreds
of digits, nesting thousands deep, invisible characters; profiles get the names every
JavaScript object inherits, invisible characters in keys, and numbers beyond any float.
"""

from __future__ import annotations

import json
import random
import shutil
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calculator import ProfileError
from calculator.fields import FIELDS
from calculator.profile import parse_json, printable, read_profile
from macros.loader import POLICY_DIR, policy_files
from macros.validate import validate_folder

HOSTILE_CHARACTERS = ["\x00", "\x1b[2J", "\u202e", "\u2028", "\u200f", "\x7f", "\x85"]

POLICY_TEXTS = {p.name: p.read_text(encoding="utf-8") for p in policy_files()}


def _mutate(text: str, rng: random.Random) -> str:
    lines = text.splitlines()
    i = rng.randrange(len(lines))
    kind = rng.randrange(13)
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
    elif kind == 7:  # indentation broken
        lines[i] = " " * rng.randrange(5) + lines[i].lstrip()
    elif kind == 8:  # an anchor on one value, aliases of it elsewhere (the way to a YAML bomb)
        for n, (j, key) in enumerate(sorted(_values(lines, rng, 2 + rng.randrange(3)))):
            lines[j] = f"{key}: &v [x, x, x]" if n == 0 else f"{key}: *v"
    elif kind == 9:  # a number of hundreds or thousands of digits, or beyond a float
        for j, key in _values(lines, rng, 1):
            lines[j] = f"{key}: {rng.choice(['9' * rng.choice([16, 400, 5000]), '1.0e+400', '-.inf', '.nan', '2.0e+6'])}"
    elif kind == 10:  # nesting deeper than any policy
        for j, key in _values(lines, rng, 1):
            depth = rng.choice([21, 1000, 100_000])
            lines[j] = f"{key}: {'[' * depth}x{']' * depth}"
    elif kind == 11:  # an invisible character, raw or escaped in a quoted string
        char = rng.choice(HOSTILE_CHARACTERS)
        raw = rng.random() < 0.5
        for j, key in _values(lines, rng, 1):
            escaped = char.encode("unicode_escape").decode("ascii").replace("\\x", "\\u00")
            lines[j] = f"{key}: text{char}here" if raw else f'{key}: "text{escaped}here"'
    else:  # a YAML tag
        for j, key in _values(lines, rng, 1):
            lines[j] = f"{key}: {rng.choice(['!!python/object/apply:os.system [id]', '!include x.yaml', '!!str 5'])}"
    return "\n".join(lines) + "\n"


def _values(lines: list[str], rng: random.Random, n: int) -> list[tuple[int, str]]:
    """Up to ``n`` random lines holding `key: value`, with their key (indentation and dash kept)."""
    keyed = [j for j, line in enumerate(lines) if ":" in line and not line.lstrip().startswith("#")]
    return [(j, lines[j].split(":")[0]) for j in rng.sample(keyed, min(n, len(keyed)))]


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
    started = time.perf_counter()
    _, problems = validate_folder(folder)
    assert time.perf_counter() - started < 10  # nothing a mutation can write makes validation crawl
    for problem in problems:
        assert problem.line >= 1 and problem.field and problem.message, problem


HUGE = st.sampled_from([10**400, -(10**400), 2**63, 10**13 + 1, float("inf"), 1e308])
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-10**15, 10**15) | HUGE | st.floats(allow_nan=True)
    | st.text(max_size=12) | st.sampled_from(HOSTILE_CHARACTERS) | st.sampled_from(["2025W011", "20250101"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6)
PROTOTYPE_KEYS = ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf", "prototype"]
FIELD_IDS = [f["id"] for f in FIELDS] + ["profile_version", "colour"] + PROTOTYPE_KEYS + [
    f"col{c}our" for c in HOSTILE_CHARACTERS]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(FIELD_IDS), JSON_VALUES, max_size=8))
def test_random_profiles_give_a_report_or_one_message_per_bad_field(calc, raw):
    try:
        report = calc.evaluate(raw)
    except ProfileError as err:
        assert err.errors and all(":" in e for e in err.errors)
        named = {e.split(":")[0] for e in err.errors}
        assert named <= {printable(k) for k in raw}, (named, raw)
        assert all(c.isprintable() for e in err.errors for c in e), err.errors  # nothing reaches a terminal raw
        return
    json.dumps(report)  # plain JSON, nothing else
    assert report["as_of"]


def _json_text(value, rng: random.Random) -> str:
    """JSON text of ``value`` with what a hand-made file may hold: a key twice, nesting, huge numbers."""
    text = json.dumps(value, ensure_ascii=rng.random() < 0.5)
    choice = rng.randrange(5)
    if choice == 0 and text.startswith("{") and len(text) > 2:
        text = text[:-1] + ', "district": "a", "district": "b"}'
    elif choice == 1:
        depth = rng.choice([4, 5, 1000, 50_000])
        text = "[" * depth + "]" * depth
    elif choice == 2:
        text = '{"revenue": ' + rng.choice(["9" * 400, "-" + "9" * 5000, "1e400", "NaN", "-Infinity"]) + "}"
    return text


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(FIELD_IDS), JSON_VALUES, max_size=6), st.integers(0, 2**32))
def test_random_profile_files_are_read_or_refused_with_a_message(raw, seed):
    """What the CLI reads: parse_json then read_profile. A profile, or messages; never another exception."""
    text = _json_text(raw, random.Random(seed))
    try:
        read_profile(parse_json(text))
    except ProfileError as err:
        assert err.errors and all(":" in e and all(c.isprintable() for c in e) for e in err.errors), err.errors
    except json.JSONDecodeError:
        pass  # the CLI says "is not valid JSON" with the line
