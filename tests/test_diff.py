"""`make diff`: two states of a temporary git repository, and the lines a reviewer reads."""

from __future__ import annotations

import contextlib
import copy
import doctest
import io
import pathlib
import re
import shutil
import subprocess

import pytest
from samples import NEW_MEASURE

from macros import changes
from macros import diff as make_diff
from macros.loader import POLICY_DIR, SCHEMA_DIR

CASES = pathlib.Path(__file__).parent / "cases"


def git(repo, *args):
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=test", "-c", "user.email=test@example.org", *args],
                   check=True, capture_output=True)


def edit(path: pathlib.Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def repo(tmp_path):
    """The real policies and schema committed as BASE, then changed in the working tree."""
    root = tmp_path / "repo"
    shutil.copytree(POLICY_DIR, root / "policies")
    shutil.copytree(SCHEMA_DIR, root / "schema")
    (root / "tests" / "cases" / "ft-ai-2025").mkdir(parents=True)
    shutil.copy(CASES / "ft-ai-2025" / "art-1.yaml", root / "tests" / "cases" / "ft-ai-2025")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    ft = root / "policies" / "ft-ai-2025.yaml"
    edit(ft, "        cap: 2000000\n", "        cap: 3000000\n")  # art-1 compute
    edit(ft, "  - id: art-10-4\n", "  - id: art-10-5\n")  # renamed, with its redirect below
    edit(ft, "    number: {zh: 第二条(1), en: Article 2 (1)}\n",  # a field the data model does not know yet
         "    number: {zh: 第二条(1), en: Article 2 (1)}\n    new_field: 1\n")
    ft.write_text(ft.read_text(encoding="utf-8") + NEW_MEASURE, encoding="utf-8")
    registry = root / "policies" / "registry" / "published.yaml"
    edit(registry, "redirects: {}", "redirects:\n  ft-ai-2025/art-10-4: ft-ai-2025/art-10-5")
    edit(root / "policies" / "bj-ai-plus-2024.yaml", "  expires:\n    date: 2025-12-31\n",
         "  expires:\n    date: 2027-12-31\n")
    tz = root / "policies" / "tz-ai-2025.yaml"
    text = tz.read_text(encoding="utf-8")
    tz.write_text(text[:text.index("  - id: art-20\n")], encoding="utf-8")  # the last measure, no redirect
    return root


def run(repo, *extra) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = make_diff.main(["HEAD", "--repo", str(repo), "--today", "2026-06-30", *extra])
    return code, out.getvalue()


def test_the_changes_are_printed_in_both_languages(repo):
    code, out = run(repo)
    assert code == 0
    lines = out.splitlines()
    assert re.fullmatch(r"Changes to the published data: HEAD \([0-9a-f]{7,}\) → the working tree · 已发布数据的变更："
                        r"HEAD \([0-9a-f]{7,}\) → 工作区", lines[0])
    assert lines[1:] == [
        "",
        "Measures · 措施",
        ("  ft-ai-2025/art-10-4 → ft-ai-2025/art-10-5: measure renamed (redirect in published.yaml) · 措施改号 "
        "丰台人工智能若干措施 第十条(4)：ft-ai-2025/art-10-4 → ft-ai-2025/art-10-5（published.yaml 中已设跳转）"),
        "  ft-ai-2025/art-11: measure added: Article 11 “Support for tests” · 新增措施 丰台人工智能若干措施 第十一条「支持测试」",
        ("  tz-ai-2025/art-20: measure removed, with no redirect (make validate fails) · 删除措施 城市副中心人工智能若干措施 "
        "第二十条（tz-ai-2025/art-20），未设跳转（make validate 将报错）"),
        "",
        "Terms, dates and facts · 条款、日期与信息",
        "  bj-ai-plus-2024: expiry date 2025-12-31 → 2027-12-31 · 北京“人工智能+”行动计划 失效日期 2025-12-31 → 2027-12-31",
        "  bj-ai-plus-2024: status on 2026-06-30: expired → in force · 北京“人工智能+”行动计划 2026-06-30 的状态：已失效 → 有效",
        "  ft-ai-2025/art-1 compute: cap 2,000,000 → 3,000,000 · 丰台人工智能若干措施 第一条 上限 2,000,000 → 3,000,000",
        "  ft-ai-2025/art-2-1: new_field added: 1 · 丰台人工智能若干措施 第二条(1) 新增 new_field：1",
        "",
        "Rule cases whose results change · 结果变化的规则用例",
        ("  ft-ai-2025/art-1 “第一条 给予最高200万元支持: capped, 20,000,000 × 20% = 4,000,000 > 2,000,000 → 2,000,000 "
         "for an enterprise that is not industrial-AI”: ft-ai-2025/art-1 max amount 2,000,000 → 3,000,000 · "
         "ft-ai-2025/art-1「第一条 给予最高200万元支持: capped, 20,000,000 × 20% = 4,000,000 > 2,000,000 → 2,000,000 "
         "for an enterprise that is not industrial-AI」：丰台人工智能若干措施 第一条 最高金额 2,000,000 → 3,000,000"),
    ]


def test_markdown_for_the_job_summary(repo):
    code, out = run(repo, "--format", "markdown")
    assert code == 0
    assert out.startswith("### Changes to the published data · 已发布数据的变更\n")
    assert "**Rule cases whose results change · 结果变化的规则用例**" in out
    assert "- ft-ai-2025/art-2-1: new\\_field added: 1 · 丰台人工智能若干措施 第二条(1) 新增 new\\_field：1\n" in out


def test_no_change_and_an_unknown_base(repo, capsys):
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "head")
    assert run(repo)[1].splitlines()[1] == "No change to the published data · 已发布数据无变化"
    assert make_diff.main(["no-such-branch", "--repo", str(repo)]) == 2
    assert "'no-such-branch' is not a commit" in capsys.readouterr().err


def test_a_change_of_the_calculator_is_said(repo):
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "head")
    (repo / "calculator").mkdir()
    (repo / "calculator" / "engine.py").write_text("# the engine\n", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "calculator")
    assert "the calculator's code changed too" not in run(repo)[1]
    (repo / "calculator" / "engine.py").write_text("# the engine, changed\n", encoding="utf-8")
    out = run(repo)[1].splitlines()
    assert out[1:] == ["", "Rule cases whose results change · 结果变化的规则用例",
                       ("  the calculator's code changed too: rule cases are evaluated on both sides by this tree's "
                        "calculator, so they show what the data does; make test checks their expectations · "
                        "计算器代码也有改动：规则用例两侧均由当前版本的计算器运行，反映的是数据的影响；用例的预期由 make test 检查")]


def test_text_changes_show_the_words_that_changed_and_tiers_are_named():
    base = {"id": "p", "short_title": {"zh": "某政策", "en": "P"}, "measures": [{
        "id": "art-1", "number": {"zh": "第一条", "en": "Article 1"},
        "text": {"zh": "对主营业务收入首次达到10亿元、5亿元的人工智能企业，分别一次性给予最高100万元、50万元支持，"
                         "工业智能企业每档支持资金提高10万元。", "en": "x"},
        "benefits": [{"id": "first-reach", "kind": "tiers", "tiers": [{"threshold": 1_000_000_000, "amount": 1_000_000},
                                                                     {"threshold": 500_000_000, "amount": 500_000}],
                      "period": "once", "conditions": [{"field": "ai_partner", "op": "eq", "value": True}]}]}]}
    head = copy.deepcopy(base)
    measure = head["measures"][0]
    measure["text"]["zh"] = measure["text"]["zh"].replace("最高100万元", "最高150万元")
    measure["benefits"][0]["tiers"][1]["amount"] = 600_000
    measure["benefits"][0]["period"] = "per_year"
    measure["benefits"][0]["conditions"][0]["value"] = False
    lines = [str(line) for line in changes.compare(changes.Side({"p": base}, {}, {}), changes.Side({"p": head}, {}, {}))]
    assert lines == [
        ("p/art-1: text (Chinese): …分别一次性给予最高100万元、50万元支持… → …分别一次性给予最高150万元、50万元支持… · "
        "某政策 第一条 原文（中文）：…分别一次性给予最高100万元、50万元支持… → …分别一次性给予最高150万元、50万元支持…"),
        "p/art-1 first-reach: tier 2 amount 500,000 → 600,000 · 某政策 第一条 第2档 金额 500,000 → 600,000",
        "p/art-1 first-reach: period once → per year · 某政策 第一条 期限 一次性 → 每年",
        "p/art-1 first-reach: condition 1 value yes → no · 某政策 第一条 条件1 值 是 → 否",
    ]


def test_the_modules_doctests_pass():
    assert doctest.testmod(changes).failed == 0
