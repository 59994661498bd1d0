"""What the checker's form needs besides the calculator's questions: the industries by name (GB/T 4754—2017,
schema/industries.yaml) and which jurisdictions and documents the data covers, with each policy's status and
kind of source (for the coverage notice and the printed summary). Added to profile-schema.json at build time.
"""

from __future__ import annotations

import datetime

from .loader import load_industries, load_vocabulary
from .render import beijing_today, jurisdiction, policy_status


def industries() -> dict:
    """The sections and major groups, as the form lists them (the profile stores the two-digit code)."""
    return load_industries()


def coverage(policies: list[dict], today: datetime.date) -> dict:
    """The jurisdictions with documents here, and each document's status on ``today`` and kind of source."""
    kinds = load_vocabulary()["source_kinds"]
    places: dict[str, list] = {}
    for p in policies:
        status = policy_status(p, today)
        main = next(s["kind"] for s in p["source_texts"] if s["id"] == "main")
        places.setdefault(p["jurisdiction"], []).append({
            "id": p["id"], "short_title": p["short_title"], "status": {"code": status.code, **status.text},
            "source": {"kind": main, **{lang: kinds[main][lang] for lang in ("zh", "en")}},
            "verified_on": p["verified_on"]})
    return {"built": today.isoformat(),
            "jurisdictions": [{"id": j, "zh": jurisdiction(j, "zh"), "en": jurisdiction(j, "en"), "policies": ps}
                              for j, ps in places.items()]}


def form_extras(policies: list[dict], today: datetime.date | None = None) -> dict:
    return {"industries": industries(), "coverage": coverage(policies, today or beijing_today())}
