"""Links that never break: every published id exists, or redirects to one that does; no line of the
registry is ever removed; a registry from a pull request never writes outside the site."""

from __future__ import annotations

import copy
import functools
import os
import subprocess
import sys

import pytest

from macros import build as site_build
from macros.redirects import write_redirects
from macros.registry import (
    REGISTRY,
    InvalidRegistry,
    check_history,
    check_registry,
    current_ids,
    read_registry,
    redirect_map,
    update,
)


def test_the_committed_registry_matches_the_data(policies):
    assert [str(p) for p in check_registry(policies)] == []


def test_a_removed_measure_without_a_redirect_is_reported(policies, tmp_path):
    registry = tmp_path / "published.yaml"
    registry.write_text(REGISTRY.read_text(encoding="utf-8"), encoding="utf-8")
    changed = copy.deepcopy(policies)
    gone = changed[0]["measures"].pop()
    problems = [str(p) for p in check_registry(changed, registry)]
    missing = f"{changed[0]['id']}/{gone['id']}"
    assert len(problems) == 1 and f"'{missing}' was published but no longer exists" in problems[0]
    assert problems[0].split(":")[1].isdigit()  # file:line: names the registry line


def test_a_renamed_measure_with_a_redirect_passes_and_a_bad_target_fails(policies, tmp_path):
    registry = tmp_path / "published.yaml"
    changed = copy.deepcopy(policies)
    update(policies, registry)
    policy, measure = changed[0], changed[0]["measures"][0]
    old = f"{policy['id']}/{measure['id']}"
    measure["id"] = "renamed-1"
    update(changed, registry)  # registers the new id, keeps the old one
    text = registry.read_text(encoding="utf-8").replace("redirects: {}", f"redirects:\n  {old}: {policy['id']}/renamed-1")
    registry.write_text(text, encoding="utf-8")
    assert check_registry(changed, registry) == []
    registry.write_text(text.replace(f"{old}: {policy['id']}/renamed-1", f"{old}: {policy['id']}/nowhere"),
                        encoding="utf-8")
    assert [p.message for p in check_registry(changed, registry)] == [
        f"redirect target '{policy['id']}/nowhere' does not exist"]


def test_update_never_removes_an_id(policies, tmp_path):
    registry = tmp_path / "published.yaml"
    update(policies, registry)
    update(policies[1:], registry)
    assert read_registry(registry)[0]["published"] == current_ids(policies)


# ── a registry from a pull request ───────────────────────────────────────────────────────────────

def _registry(tmp_path, policies, redirects: str = "", published_extra: tuple = ()):
    """The real registry's ids plus ``published_extra``, with ``redirects`` (YAML lines) under redirects."""
    path = tmp_path / "published.yaml"
    update(policies, path)
    text = path.read_text(encoding="utf-8")
    extra = "".join(f"- {i}\n" for i in published_extra)
    text = text.replace("redirects: {}\n", extra + ("redirects:\n" + redirects if redirects else "redirects: {}\n"))
    path.write_text(text, encoding="utf-8")
    return path


def messages(policies, path):
    return [f"{p.line}: {p.field}: {p.message}" for p in check_registry(policies, path)]


@pytest.mark.parametrize("redirects, published, expected", [
    ("  ../../../x: ft-ai-2025/art-1\n", (), "redirects.../../../x: '../../../x' is not an id"),
    ("  ft-ai-2025/art-99: ../../../../tmp/x\n", ("ft-ai-2025/art-99",),
     "redirects.ft-ai-2025/art-99: the target '../../../../tmp/x' is not an id"),
    ("  ft-ai-2025/a/b: ft-ai-2025/art-1\n", (), "'ft-ai-2025/a/b' is not an id"),
    ("  FT-AI-2025/art-99: ft-ai-2025/art-1\n", (), "'FT-AI-2025/art-99' is not an id"),
    ("  ft-ai-2025/art-99: ft-ai-2025/art-1\n", (), "'ft-ai-2025/art-99' was never published"),
    ("  ft-ai-2025/art-99: ft-ai-2025/art-100\n", ("ft-ai-2025/art-99",),
     "redirect target 'ft-ai-2025/art-100' does not exist"),
    ("  ft-ai-2025/art-1: tz-ai-2025/art-1\n", (), "'ft-ai-2025/art-1' still exists: its redirect would replace"),
    ("  ft-ai-2025/art-99: [ft-ai-2025/art-1]\n", ("ft-ai-2025/art-99",), "the target ['ft-ai-2025/art-1'] is not"),
], ids=["traversal-key", "traversal-target", "two-slashes", "not-ascii-lowercase", "never-published",
        "missing-target", "still-exists", "target-not-a-string"])
def test_a_bad_redirect_is_refused_with_its_line(policies, tmp_path, redirects, published, expected):
    path = _registry(tmp_path, policies, redirects, published)
    found = messages(policies, path)
    assert len(found) == 1 and expected in found[0], found
    line = int(found[0].split(":")[0])
    assert path.read_text(encoding="utf-8").splitlines()[line - 1].startswith("  "), found  # the redirect's line


@pytest.mark.parametrize("text, expected", [
    ("published: bj-ai-plus-2024\nredirects: {}\n", "1: published: must be a list of ids"),
    ("published:\n- [unclosed\nredirects: {}\n", "(syntax): YAML syntax error"),
    ("published: &a [x]\nredirects: *a\n", "YAML anchors and aliases"),
    ("published:\n- bj-ai-plus-2024\n- bj-ai-plus-2024\nredirects: {}\n", "3: published[1]: 'bj-ai-plus-2024' is listed twice"),
    ("published: []\nredirects: {}\nextra: 1\n", "3: extra: unknown key"),
    ("- a\n- b\n", "1: (document): the registry is a mapping"),
])
def test_a_malformed_registry_gives_one_clear_message(policies, tmp_path, text, expected):
    path = tmp_path / "published.yaml"
    path.write_text(text, encoding="utf-8")
    found = [f"{p.line}: {p.field}: {p.message}" for p in check_registry(policies, path)
             if "is not in the registry yet" not in p.message]
    assert len(found) == 1 and expected in found[0], found


def test_a_registry_that_is_a_symbolic_link_is_not_read(policies, tmp_path):
    (tmp_path / "secret").write_text("published: []\n", encoding="utf-8")
    (tmp_path / "published.yaml").symlink_to(tmp_path / "secret")
    assert [p.message for p in check_registry(policies, tmp_path / "published.yaml")] == [
        "registry is a symbolic link; commit the file itself"]


def test_the_build_refuses_a_bad_redirect_before_writing_anything(policies, tmp_path, capsys, monkeypatch):
    path = _registry(tmp_path, policies, "  ../../../escaped: ft-ai-2025/art-1\n")
    with pytest.raises(InvalidRegistry):
        redirect_map(policies, path)
    monkeypatch.setattr(site_build, "build", functools.partial(site_build.build, policies=policies, registry=path))
    assert site_build.main([str(tmp_path / "site")]) == 1
    assert "is not an id" in capsys.readouterr().err
    assert not (tmp_path / "site").exists() and not (tmp_path.parent / "escaped").exists()


@pytest.mark.parametrize("bad", ["../../x", "a/../../x", "/etc/x", "a/b/c", "x\n"])
def test_write_redirects_never_leaves_the_site(tmp_path, bad):
    site = tmp_path / "site"
    site.mkdir()
    with pytest.raises(ValueError):
        write_redirects(site, {bad: "ft-ai-2025/art-1"})
    with pytest.raises(ValueError):
        write_redirects(site, {"ft-ai-2025/art-99": bad})
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


# ── the registry as it was ───────────────────────────────────────────────────────────────────────

def git(repo, *args):
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@t"}
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)


@pytest.fixture()
def repo(tmp_path):
    """A git repository holding a copy of the real registry, committed."""
    path = tmp_path / "policies" / "registry" / "published.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(REGISTRY.read_text(encoding="utf-8"), encoding="utf-8")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "registry")
    return tmp_path, path


def test_an_id_removed_from_the_registry_since_the_last_commit_is_reported(repo):
    root, path = repo
    assert check_history(path, "HEAD", root) == ([], "registry compared with HEAD")
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    gone = next(line for line in lines if line.startswith("- ft-ai-2025/"))
    path.write_text("".join(line for line in lines if line != gone), encoding="utf-8")
    problems, note = check_history(path, "HEAD", root)
    assert note == "registry compared with HEAD"
    assert [p.message.split(":")[0] for p in problems] == [f"'{gone[2:].strip()}' was in the registry at HEAD and has been removed"]


def test_a_removed_redirect_is_reported(repo):
    root, path = repo
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("redirects: {}", "redirects:\n  ft-ai-2025/art-99: ft-ai-2025/art-1")
                    + "", encoding="utf-8")
    git(root, "commit", "-q", "-am", "a redirect")
    path.write_text(text, encoding="utf-8")
    problems, _ = check_history(path, "HEAD", root)
    assert len(problems) == 1 and "redirect 'ft-ai-2025/art-99: ft-ai-2025/art-1' of HEAD has been removed" in str(problems[0])


def test_without_history_or_git_the_check_says_it_was_skipped(repo, tmp_path, monkeypatch):
    root, path = repo
    problems, note = check_history(path, "HEAD~3", root)  # a clone of one commit
    assert problems == [] and note.startswith("registry history check skipped: no registry at HEAD~3")
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text("published: []\n", encoding="utf-8")
    assert check_history(outside, "HEAD", root)[1].startswith("registry history check skipped")
    monkeypatch.setenv("PATH", str(tmp_path / "no-git-here"))
    problems, note = check_history(path, "HEAD", root)
    assert problems == [] and note.startswith("registry history check skipped: git is not available")


def test_validate_says_what_the_registry_was_compared_with():
    done = subprocess.run([sys.executable, "-m", "macros.validate"], capture_output=True, text=True, check=False,
                          env={**os.environ, "PATH": "/nonexistent", "REGISTRY_BASE": ""})
    assert done.returncode == 0, done.stdout + done.stderr
    assert "registry history check skipped: git is not available" in done.stdout


def test_the_build_reports_a_registry_syntax_error_as_file_line(policies, tmp_path, capsys, monkeypatch):
    path = tmp_path / "published.yaml"
    path.write_text("published:\n- ft-ai-2025\nredirects: {ft-ai-2025/art-99: [\n", encoding="utf-8")
    monkeypatch.setattr(site_build, "build", functools.partial(site_build.build, policies=policies, registry=path))
    assert site_build.main([str(tmp_path / "site")]) == 1
    err = capsys.readouterr().err
    assert f"{path}:4: (syntax): YAML syntax error" in err and "Traceback" not in err, err
