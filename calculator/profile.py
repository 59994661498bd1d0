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
import re

from .fields import FIELD_BY_ID, FIELDS, PROFILE_VERSION, RETIRED

EARLIEST = datetime.date(2000, 1, 1)
LATEST = datetime.date(2100, 12, 31)
LARGEST = 10**13  # yuan; anything larger is a typing mistake, not a company


class ProfileError(ValueError):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("; ".join(errors))


def _check(field: dict, value):
    """The normalised value, or raise ValueError with the reason."""
    ftype = field["type"]
    if ftype in ("yuan", "count"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"must be a whole number{' of yuan' if ftype == 'yuan' else ''} (got {value!r})")
        if isinstance(value, float) and not value.is_integer():
            raise ValueError(f"must be a whole number{' of yuan' if ftype == 'yuan' else ''} (got {value!r})")
        if value < 0:
            raise ValueError(f"must not be negative (got {value:g})")
        if value > LARGEST:
            raise ValueError(f"is implausibly large (got {value:g})")
        return int(value)
    if ftype == "bool":
        if not isinstance(value, bool):
            raise ValueError(f"must be true or false (got {value!r})")
        return value
    if ftype == "date":
        if not isinstance(value, str):
            raise ValueError(f"must be a date written YYYY-MM-DD (got {value!r})")
        try:
            day = datetime.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"must be a date written YYYY-MM-DD (got {value!r})") from None
        if not EARLIEST <= day <= LATEST:
            raise ValueError(f"date out of range {EARLIEST}–{LATEST} (got {value})")
        return value
    if ftype == "code":
        if not isinstance(value, str) or not re.fullmatch(field.get("pattern", ".*").strip("^$"), value):
            raise ValueError(f'must be a string of two digits such as "65" (got {value!r})')
        return value
    allowed = [v["id"] for v in field["values"]]
    if ftype == "enum":
        if value not in allowed:
            raise ValueError(f"unknown value {value!r}" if isinstance(value, str) else f"must be one of {allowed}")
        return value
    if ftype == "set":
        if not isinstance(value, list):
            raise ValueError(f"must be a list of values from {allowed}")
        unknown = [v for v in value if v not in allowed]
        if unknown:
            raise ValueError(f"unknown value {unknown[0]!r}")
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
        errors.append(f"profile_version: this profile uses format {version!r}; this checker reads format "
                      f"{PROFILE_VERSION}. Please enter the figures again.")
    profile = {}
    for key in sorted(raw):
        if key in RETIRED:
            if notices is not None and raw[key] is not None:
                notices.append({"field": key, "replaced_by": RETIRED[key]["replaced_by"], "text": RETIRED[key]["note"]})
        elif key != "profile_version" and key not in FIELD_BY_ID:
            errors.append(f"{key}: unknown field")
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
