"""Policy folders a hostile or careless pull request could make: each is refused with one message
`file:line: field: message`, quickly, without reading anything outside the folder.

Mistakes inside one YAML file are fixtures in tests/broken/; these need more than one file, a link,
a size or an encoding.
"""

from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
import sys
import textwrap
import time

import pytest

from macros.loader import MAX_FILE_BYTES, parse_policy_text
from macros.validate import validate_folder

BROKEN = pathlib.Path(__file__).parent / "broken"
VALID = (BROKEN / "_valid.yaml").read_text(encoding="utf-8")


@pytest.fixture()
def folder(tmp_path):
    """A policy folder holding the valid tiny policy and its source text."""
    root = tmp_path / "policies"
    shutil.copytree(BROKEN / "sources", root / "sources")
    (root / "tiny-policy.yaml").write_text(VALID, encoding="utf-8")
    assert validate_folder(root)[1] == []
    return root


def problems(folder) -> list[str]:
    return [f"{pathlib.Path(p.file).name}:{p.line}: {p.field}: {p.message}" for p in validate_folder(folder)[1]]


def test_a_source_text_linked_to_a_file_outside_is_not_read(folder, tmp_path):
    secret = tmp_path / "environ"
    secret.write_text("GITHUB_TOKEN=ghp_secret\n" + (BROKEN / "sources" / "tiny-policy.zh.txt").read_text("utf-8"),
                      encoding="utf-8")
    source = folder / "sources" / "tiny-policy.zh.txt"
    source.unlink()
    source.symlink_to(secret)
    assert problems(folder) == [("tiny-policy.yaml:23: source_texts[0].file: source text 'sources/tiny-policy.zh.txt' "
                                "is a symbolic link; commit the file itself")]


def test_a_source_text_linked_inside_the_folder_is_refused_too(folder):
    source = folder / "sources" / "tiny-policy.zh.txt"
    source.rename(folder / "sources" / "real.txt")
    source.symlink_to("real.txt")
    assert [p.split(": ", 2)[2] for p in problems(folder)] == [
        "source text 'sources/tiny-policy.zh.txt' is a symbolic link; commit the file itself"]


def test_a_sources_folder_that_is_a_link_out_of_the_repository_is_refused(folder, tmp_path):
    outside = tmp_path / "outside"
    shutil.move(folder / "sources", outside)
    (folder / "sources").symlink_to(outside, target_is_directory=True)
    assert [p.split(": ", 2)[2] for p in problems(folder)] == [
        "source text 'sources/tiny-policy.zh.txt' lies outside policies/ once links are resolved"]


def test_a_source_text_that_is_not_a_regular_file_is_not_opened(folder):
    source = folder / "sources" / "tiny-policy.zh.txt"
    source.unlink()
    os.mkfifo(source)  # reading it would wait for ever
    started = time.perf_counter()
    found = problems(folder)
    assert time.perf_counter() - started < 5
    assert len(found) == 1 and "source_texts[0].file" in found[0], found


def test_a_policy_file_that_is_a_symbolic_link_is_refused(folder, tmp_path):
    target = tmp_path / "elsewhere.yaml"
    (folder / "tiny-policy.yaml").rename(target)
    (folder / "tiny-policy.yaml").symlink_to(target)
    assert problems(folder) == ["tiny-policy.yaml:1: (file): policy file is a symbolic link; commit the file itself"]


@pytest.mark.parametrize("name", ["other-policy.yml", "other-policy.YAML", "other-policy.Yaml"])
def test_a_policy_saved_with_another_extension_is_reported_not_ignored(folder, name):
    (folder / name).write_text(VALID.replace("id: tiny-policy", "id: other-policy"), encoding="utf-8")
    assert problems(folder) == [(f"{name}:1: (file): policy files end in '.yaml'; this one would be ignored: "
                                "rename it to other-policy.yaml")]


def test_a_50_mb_policy_file_is_refused_before_it_is_read(folder):
    with open(folder / "tiny-policy.yaml", "a", encoding="utf-8") as handle:
        handle.write(("# padding " + "x" * 1000 + "\n") * 50_000)
    size = (folder / "tiny-policy.yaml").stat().st_size
    started = time.perf_counter()
    found = problems(folder)
    assert time.perf_counter() - started < 2
    assert found == [(f"tiny-policy.yaml:1: (file): policy file is {size:,} bytes, more than the limit of "
                     f"{MAX_FILE_BYTES:,}")]


def test_a_huge_source_text_is_refused(folder):
    with open(folder / "sources" / "tiny-policy.zh.txt", "a", encoding="utf-8") as handle:
        handle.write("文" * 400_000)
    found = problems(folder)
    assert len(found) == 1 and "more than the limit of 1,000,000" in found[0], found


@pytest.mark.parametrize("target", ["tiny-policy.yaml", "sources/tiny-policy.zh.txt"])
def test_a_file_that_is_not_utf8_is_reported_with_its_line(folder, target):
    path = folder / target
    text = path.read_text(encoding="utf-8")
    path.write_bytes(text.encode("gb18030"))
    found = problems(folder)
    assert len(found) == 1 and "not UTF-8 text (line " in found[0] and "save it as UTF-8" in found[0], found


# ── YAML that would exhaust memory or time: refused in milliseconds ──────────────────────────────

BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{n}: &{n} [{', '.join(['*' + p] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi"))


@pytest.mark.parametrize("text, expected", [
    (BOMB, "1: a: YAML anchors and aliases"),
    ("a: " + "[" * 100_000, "1: a[0][0]"),
    ("a: " + "{b: " * 100_000, "1: a.b.b"),
    ("- " * 100_000 + "x", "1: [0][0]"),
    ("".join(f"k{i}: {i}\n" for i in range(100_001)), "more than 100,000 YAML nodes"),
    ("a: " + "9" * 5000 + "\n", "1: a: a number of 5000 digits is too large"),
    ("a: -.inf\n", "1: a: '-.inf' is not a finite number"),
    ("a: 1.0e+400\n", "1: a: '1.0e+400' is not a finite number"),
    ("!!python/object:os.system {}\n", "1: (document): the YAML tag"),
    ("a:\n  b: \"\\x1b[2J\"\n", "2: a.b: U+001B"),
    ("\u202e: x\n", "1: (text): U+202E RIGHT-TO-LEFT OVERRIDE"),
    ("a: 1\x00\n", "1: (text): U+0000"),
], ids=["alias-bomb", "deep-flow-list", "deep-flow-map", "deep-block-list", "too-many-nodes", "5000-digits",
        "minus-infinity", "float-overflow", "python-tag", "escape-in-value", "bidi-in-key", "raw-nul"])
def test_yaml_that_could_exhaust_the_machine_is_refused_at_once(text, expected):
    started = time.perf_counter()
    doc = parse_policy_text(text, "x.yaml")
    elapsed = time.perf_counter() - started
    assert [str(p) for p in doc.problems if expected in str(p)], [str(p) for p in doc.problems]
    assert len(doc.problems) == 1
    assert elapsed < 3, elapsed


def test_validation_output_never_carries_a_control_character_to_the_terminal(folder):
    """Keys are reported by name: one holding ESC or U+202E is escaped in every message."""
    text = VALID.replace("verified_on: 2026-11-23\n", 'verified_on: 2026-11-23\n"\\e[2J\\u202e": 1\n"\\e[2J\\u202e": 2\n')
    (folder / "tiny-policy.yaml").write_text(text, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "macros.validate", str(folder)], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert lines and all(c.isprintable() for line in lines for c in line), lines
    assert any("\\x1b[2J\\u202e" in line for line in lines), lines


def test_the_vocabulary_is_read_as_safely_as_a_policy(tmp_path, monkeypatch):
    """Pull requests add categories to schema/vocabulary.yaml: an alias bomb there is refused too."""
    from macros import loader, validate

    path = tmp_path / "vocabulary.yaml"
    path.write_text("categories:\n" + textwrap.indent(BOMB, "  "), encoding="utf-8")
    with pytest.raises(loader.InvalidVocabulary) as caught:
        loader.load_vocabulary(path)
    assert [str(p).split(": ", 1)[1] for p in caught.value.problems] == [
        "categories.a: YAML anchors and aliases (&name, *name) are not allowed in policy files: write each value out"]
    monkeypatch.setattr(validate, "load_vocabulary", lambda: loader.load_vocabulary(path))
    docs, found = validate.validate_folder(BROKEN)
    assert docs == [] and [p.line for p in found] == [2]
