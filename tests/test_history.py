"""The public history (issue 15, point 4): a temporary git repository whose second commit changes a cap gives
a dated change on the measure page, in the Atom feeds and in the measure's JSON; the cache; a rename; and a
clone without history or a folder without git, where no date is invented."""

from __future__ import annotations

import datetime
import json
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET

import markdown
import pytest
from samples import NEW_MEASURE

from macros import history
from macros.feeds import TAG, atom
from macros.loader import POLICY_DIR, SCHEMA_DIR
from macros.opendata import measure_file
from macros.pages import measure_page, policy_page
from macros.render import SiteModel
from macros.validate import load_policies

ATOM = {"a": "http://www.w3.org/2005/Atom"}
FIRST, SECOND, THIRD = "2026-01-05T10:00:00+08:00", "2026-02-10T09:30:00+08:00", "2026-03-02T23:30:00+08:00"


def git(repo, *args, when: str | None = None) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@t"}
    if when:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = when
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env,
                          text=True).stdout.strip()


def edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def repo(tmp_path):
    """The real policies published on 5 January; on 10 February the cap of 丰台 第一条 goes from 200万 to
    250万 (in its source text, its text and its quote too, so that it validates) and 第十一条 is added."""
    root = tmp_path / "repo"
    shutil.copytree(POLICY_DIR, root / "policies")
    shutil.copytree(SCHEMA_DIR, root / "schema")
    (root / "README.md").write_text("not published data\n", encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "publish", when=FIRST)
    ft, source = root / "policies" / "ft-ai-2025.yaml", root / "policies" / "sources" / "ft-ai-2025.zh.txt"
    edit(ft, "        cap: 2000000\n", "        cap: 2500000\n")  # art-1 compute
    for path in (ft, ft, source):  # text.zh and quote, and the source text
        edit(path, "实际投入的20%给予最高200万元支持", "实际投入的20%给予最高250万元支持")
    ft.write_text(ft.read_text(encoding="utf-8") + NEW_MEASURE, encoding="utf-8")
    source.write_text(source.read_text(encoding="utf-8") + "对测试企业给予最高10万元支持。\n", encoding="utf-8")
    git(root, "commit", "-qam", "cap", when=SECOND)
    (root / "README.md").write_text("a commit that touches no published data\n", encoding="utf-8")
    git(root, "commit", "-qam", "readme", when=THIRD)
    return root


def site_of(repo, found: history.History) -> SiteModel:
    return SiteModel(load_policies(repo / "policies"), datetime.date(2026, 2, 11), found)


def test_a_changed_cap_is_dated_by_its_commit(repo, tmp_path):
    found = history.load(repo, cache=tmp_path / "cache")
    assert found.available and (found.commits, found.loaded) == (2, 2)  # the README-only commit is not read
    record = found.measure("ft-ai-2025/art-1")
    assert [c.day for c in record.changes] == ["2026-01-05", "2026-02-10"]
    assert record.first.stamp == "2026-01-05T02:00:00Z" and record.last.stamp == "2026-02-10T01:30:00Z"
    assert "ft-ai-2025/art-1 compute: cap 2,000,000 → 2,500,000" in [line.en for line in record.last.lines]
    assert {line.measure for line in record.last.lines} == {"art-1"}
    assert record.last.commit == git(repo, "rev-parse", "HEAD~1")
    untouched = found.measure("ft-ai-2025/art-2-1")
    assert [c.day for c in untouched.changes] == ["2026-01-05"]  # published, never changed
    added = found.measure("ft-ai-2025/art-11")
    assert [c.day for c in added.changes] == ["2026-02-10"]
    assert added.first.lines[0].zh == "新增措施 丰台人工智能若干措施 第十一条「支持测试」"
    assert found.policy("ft-ai-2025").last.day == "2026-02-10"
    assert found.policy("tz-ai-2025").last.day == "2026-01-05"


def test_the_measure_page_shows_the_dated_change(repo, tmp_path):
    site = site_of(repo, history.load(repo, cache=tmp_path / "cache"))
    ref = site.measures["ft-ai-2025/art-1"]
    extensions = ["attr_list", "admonition", "pymdownx.details", "tables", "toc"]
    for lang, line in (("zh", "上限 2,000,000 → 2,500,000"), ("en", "compute: cap 2,000,000 → 2,500,000")):
        page = markdown.markdown(measure_page(site, ref, lang).split("---\n", 2)[2], extensions=extensions)
        assert 'data-first="2026-01-05" data-last="2026-02-10"' in page
        section = page.split('id="history"', 1)[1].split('id="embed"', 1)[0]
        newest = section.split("<li data-commit=")[1]
        assert '<time datetime="2026-02-10T01:30:00Z">2026-02-10</time>' in newest
        assert f"<li>{line}</li>" in newest, newest
    other = measure_page(site, site.measures["ft-ai-2025/art-2-1"], "en")
    assert "2,500,000" not in other.split("{#history", 1)[1]
    policy = policy_page(site, site.measures["ft-ai-2025/art-1"].policy, "zh")
    assert 'href="art-1/#history">第一条</a>（' in policy  # the policy page leads to the measure's history


def test_the_atom_feeds_carry_the_change_as_a_dated_entry_with_a_stable_id(repo, tmp_path):
    found = history.load(repo, cache=tmp_path / "cache")
    commit = git(repo, "rev-parse", "HEAD~1")
    feeds = {}
    for lang, words in (("zh", "上限 2,000,000 → 2,500,000"), ("en", "cap 2,000,000 → 2,500,000")):
        feeds[lang] = atom(site_of(repo, found), lang)
        entries = {e.find("a:id", ATOM).text: e for e in ET.fromstring(feeds[lang]).findall("a:entry", ATOM)}
        entry = entries[f"{TAG}change/{commit}/ft-ai-2025/art-1"]
        assert entry.find("a:updated", ATOM).text == "2026-02-10T01:30:00Z"
        assert entry.find("a:link", ATOM).get("href").endswith("policies/ft-ai-2025/art-1/#history")
        assert words in entry.find("a:summary", ATOM).text
        assert f"{TAG}change/{commit}/ft-ai-2025/art-11" in entries  # a new measure: its own entry
        assert len(entries) == len(ET.fromstring(feeds[lang]).findall("a:entry", ATOM))  # ids are unique
    again = history.load(repo, cache=tmp_path / "cache")
    assert again.loaded == 0  # every commit from the cache
    assert atom(site_of(repo, again), "en") == feeds["en"]  # the same entries, the same ids
    assert atom(site_of(repo, history.load(repo, cache=None)), "en") == feeds["en"]


def test_the_measure_json_carries_its_history(repo, tmp_path):
    site = site_of(repo, history.load(repo, cache=tmp_path / "cache"))
    data = json.loads(json.dumps(measure_file(site, site.measures["ft-ai-2025/art-1"])))
    assert data["history"]["available"] is True
    assert data["history"]["first_published"] == "2026-01-05T02:00:00Z"
    assert data["history"]["last_changed"] == "2026-02-10T01:30:00Z"
    newest = data["history"]["changes"][0]
    assert newest["day"] == "2026-02-10" and newest["commit"] == git(repo, "rev-parse", "HEAD~1")
    assert {"en": "ft-ai-2025/art-1 compute: cap 2,000,000 → 2,500,000",
            "zh": "丰台人工智能若干措施 第一条 上限 2,000,000 → 2,500,000"} in newest["lines"]
    assert [c["day"] for c in data["history"]["changes"]] == ["2026-02-10", "2026-01-05"]


def test_a_new_commit_reads_only_itself_and_a_rename_keeps_the_first_date(repo, tmp_path):
    cache = tmp_path / "cache"
    history.load(repo, cache=cache)
    edit(repo / "policies" / "ft-ai-2025.yaml", "  - id: art-10-4\n", "  - id: art-10-5\n")
    edit(repo / "policies" / "registry" / "published.yaml", "redirects: {}",
         "redirects:\n  ft-ai-2025/art-10-4: ft-ai-2025/art-10-5")
    git(repo, "commit", "-qam", "renumbered", when="2026-04-01T12:00:00+08:00")
    found = history.load(repo, cache=cache)
    assert (found.commits, found.loaded) == (3, 1)
    renamed = found.measure("ft-ai-2025/art-10-5")
    assert [c.day for c in renamed.changes] == ["2026-01-05", "2026-04-01"]
    assert "measure renamed" in renamed.last.lines[0].en
    assert found.measure("ft-ai-2025/art-10-4") is None


def test_a_shallow_clone_says_the_history_is_not_available(repo, tmp_path):
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(shallow)], check=True,
                   capture_output=True)
    found = history.load(shallow, cache=tmp_path / "cache")
    assert not found.available and found.reason == history.NOT_AVAILABLE["shallow"]
    site = site_of(shallow, found)
    ref = site.measures["ft-ai-2025/art-1"]
    assert "浅克隆" in measure_page(site, ref, "zh") and "shallow clone" in measure_page(site, ref, "en")
    assert 'data-history="none"' in measure_page(site, ref, "en") and "data-first" not in measure_page(site, ref, "en")
    assert "change/" not in atom(site, "en")  # no invented dates
    assert measure_file(site, ref)["history"] == {"available": False, "reason": history.NOT_AVAILABLE["shallow"]}


def test_without_git_or_outside_a_repository_there_is_no_history(tmp_path, monkeypatch):
    folder = tmp_path / "plain"
    shutil.copytree(POLICY_DIR, folder / "policies")
    assert history.load(folder, cache=None).reason == history.NOT_AVAILABLE["no-git"]  # not a repository
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))  # no git program at all
    assert history.load(folder, cache=None).reason == history.NOT_AVAILABLE["no-git"]


def test_the_feeds_keep_the_newest_changes_only(repo, tmp_path, monkeypatch):
    """Every change stays on the pages; the feeds carry the newest CHANGE_ENTRIES, so they do not grow forever."""
    from macros import feeds
    site = site_of(repo, history.load(repo, cache=tmp_path / "cache"))
    every = feeds.change_entries(site, "en")
    assert len(every) > 3
    monkeypatch.setattr(feeds, "CHANGE_ENTRIES", 3)
    assert feeds.change_entries(site, "en") == every[:3]
    stamps = [e["updated"] for e in every]
    assert stamps == sorted(stamps, reverse=True) and stamps[0] == "2026-02-10T01:30:00Z"  # the newest first
