"""`make diff BASE=<git ref>`: what the changes since BASE do to the published data, in both languages.

``python -m macros.diff BASE [--format text|markdown]`` materialises BASE's policies/ and schema/ (with
the registry of published ids) into a temporary folder with ``git archive``, loads both sides with the
project's one loader (macros.loader), and prints every change (macros.changes): policies and measures
added, removed or renamed with their redirects, every changed amount, rate, cap, tier, period,
condition, date, status or text (old → new), and the rule cases of tests/cases whose results change.
The rule cases are evaluated by this tree's calculator on the bundle of each side, so that what differs
is what the data does. Drafts are not published, so not compared. CI puts the Markdown form in the
pull request's job summary (.github/workflows/ci.yml).
"""

from __future__ import annotations

import argparse
import datetime
import io
import pathlib
import re
import subprocess
import sys
import tarfile
import tempfile

import yaml

from calculator import Calculator

from .bundle import make_bundle
from .changes import SECTIONS, Line, Side, compare, value_text
from .loader import ROOT, policy_files, read_policy_file
from .registry import read_registry
from .todo import is_draft

MATERIALISED = ("policies", "schema")  # the registry is policies/registry/published.yaml
RESULT_FIELDS = {"status": ("status", "状态"), "max_amount": ("max amount", "最高金额"), "period": ("period", "期限"),
                 "years": ("years", "年限"), "in_total": ("counted in the total", "计入合计")}


class DiffError(Exception):
    pass


def _git(repo: pathlib.Path, *args: str) -> bytes:
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=False)
    if done.returncode != 0:
        raise DiffError(f"git {' '.join(args)}: {done.stderr.decode('utf-8', 'replace').strip()}")
    return done.stdout


def materialise(repo: pathlib.Path, ref: str, dest: pathlib.Path) -> str:
    """BASE's policies/ and schema/ into ``dest``; returns the commit's short hash."""
    try:
        commit = _git(repo, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").decode().strip()
    except DiffError:
        raise DiffError(f"'{ref}' is not a commit of {repo} (a branch, a tag or a commit; CI fetches the "
                        "history with fetch-depth: 0)") from None
    present = set(_git(repo, "ls-tree", "--name-only", commit).decode().split())
    folders = [name for name in MATERIALISED if name in present]
    if "policies" not in folders:
        raise DiffError(f"{ref} has no policies/ folder")
    archive = _git(repo, "archive", "--format=tar", commit, "--", *folders)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(dest, filter="data")
    return _git(repo, "rev-parse", "--short", commit).decode().strip()


def load_side(root: pathlib.Path) -> tuple[Side, list[Line]]:
    """The published policies of a tree (policies/ and schema/ under ``root``), loaded as the site loads them."""
    policies, drafts, lines = {}, [], []
    for path in policy_files(root / "policies"):
        doc = read_policy_file(path)
        if not isinstance(doc.data, dict) or not isinstance(doc.data.get("id"), str):
            reason = doc.problems[0].message if doc.problems else "no id"
            lines.append(Line("policies", f"policies/{path.name} could not be read ({reason}): not compared",
                              f"policies/{path.name} 无法读取（{reason}），未比较"))
        elif is_draft(doc):
            drafts.append(doc.data["id"])
        else:
            policies[doc.data["id"]] = doc.data
    registry = root / "policies" / "registry" / "published.yaml"
    redirects = read_registry(registry)[0]["redirects"] if registry.exists() else {}
    vocabulary_file = root / "schema" / "vocabulary.yaml"
    vocabulary = yaml.safe_load(vocabulary_file.read_text(encoding="utf-8")) if vocabulary_file.exists() else {}
    return Side(policies, dict(redirects), vocabulary or {}, drafts), lines


# ── rule cases ───────────────────────────────────────────────────────────────────────────────────

def load_cases(folder: pathlib.Path) -> list[tuple[str, dict]]:
    cases = []
    for path in sorted(folder.glob("*/*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            cases.append((f"{path.parent.name}/{path.stem}", case))
    return cases


def _results(side: Side, cases: list[tuple[str, dict]]) -> list[dict] | str:
    """Per case, the fields of the rows of the measures it names, and its total; or why it could not run."""
    try:
        bundle = make_bundle(sorted(side.policies.values(), key=lambda p: p["id"]))
        bundle["vocabulary"] = {k: side.vocabulary.get(k, v) for k, v in bundle["vocabulary"].items()}
        calc = Calculator(bundle)
    except Exception as error:  # noqa: BLE001 - the data model of BASE may differ: say so, do not stop
        return f"{type(error).__name__}: {error}"
    out = []
    for _, case in cases:
        try:
            report = calc.evaluate(case["profile"])
        except Exception as error:  # noqa: BLE001
            out.append({"error": f"{type(error).__name__}: {error}"})
            continue
        rows = {f"{r['policy']}/{r['measure']}": r for r in report["results"]}
        named = list(case.get("expect", {})) + list(case.get("absent", []))
        result = {m: ({k: rows[m][k] for k in RESULT_FIELDS if k in rows[m]} if m in rows else None) for m in named}
        if "total" in case:
            result["total"] = report["total"]["amount"]
        out.append(result)
    return out


def case_lines(cases: list[tuple[str, dict]], base: Side, head: Side) -> list[Line]:
    before, after = _results(base, cases), _results(head, cases)
    for side, results in (("BASE", before), ("the working tree", after)):
        if isinstance(results, str):
            return [Line("cases", f"rule cases could not be evaluated on {side}: {results}",
                         f"规则用例无法在{'BASE' if side == 'BASE' else '工作区'}上运行：{results}")]
    lines = []
    short = {pid: (p.get("short_title") or p.get("title") or {}).get("zh", pid) for pid, p in head.policies.items()}
    for (where, case), old, new in zip(cases, before, after, strict=True):
        if old == new:
            continue
        name = case.get("name", "?")
        if "error" in old or "error" in new:
            lines.append(Line("cases", f"{where} “{name}”: {old.get('error') or 'ran'} → {new.get('error') or 'ran'}",
                              f"{where}「{name}」：{old.get('error') or '可运行'} → {new.get('error') or '可运行'}"))
            continue
        for key in list(old) + [k for k in new if k not in old]:
            a, b = old.get(key), new.get(key)
            if a == b:
                continue
            if key == "total":
                lines.append(Line("cases", f"{where} “{name}”: total {value_text(a, 'en')} → {value_text(b, 'en')}",
                                  f"{where}「{name}」：合计 {value_text(a, 'zh')} → {value_text(b, 'zh')}"))
                continue
            pid, _, mid = key.partition("/")
            number = next((m.get("number", {}).get("zh", mid) for m in head.policies.get(pid, {}).get("measures", [])
                           if m.get("id") == mid), mid)
            if a is None or b is None:
                listed = ("listed", "列出") if a is None else ("no longer listed", "不再列出")
                lines.append(Line("cases", f"{where} “{name}”: {key} {listed[0]}",
                                  f"{where}「{name}」：{short.get(pid, pid)} {number} {listed[1]}"))
                continue
            for field, (en, zh) in RESULT_FIELDS.items():
                if a.get(field) != b.get(field):
                    lines.append(Line("cases", f"{where} “{name}”: {key} {en} {value_text(a.get(field), 'en', field)} → "
                                               f"{value_text(b.get(field), 'en', field)}",
                                      f"{where}「{name}」：{short.get(pid, pid)} {number} {zh} "
                                      f"{value_text(a.get(field), 'zh', field)} → {value_text(b.get(field), 'zh', field)}"))
    return lines


# ── the report ───────────────────────────────────────────────────────────────────────────────────

def _md(text: str) -> str:
    return "".join("\\" + c if c in "\\`*_[]<>|#" else c for c in text)


def render(lines: list[Line], base: str, fmt: str) -> str:
    title = ("Changes to the published data", "已发布数据的变更")
    if fmt == "markdown":
        out = [f"### {title[0]} · {title[1]}", "", f"`{base}` → this tree · `{base}` → 当前版本", ""]
    else:
        out = [f"{title[0]}: {base} → the working tree · {title[1]}：{base} → 工作区"]
    if not lines:
        out.append("No change to the published data · 已发布数据无变化")
        return "\n".join(out) + "\n"
    for name, en, zh in SECTIONS:
        section = [line for line in lines if line.section == name]
        if not section:
            continue
        if fmt == "markdown":
            out += [f"**{en} · {zh}**", ""] + [f"- {_md(str(line))}" for line in section] + [""]
        else:
            out += ["", f"{en} · {zh}"] + [f"  {line}" for line in section]
    return "\n".join(out).rstrip("\n") + "\n"


def diff(repo: pathlib.Path, ref: str, cases_dir: pathlib.Path, today: datetime.date | None = None) -> tuple[str, list]:
    """The short hash of BASE and the lines of every change from BASE to ``repo``'s working tree."""
    with tempfile.TemporaryDirectory(prefix="diff-base-") as tmp:
        commit = materialise(repo, ref, pathlib.Path(tmp))
        base, _ = load_side(pathlib.Path(tmp))  # what BASE could not read was reported then
    head, unread_head = load_side(repo)
    lines = unread_head + compare(base, head, today)
    if cases_dir.is_dir():
        lines += case_lines(load_cases(cases_dir), base, head)
        if subprocess.run(["git", "-C", str(repo), "diff", "--quiet", commit, "--", "calculator"],
                          capture_output=True, check=False).returncode == 1:
            lines.append(Line("cases", "the calculator's code changed too: rule cases are evaluated on both sides "
                                       "by this tree's calculator, so they show what the data does; make test checks "
                                       "their expectations",
                              "计算器代码也有改动：规则用例两侧均由当前版本的计算器运行，反映的是数据的影响；"
                              "用例的预期由 make test 检查"))
    return commit, lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", help="the git ref to compare with (a branch, a tag, a commit)")
    parser.add_argument("--format", choices=("text", "markdown"), default="text")
    parser.add_argument("--repo", type=pathlib.Path, default=ROOT, help=argparse.SUPPRESS)
    parser.add_argument("--cases", type=pathlib.Path, help=argparse.SUPPRESS)
    parser.add_argument("--today", type=datetime.date.fromisoformat, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        commit, lines = diff(args.repo, args.base, args.cases or args.repo / "tests" / "cases", args.today)
    except DiffError as error:
        print(f"make diff: {error}", file=sys.stderr)
        return 2
    label = commit if re.fullmatch(r"[0-9a-f]{7,40}", args.base) else f"{args.base} ({commit})"
    sys.stdout.write(render(lines, label, args.format))
    return 0


if __name__ == "__main__":
    sys.exit(main())
