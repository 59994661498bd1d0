"""Every bilingual label is the right way round: its zh is Chinese, its en is not.

A swapped pair (`"per_year": {"zh": "per year", "en": "每年"}`) renders fine and passes every other
test; it shows only to a reader. Checked: the label tables of the site and calculator modules, the
vocabulary, and each `t(lang, zh, en)` / `both(zh, en)` call with literal text.
"""

from __future__ import annotations

import ast
import importlib
import re

import pytest

from macros.loader import ROOT, load_vocabulary

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
# English may cite the Chinese term in brackets or quotes: "above designated size (首次达规)".
CITED = re.compile(r"\([^()]*\)|（[^（）]*）|“[^“”]*”|\"[^\"]*\"")
MODULES = ["macros.render", "macros.pages", "macros.compare", "macros.feeds", "macros.opendata", "macros.main",
           "calculator.cli", "calculator.fields", "calculator.engine", "calculator.terms", "calculator.conditions",
           "calculator.text"]


def swapped(zh: str, en: str) -> str | None:
    """Why a pair looks the wrong way round, or None."""
    if zh == en:
        return None  # language-neutral, such as "DCMM"
    if zh.strip() and not CJK.search(zh):
        return "zh has no Chinese"
    if CJK.search(CITED.sub("", en)):
        return "en has Chinese outside brackets and quotes"
    return None


def pairs(value, path: str):
    """Every {zh, en} pair of strings inside a value, with its path."""
    if isinstance(value, dict):
        if isinstance(value.get("zh"), str) and isinstance(value.get("en"), str):
            yield path, value["zh"], value["en"]
        for key, child in value.items():
            yield from pairs(child, f"{path}.{key}")
    elif isinstance(value, (list, tuple)):
        for i, child in enumerate(value):
            yield from pairs(child, f"{path}[{i}]")


def table_pairs():
    for name in MODULES:
        module = importlib.import_module(name)
        for attr, value in vars(module).items():
            if isinstance(value, (dict, list, tuple)) and not attr.startswith("__"):
                yield from pairs(value, f"{name}.{attr}")
    yield from pairs(load_vocabulary(), "schema/vocabulary.yaml")


def _literal(node) -> str | None:
    """The text of a string literal or f-string (its constant parts), else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values if isinstance(v, ast.Constant))
    return None


def call_pairs():
    """`t(lang, zh, en)` and `both(zh, en)` calls whose texts are literals."""
    for path in sorted([*(ROOT / "macros").glob("*.py"), *(ROOT / "calculator").glob("*.py")]):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                continue
            args = {"t": node.args[1:3], "both": node.args[0:2]}.get(node.func.id)
            if args and len(args) == 2:
                zh, en = (_literal(a) for a in args)
                if zh is not None and en is not None:
                    yield f"{path.relative_to(ROOT)}:{node.lineno}", zh, en


def test_the_check_catches_a_swapped_label():
    assert swapped("per year", "每年") and swapped("每年", "每年 per year") and swapped("Expires", "失效日期")
    assert swapped("每年", "per year") is None and swapped("首次达规。", "first counted (首次达规)") is None


@pytest.mark.parametrize("source", [table_pairs, call_pairs], ids=["label tables", "t() and both() calls"])
def test_no_label_is_swapped(source):
    found = list(source())
    wrong = [f"{where}: {zh!r} / {en!r}: {why}" for where, zh, en in found if (why := swapped(zh, en))]
    assert wrong == []
    assert len(found) > 100  # the scan really reads the labels (render's tables alone hold dozens)


def test_the_render_tables_are_among_those_checked():
    checked = {where.split(".")[2].split("[")[0] for where, _, _ in table_pairs() if where.startswith("macros.render.")}
    assert {"PERIODS", "KINDS", "ROLES", "DATE_KINDS", "STATUS_LABELS"} <= checked
