"""The calculator wheel and its lockfile are kept by what they are made of (macros.checker_assets)."""

from __future__ import annotations

import hashlib
import json
import shutil

from macros import checker_assets


def _repo_copy(tmp_path):
    """The files the wheel is made of, in a folder of their own (the real repository is never changed)."""
    root = tmp_path / "repo"
    shutil.copytree(checker_assets.ROOT / "calculator", root / "calculator",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in ("pyproject.toml", "package.json"):
        shutil.copy2(checker_assets.ROOT / name, root / name)
    return root


def test_the_key_follows_the_code_and_not_the_data(tmp_path, monkeypatch):
    root = _repo_copy(tmp_path)
    monkeypatch.setattr(checker_assets, "ROOT", root)
    key = checker_assets.wheel_inputs_digest()
    (root / "calculator" / "data" / "extra.json").write_text("{}", encoding="utf-8")
    assert checker_assets.wheel_inputs_digest() == key  # the wheel holds no data
    engine = root / "calculator" / "engine.py"
    engine.write_text(engine.read_text(encoding="utf-8") + "\n# one more line\n", encoding="utf-8")
    assert checker_assets.wheel_inputs_digest() != key


def test_a_kept_wheel_is_the_one_a_build_makes_and_its_lockfile_names_it(tmp_path, monkeypatch):
    root = _repo_copy(tmp_path)
    monkeypatch.setattr(checker_assets, "ROOT", root)
    cache = tmp_path / "cache"
    first = checker_assets.wheel_and_lockfile(tmp_path / "one", cache)
    (kept,) = cache.iterdir()
    assert kept.name == checker_assets.wheel_inputs_digest()
    second = checker_assets.wheel_and_lockfile(tmp_path / "two", cache)
    assert second.read_bytes() == first.read_bytes()
    entry = json.loads(second.read_text(encoding="utf-8"))["packages"][checker_assets.PACKAGE]
    wheel = (tmp_path / "two" / entry["file_name"]).read_bytes()
    assert hashlib.sha256(wheel).hexdigest() == entry["sha256"]
    assert wheel == (tmp_path / "one" / entry["file_name"]).read_bytes()
    # A change of the code: a new wheel, and the old one is not kept beside it.
    (root / "calculator" / "fields.py").write_text(
        (root / "calculator" / "fields.py").read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    third = checker_assets.wheel_and_lockfile(tmp_path / "three", cache)
    assert [p.name for p in cache.iterdir()] == [checker_assets.wheel_inputs_digest()] != [kept.name]
    assert json.loads(third.read_text(encoding="utf-8"))["packages"][checker_assets.PACKAGE]["sha256"] != entry["sha256"]
