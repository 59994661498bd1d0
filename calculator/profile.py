"""Reading a company profile: one message per bad field, nothing silently ignored.

>>> profile, errors = read_profile({"district": "fengtai", "compute_spend": 5_000_000})
>>> errors, profile["compute_spend"], profile["entity_kinds"]
([], 5000000, ['enterprise'])
>>> read_profile({"district": "atlantis", "compute_spend": -1, "colour": "red"})[1]
['colour: unknown field', 'compute_spend: must not be negative (got -1)', "district: unknown value 'atlantis'"]
>>> notices = []
>>> read_profile({"fund_paid_in": 5_000_000}, notices=notices)[1], notices[0]["field"]
([], 'fund_paid_in')
"""

from __future__ import annotations

import datetime
import json
import re

from .fields import FIELD_BY_ID, FIELDS, PROFILE_VERSION, RETIRED

EARLIEST = datetime.date(2000, 1, 1)
LATEST = datetime.date(2100, 12, 31)
LARGEST = 10**13  # yuan; anything larger is a typing mistake, not a company

# Limits of a profile read as JSON (the CLI; the browser's own JSON is checked by checker.js). A full
# profile is about 1 KB, two levels deep (an object holding lists of strings).
MAX_PROFILE_CHARS = 100_000
MAX_NESTING = 4
MAX_NUMBER_DIGITS = 30  # longer numbers are kept as LongNumber: Python will not convert 4,300 digits


class ProfileError(ValueError):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("; ".join(errors))


class LongNumber:
    """A JSON number of more digits than any figure has: named in the message, never converted."""

    def __init__(self, text: str):
        self.digits = len(text.lstrip("-"))

    def __repr__(self) -> str:
        return f"a number of {self.digits:,} digits"


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def shown(value, limit: int = 40) -> str:
    """A value as a message quotes it: repr escapes what str.isprintable() refuses (controls, bidi
    marks, separators), so an ESC in a profile never reaches the terminal; long values are cut."""
    return _cut(repr(value), limit)


def printable(text: str, limit: int = 40) -> str:
    """A key as a message names it, invisible characters escaped.

    >>> printable("col\\x1b[2Jour\\u202e")
    'col\\\\x1b[2Jour\\\\u202e'
    """
    return _cut("".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text), limit)


def _number(value) -> str:
    """A number for a message; an integer of hundreds of digits cannot be formatted as a float."""
    if isinstance(value, int) and len(str(abs(value))) > 15:
        return f"a number of {len(str(abs(value))):,} digits"
    return f"{value:g}"


def _check(field: dict, value):
    """The normalised value, or raise ValueError with the reason."""
    ftype = field["type"]
    if ftype in ("yuan", "count"):
        if isinstance(value, LongNumber):
            raise ValueError(f"is implausibly large (got {value!r})")
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"must be a whole number{' of yuan' if ftype == 'yuan' else ''} (got {shown(value)})")
        if isinstance(value, float) and not value.is_integer():
            raise ValueError(f"must be a whole number{' of yuan' if ftype == 'yuan' else ''} (got {value!r})")
        if value < 0:
            raise ValueError(f"must not be negative (got {_number(value)})")
        if value > LARGEST:
            raise ValueError(f"is implausibly large (got {_number(value)})")
        return int(value)
    if ftype == "bool":
        if not isinstance(value, bool):
            raise ValueError(f"must be true or false (got {value!r})")
        return value
    if ftype == "date":
        # fromisoformat alone also takes 20250101 and 2025W011: a date is written one way only.
        if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
            raise ValueError(f"must be a date written YYYY-MM-DD (got {shown(value)})")
        try:
            day = datetime.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"must be a date written YYYY-MM-DD (got {value!r})") from None
        if not EARLIEST <= day <= LATEST:
            raise ValueError(f"date out of range {EARLIEST}–{LATEST} (got {value})")
        return value
    if ftype == "code":
        if not isinstance(value, str) or not re.fullmatch(field.get("pattern", ".*").strip("^$"), value):
            raise ValueError(f'must be a string of two digits such as "65" (got {shown(value)})')
        return value
    allowed = [v["id"] for v in field["values"]]
    if ftype == "enum":
        if value not in allowed:
            raise ValueError(f"unknown value {shown(value)}" if isinstance(value, str) else f"must be one of {allowed}")
        return value
    if ftype == "set":
        if not isinstance(value, list):
            raise ValueError(f"must be a list of values from {allowed}")
        unknown = [v for v in value if v not in allowed]
        if unknown:
            raise ValueError(f"unknown value {shown(unknown[0])}")
        return sorted(set(value), key=allowed.index)
    raise AssertionError(ftype)


def read_profile(raw, today: str | None = None, notices: list | None = None) -> tuple[dict, list[str]]:
    """Normalise a profile; returns ``(profile, errors)``.

    Unanswered fields are ``None`` (unknown, never zero). ``as_of`` defaults to
    ``today``; ``entity_kinds`` to an enterprise. A retired field is not an
    error: its answer is ignored and ``notices`` (when given) gets a
    ``{"field", "replaced_by", "text": {"zh", "en"}}`` saying so.
    """
    if not isinstance(raw, dict):
        return {}, ["(profile): must be a JSON object of field: value"]
    errors = []
    version = raw.get("profile_version", PROFILE_VERSION)
    if version != PROFILE_VERSION:
        errors.append(f"profile_version: this profile uses format {shown(version)}; this checker reads format "
                      f"{PROFILE_VERSION}. Please enter the figures again.")
    profile = {}
    for key in sorted(raw):
        if key in RETIRED:
            if notices is not None and raw[key] is not None:
                notices.append({"field": key, "replaced_by": RETIRED[key]["replaced_by"], "text": RETIRED[key]["note"]})
        elif key != "profile_version" and key not in FIELD_BY_ID:
            errors.append(f"{printable(key)}: unknown field")
    for field in FIELDS:
        value = raw.get(field["id"])
        if value is None:
            profile[field["id"]] = None
            continue
        try:
            profile[field["id"]] = _check(field, value)
        except ValueError as err:
            errors.append(f"{field['id']}: {err}")
            profile[field["id"]] = None
    if profile["as_of"] is None:
        profile["as_of"] = today or datetime.date.today().isoformat()
    if profile["entity_kinds"] is None:
        profile["entity_kinds"] = ["enterprise"]
    return profile, sorted(errors)


def parse_json(text: str):
    """A profile from JSON text, strictly: raises ProfileError for text longer than MAX_PROFILE_CHARS,
    nesting deeper than MAX_NESTING, a key given twice (JSON readers would keep the last silently), or
    NaN and Infinity; numbers of more than MAX_NUMBER_DIGITS digits become LongNumber.

    >>> parse_json('{"district": "fengtai", "district": "tongzhou"}')
    Traceback (most recent call last):
    calculator.profile.ProfileError: district: given twice
    """
    if len(text) > MAX_PROFILE_CHARS:
        raise ProfileError([f"(profile): {len(text):,} characters, more than a profile's {MAX_PROFILE_CHARS:,}"])
    if _nesting(text) > MAX_NESTING:
        raise ProfileError([f"(profile): nested deeper than {MAX_NESTING} levels: not a profile"])
    return json.loads(text, object_pairs_hook=_unique_keys, parse_int=_integer, parse_constant=_no_constant)


def _unique_keys(pairs: list) -> dict:
    out = {}
    for key, value in pairs:
        if key in out:
            raise ProfileError([f"{printable(key)}: given twice"])
        out[key] = value
    return out


def _integer(text: str):
    return LongNumber(text) if len(text.lstrip("-")) > MAX_NUMBER_DIGITS else int(text)


def _no_constant(name: str):
    raise ProfileError([f"(profile): {name} is not a number JSON allows"])


def _nesting(text: str) -> int:
    """How deep brackets nest outside strings, counted up to MAX_NESTING + 1 (JSON readers recurse)."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > MAX_NESTING:
                break
        elif ch in "]}":
            depth -= 1
    return deepest


def profile_schema() -> dict:
    """The questions as data, for the browser form (and anyone saving profiles)."""
    from .fields import DERIVED, GROUPS

    return {
        "profile_version": PROFILE_VERSION,
        "groups": [{"id": g, "label": {"zh": zh, "en": en}} for g, zh, en in GROUPS],
        "fields": FIELDS,
        "derived": DERIVED,
        "limits": {"earliest": EARLIEST.isoformat(), "latest": LATEST.isoformat(), "largest": LARGEST},
        "retired": RETIRED,
    }
