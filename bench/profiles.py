"""Random valid profiles, drawn from the calculator's own field definitions.

Deterministic for a seed, so CPython and Pyodide evaluate the same profiles.

>>> profiles = random_profiles(3, seed=1)
>>> len(profiles), all("as_of" in p for p in profiles)
(3, True)
"""

from __future__ import annotations

import datetime
import random

from calculator.fields import FIELDS

_START = datetime.date(2021, 1, 1).toordinal()
_END = datetime.date(2030, 12, 31).toordinal()


def _value(field: dict, rng: random.Random):
    kind = field["type"]
    if kind == "yuan":
        return rng.choice([0, rng.randrange(1, 50_000_000), rng.randrange(0, 2_000_000_000)])
    if kind == "count":
        return rng.randrange(0, 31)
    if kind == "bool":
        return rng.random() < 0.5
    if kind == "date":
        return datetime.date.fromordinal(rng.randrange(_START, _END + 1)).isoformat()
    if kind == "code":
        return rng.choice(["63", "64", "65", "13", "72"])
    ids = [v["id"] for v in field["values"]]
    if kind == "enum":
        return rng.choice(ids)
    return sorted(rng.sample(ids, rng.randrange(0, min(4, len(ids)) + 1)))


def random_profile(rng: random.Random) -> dict:
    """Each field answered with probability 1/2; `as_of` always set, so results do not depend on today."""
    profile = {f["id"]: _value(f, rng) for f in FIELDS if f["id"] != "as_of" and rng.random() < 0.5}
    profile["as_of"] = _value({"type": "date"}, rng)
    return profile


def random_profiles(count: int, seed: int = 20261123) -> list[dict]:
    rng = random.Random(seed)
    return [random_profile(rng) for _ in range(count)]
