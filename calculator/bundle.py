"""Loading the data bundle that the build makes from policies/*.yaml.

The whole bundle (``calculator/data/bundle.json``) serves the CLI. The browser's checker loads it in parts, one
per jurisdiction, and only those a profile needs (``needed_parts``); ``join_parts`` makes the same bundle of
them, so the one calculator reads both.
"""

from __future__ import annotations

import json
import pathlib

DATA = pathlib.Path(__file__).resolve().parent / "data" / "bundle.json"
CITY = "beijing"  # the jurisdiction whose measures apply in every district


class BundleMissing(FileNotFoundError):
    pass


def load_bundle(path) -> dict:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def default_bundle() -> dict:
    if not DATA.exists():
        raise BundleMissing(f"{DATA.name} not found: run `make build` (or `python -m macros.bundle`) to make it "
                            "from policies/*.yaml")
    return load_bundle(DATA)


def needed_parts(index: dict, profile) -> list[str]:
    """The jurisdictions whose measures can appear in ``profile``'s report: the city's and its district's, or
    every one while the district is unanswered (each district's measures then ask for it).

    A superset is harmless: the calculator leaves out the measures of other districts itself.

    >>> index = {"parts": {"beijing": "b.json", "fengtai": "f.json", "tongzhou": "t.json"}}
    >>> needed_parts(index, {"district": "fengtai"}), needed_parts(index, {"district": "haidian"})
    (['beijing', 'fengtai'], ['beijing'])
    >>> needed_parts(index, {})
    ['beijing', 'fengtai', 'tongzhou']
    """
    district = profile.get("district") if isinstance(profile, dict) else None
    if district is None:
        return list(index["parts"])
    return [name for name in index["parts"] if name in (CITY, district)]


def join_parts(index: dict, parts: dict[str, dict]) -> dict:
    """The bundle of the parts loaded: the whole bundle's vocabulary and policy order, the parts' policies.

    ``parts``: jurisdiction → the part's JSON (as ``macros.bundle.write_parts`` writes it).
    """
    by_id = {p["id"]: p for part in parts.values() for p in part["policies"]}
    return {"bundle_version": index["bundle_version"], "vocabulary": index["vocabulary"],
            "policies": [by_id[p["id"]] for p in index["policies"] if p["id"] in by_id]}
