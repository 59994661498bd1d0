"""Loading the data bundle that the build makes from policies/*.yaml."""

from __future__ import annotations

import json
import pathlib

DATA = pathlib.Path(__file__).resolve().parent / "data" / "bundle.json"


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
