"""The data bundle: what the calculator needs of the validated policies, as JSON.

The whole bundle serves the CLI (calculator/data/bundle.json); the browser's checker gets it split by
jurisdiction (``write_parts``), so that it loads only the city's measures and the district's. Texts stay out
of it: the site has them; the calculator cites the quotes of the terms it applies.
"""

from __future__ import annotations

import hashlib
import json
import pathlib

from .loader import ROOT, industry_names, load_vocabulary
from .validate import load_policies

BUNDLE_PATH = ROOT / "calculator" / "data" / "bundle.json"
BUNDLE_VERSION = 2  # 2: kinds of award, requirements, claims, bounded dates

_POLICY_KEYS = ("id", "title", "short_title", "jurisdiction", "dates", "combination", "application", "eligibility",
                "source_texts", "source_note", "verified_on")
_MEASURE_KEYS = ("id", "group", "number", "title", "categories", "beneficiaries", "cap", "requirements", "note",
                 "benefits")
_VOCABULARY_KEYS = ("categories", "beneficiaries", "combination_rules", "units", "award_kinds", "requirement_kinds",
                    "per_units", "date_rules")
_GROUP_KEYS = ("id", "number", "title", "cap")


def _pick(record: dict, keys) -> dict:
    return {k: record[k] for k in keys if k in record and record[k] is not None}


def make_bundle(policies: list[dict]) -> dict:
    vocabulary = load_vocabulary()
    return {
        "bundle_version": BUNDLE_VERSION,
        "vocabulary": {**{k: vocabulary[k] for k in _VOCABULARY_KEYS}, "industries": _industries_tested(policies)},
        "policies": [
            {**_pick(p, _POLICY_KEYS),
             "groups": [_pick(g, _GROUP_KEYS) for g in p.get("groups", [])],
             "measures": [_pick(m, _MEASURE_KEYS) for m in p["measures"]]}
            for p in policies
        ],
    }


def _industries_tested(policies: list[dict]) -> dict[str, dict]:
    """The names of the industry codes that conditions test, so that results name them, not bare codes."""
    codes: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            if node.get("field") == "industry_code" and "value" in node:
                value = node["value"]
                codes.update(value if isinstance(value, list) else [value])
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(policies)
    names = industry_names()
    return {code: names[code] for code in sorted(codes)}


def write_bundle(path: pathlib.Path = BUNDLE_PATH, policies: list[dict] | None = None) -> pathlib.Path:
    bundle = make_bundle(policies if policies is not None else load_policies())
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(bundle, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return path


def _dump(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


def _hashed(folder: pathlib.Path, stem: str, data: bytes) -> str:
    """Write ``stem.<hash>.json``: a new content is a new name, so no cache ever serves an old one."""
    name = f"{stem}.{hashlib.sha256(data).hexdigest()[:16]}.json"
    (folder / name).write_bytes(data)
    return name


def write_parts(folder: pathlib.Path, bundle: dict) -> str:
    """The bundle as one part per jurisdiction plus an index (vocabulary, policy order and names, the parts'
    files), for ``calculator.bundle.join_parts``; returns the index's file name."""
    folder.mkdir(parents=True, exist_ok=True)
    by_place: dict[str, list] = {}
    for policy in bundle["policies"]:
        by_place.setdefault(policy["jurisdiction"], []).append(policy)
    parts = {place: _hashed(folder, place, _dump({"jurisdiction": place, "policies": policies}))
             for place, policies in by_place.items()}
    index = {"bundle_version": bundle["bundle_version"], "vocabulary": bundle["vocabulary"], "parts": parts,
             "policies": [{k: p.get(k) for k in ("id", "title", "short_title", "jurisdiction")}
                          for p in bundle["policies"]]}
    return _hashed(folder, "index", _dump(index))


if __name__ == "__main__":
    print(write_bundle())
