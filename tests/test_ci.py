"""What CI does beyond `make test`: the history it fetches, the commit it compares with, and the report
of changed source texts for the reviewer (tools/source_changes.py)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import yaml

from macros.loader import ROOT

TOOL = ROOT / "tools" / "source_changes.py"


def workflow(name: str) -> dict:
    return yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", ["ci.yml", "pages.yml"])
def test_the_workflows_fetch_the_history_and_set_the_commit_to_compare_with(name):
    steps = next(iter(workflow(name)["jobs"].values()))["steps"]
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0  # a shallow clone has no merge base: the check would be skipped
    base = next(i for i, s in enumerate(steps) if ".ci/registry-base" in s.get("run", ""))
    assert "REGISTRY_BASE=" in steps[base]["run"] and "GITHUB_ENV" in steps[base]["run"]
    assert base < next(i for i, s in enumerate(steps) if "make test" in s.get("run", ""))


def test_the_site_is_rebuilt_every_day_just_after_midnight_in_beijing():
    """Statuses are told as of the build date: a daily build shows an expired policy as expired the next day."""
    pages = workflow("pages.yml")
    triggers = pages.get("on", pages.get(True))  # YAML 1.1 reads the key `on` as true
    [schedule] = triggers["schedule"]
    minute, hour, *every_day = schedule["cron"].split()
    assert every_day == ["*", "*", "*"]
    assert (int(hour) + 8) % 24 == 0 and int(minute) < 60  # 00:xx in Beijing (UTC+8)
    assert "push" in triggers  # and on every change of main


def test_pull_requests_report_changed_source_texts_in_the_job_summary():
    steps = workflow("ci.yml")["jobs"]["test"]["steps"]
    report = next(s for s in steps if "tools/source_changes.py" in s.get("run", ""))
    assert report["if"] == "github.event_name == 'pull_request'"
    assert '"$REGISTRY_BASE"' in report["run"] and '--summary "$GITHUB_STEP_SUMMARY"' in report["run"]


def git(repo, *args):
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@t"}
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env,
                          text=True).stdout.strip()


@pytest.fixture()
def repo(tmp_path):
    sources = tmp_path / "policies" / "sources"
    sources.mkdir(parents=True)
    (sources / "kept.zh.txt").write_text("第一条 不变。\n", encoding="utf-8")
    (sources / "edited.zh.txt").write_text("第一条 给予最高200万元支持。\n", encoding="utf-8")
    (sources / "removed.zh.txt").write_text("旧文本\n", encoding="utf-8")
    (tmp_path / "policies" / "x.yaml").write_text("id: x\n", encoding="utf-8")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "base")
    return tmp_path, git(tmp_path, "rev-parse", "HEAD")


def report(repo, base, tmp_path):
    summary = tmp_path / "summary.md"
    done = subprocess.run([sys.executable, str(TOOL), base, "--summary", str(summary), "--repo", str(repo)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout, summary.read_text(encoding="utf-8")


def test_an_edited_source_text_is_reported_for_review(repo, tmp_path):
    root, base = repo
    sources = root / "policies" / "sources"
    (sources / "edited.zh.txt").write_text("第一条 给予最高2000万元支持。\n", encoding="utf-8")  # a forged amount
    (sources / "removed.zh.txt").unlink()
    (sources / "new `name`.zh.txt").write_text("新文本\n", encoding="utf-8")
    (root / "policies" / "x.yaml").write_text("id: y\n", encoding="utf-8")  # not a source text
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "change")
    warnings, summary = report(root, base, tmp_path)
    assert warnings.splitlines() == [
        "::warning file=policies/sources/edited.zh.txt::Source text changed: confirm it against the official publication",
        "::warning file=policies/sources/new `name`.zh.txt::Source text added: confirm it against the official publication",
        "::warning file=policies/sources/removed.zh.txt::Source text deleted: confirm it against the official publication"]
    assert "Source texts changed: a reviewer must confirm them" in summary
    assert "| `policies/sources/edited.zh.txt` | changed | +1 −1 |" in summary
    assert "| `policies/sources/new 'name'.zh.txt` | added | +1 −0 |" in summary
    assert "kept.zh.txt" not in summary and "x.yaml" not in summary


def test_no_change_and_no_history_are_said_plainly(repo, tmp_path):
    root, base = repo
    warnings, summary = report(root, base, tmp_path)
    assert warnings == "" and "No file under `policies/sources/` changed" in summary
    warnings, summary = report(root, "", tmp_path)
    assert warnings == "" and "Not compared" in summary and "merge base is not in this clone" in summary
