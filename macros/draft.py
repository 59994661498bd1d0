"""Draft a policy file from a document's text: ``make new-policy SOURCE=text.txt ID=policy-id``.

``python -m macros.draft SOURCE ID`` copies the text to ``policies/sources/<id>.zh.txt`` and writes
``policies/<id>.yaml`` marked ``draft: true``:

- one measure per numbered unit (``macros.numbering``), ids by the convention of policies/README.md,
  ``text.zh`` verbatim with the number left out; the headings above the measures become groups;
- the titles the text gives itself (a heading, or a short phrase ending in 。 that opens the text);
- the responsible units the text names: （责任单位：…）, （责任部门：…）, （…负责）, or a list of
  bodies in brackets closing a sentence, as in （市经济和信息化局，市科委、中关村管委会）;
- every amount and rate of a measure's (or a heading's) text under ``candidates``, converted exactly,
  for the maintainer to turn into benefit terms.

Everything else is ``TODO``; ``make validate`` lists what remains (macros.todo), and the site never
publishes a draft. Nothing existing is overwritten.
"""

from __future__ import annotations

import argparse
import datetime
import pathlib
import re
import sys
import time

import yaml

from .amounts import find_amounts, find_rates
from .loader import POLICY_DIR, relative
from .numbering import Unit, join_lines, parse, preamble
from .todo import TODO

ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")  # schema/build_schema.py: ident
_CLAUSE_END = "，,；;：:。！？"
_ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV",
          "XVI", "XVII", "XVIII", "XIX", "XX"]
# Bodies that can be responsible for a measure end with one of these (市经济和信息化局, 各区政府, 市教委).
_BODY = re.compile(r"(局|委|办|会|院|部|厅|政府|办公室|中心|署|法院)$")
_UNITS_NAMED = re.compile(r"[（(]\s*责任(?:单位|部门)\s*[：:]\s*([^（）()]+?)\s*[）)]")
_UNITS_IN_CHARGE = re.compile(r"[（(]\s*(?:由)?([^（）()]+?)负责\s*[）)]")
_UNITS_BARE = re.compile(r"[（(]\s*([^（）()]+?)\s*[）)](?=[。；;]|$)")


class DraftError(Exception):
    pass


# ── titles and texts ─────────────────────────────────────────────────────────────────────────────

def _heading_like(line: str) -> bool:
    """A short line without a clause mark: a title of its own (支持人工智能+文化旅游)."""
    line = line.strip().rstrip("。")
    return 2 <= len(line) <= 40 and not any(c in line for c in _CLAUSE_END)


def _run_in_title(text: str, alone: bool = False) -> str | None:
    """A short phrase ending in 。 that opens a longer text (降低智能算力使用成本。降低…), or, ``alone``, that is
    all of a heading's text (第二条 支持人工智能大模型研发。(1)…)."""
    match = re.match(rf"([^{_CLAUSE_END}]{{2,30}})。", text)
    rest = re.sub(r"^[（(][^（）()]*[）)]。?$", "", text[match.end():]) if match else ""  # （由区金融办负责）
    return match.group(1) if match and bool(rest) != alone else None


def title_and_text(unit: Unit) -> tuple[str | None, str | None]:
    """The unit's own title (when the text gives one) and its verbatim text (None when it has none).

    A Markdown heading (## 2.1 人工智能+机器人) is a title only; a numbered line keeps its title phrase
    in the text (第十一条 支持人工智能+文化旅游 ⏎ 支持企业…), as the existing files do.
    """
    lines = [line for line in unit.lines if line.strip()]
    if not lines:
        return None, None
    if unit.heading:
        return lines[0].strip(), join_lines(lines[1:]) or None
    first = join_lines(lines[:1])
    if _heading_like(first) and (len(lines) > 1 or unit.children):
        rest = join_lines(lines[1:]) or None
        if unit.children:
            return first.rstrip("。"), rest  # a heading's own text, below its title (通州 三、)
        return first.rstrip("。"), f"{first}\n{rest}"
    text = join_lines(lines)
    if unit.children and (title := _run_in_title(text, alone=True)):
        return title, None  # 第二条 支持人工智能大模型研发。(1)…: the heading is the title and nothing more
    return _run_in_title(text), text


# ── responsible units ────────────────────────────────────────────────────────────────────────────

def _parts(inner: str, commas_only: bool) -> list[str]:
    separators = "[，,；;]" if commas_only else "[，,；;、]"
    return [p.strip() for p in re.split(separators, inner) if p.strip()]


def comma_separated_units(text: str) -> bool:
    """Whether the document separates bodies with commas, so that 、 joins one body's two names.

    (北京市 2022: （市经济和信息化局，市科委、中关村管委会）, where 市科委、中关村管委会 is one body.)
    """
    for match in list(_UNITS_BARE.finditer(text)) + list(_UNITS_IN_CHARGE.finditer(text)):
        inner = match.group(1)
        if re.search("[，,]", inner) and all(_BODY.search(p) for p in _parts(inner, True)):
            return True
    return False


def responsible_units(text: str, commas_only: bool) -> list[str]:
    """The bodies a measure's text names as responsible, in order, each once.

    >>> responsible_units("支持研发（市科委、中关村管委会）。贴息（市经济和信息化局，北京银保监局）。", True)
    ['市科委、中关村管委会', '市经济和信息化局', '北京银保监局']
    >>> responsible_units("……。（责任单位：市发展改革委、市经济和信息化局）", False)
    ['市发展改革委', '市经济和信息化局']
    >>> responsible_units("对符合条件的企业给予支持（由区科信局负责）。国内（国际）首创。", False)
    ['区科信局']
    """
    found, taken = [], set()
    for pattern, bare in ((_UNITS_NAMED, False), (_UNITS_IN_CHARGE, False), (_UNITS_BARE, True)):
        for match in pattern.finditer(text):
            if match.start() in taken:
                continue  # （责任单位：…） is not also a bare list
            parts = _parts(match.group(1), commas_only)
            if bare and not all(_BODY.search(p) and len(p) <= 20 and not re.search("[：:]", p) for p in parts):
                continue  # （国际）, （含）, （MaaS平台）: not a list of bodies
            taken.add(match.start())
            found.extend((match.start(), p) for p in parts)
    out = []
    for _, name in sorted(found, key=lambda f: f[0]):
        if name not in out:
            out.append(name)
    return out


# ── amounts and rates ────────────────────────────────────────────────────────────────────────────

def _clause(text: str, start: int) -> str:
    """The clause of ``text`` (white space removed) around offset ``start``."""
    left = max(text.rfind(c, 0, start) for c in _CLAUSE_END) + 1
    ends = [i for i in (text.find(c, start) for c in _CLAUSE_END) if i >= 0]
    return text[left:min(ends) if ends else len(text)]


def candidate_terms(text: str) -> list[dict]:
    """Every amount and rate of ``text``, in order, with the clause that states it.

    >>> candidate_terms("按照实际投入的20%给予最高0.5亿元支持。")
    [{'rate': '20%', 'written': '20%', 'clause': '按照实际投入的20%给予最高0.5亿元支持'}, \
{'amount': 50000000, 'written': '0.5亿元', 'clause': '按照实际投入的20%给予最高0.5亿元支持'}]
    """
    squashed = re.sub(r"\s+", "", text)
    found = [(a.start, {"amount": a.yuan, "written": a.written}) for a in find_amounts(squashed)]
    found += [(r.start, {"rate": r.rate, "written": r.written}) for r in find_rates(squashed)]
    return [term | {"clause": _clause(squashed, start)} for start, term in sorted(found, key=lambda f: f[0])]


# ── ids and numbers ──────────────────────────────────────────────────────────────────────────────

def _continuous(units: list[Unit]) -> dict[str, bool]:
    """For each sequence (style and depth): numbered straight through the document, never restarting."""
    numbers: dict[str, list] = {}
    for root in units:
        for unit in root.walk():
            numbers.setdefault(unit.key, []).append(unit.number)
    return {key: len(nums) == len(set(nums)) for key, nums in numbers.items()}


def _path(unit: Unit, continuous: dict[str, bool]) -> list[Unit]:
    """The units whose numbers make up ``unit``'s id: from its article down (第三条（二） → art-3-2), else
    from the first of its parents that is numbered straight through the document."""
    path = [unit]
    while path[0].parent is not None and (not continuous[path[0].key] or path[0].style != "article" and any(
            u.style == "article" for u in _ancestors(path[0]))):
        path.insert(0, path[0].parent)
    return path


def _ancestors(unit: Unit):
    while unit.parent is not None:
        unit = unit.parent
        yield unit


def unit_id(unit: Unit, continuous: dict[str, bool], group: bool) -> str:
    """art-3 (第三条), art-3-2 (its (2)), sec-6-3 (6.3), item-8 (8.), ch-3 (三、 or 第三章 as a heading).

    Items are numbered by themselves when the document numbers them straight through (北京市 2022:
    1.–12. across four parts); else the numbers of their parents come first (一、（二）3. → sec-1-2-3).
    """
    path = _path(unit, continuous)
    head = path[0]
    numbers = [str(n) for n in head.number] + [str(u.number[-1]) for u in path[1:]]
    if head.style == "article":
        prefix = "art"
    elif head.style == "section":
        prefix = "sec"
    elif head.style in ("chapter", "part"):
        prefix = "ch" if group else "sec"
    else:
        prefix = "item"
    return f"{prefix}-{'-'.join(numbers)}"


def unit_number(unit: Unit, continuous: dict[str, bool]) -> dict:
    """The number as written (第二条(1), 三, 2.1, 1.) and in English (Article 2 (1), Part III, Section 2.1)."""
    path = _path(unit, continuous)
    head = path[0]
    zh = "".join(u.label.rstrip("、") if u.style == "chapter" else u.label for u in path)
    n = head.number[-1]
    en = {"article": f"Article {n}", "chapter": f"Part {_ROMAN[n - 1] if n <= len(_ROMAN) else n}",
          "part": f"Chapter {n}", "section": f"Section {'.'.join(str(x) for x in head.number)}"}.get(
        head.style, f"Item {n}")
    en += "".join(f" {u.number[-1]}." if u.style == "item" else f" ({u.number[-1]})" for u in path[1:])
    return {"zh": zh, "en": en}


# ── the draft ────────────────────────────────────────────────────────────────────────────────────

def draft_policy(text: str, policy_id: str) -> dict:
    """The draft of ``policies/<policy_id>.yaml`` for the document ``text``, as data in file order."""
    units = parse(text)
    if not units:
        raise DraftError("no numbered unit found (第一条, 一、, （一）, 1., 2.1): write the measures by hand")
    continuous = _continuous(units)
    commas = comma_separated_units(text)
    groups, measures = [], []

    def visit(unit: Unit, group_id: str | None):
        title, body = title_and_text(unit)
        if unit.children:
            group = {"id": unit_id(unit, continuous, group=True), "number": unit_number(unit, continuous),
                     "title": {"zh": title or TODO, "en": TODO}}
            if body:
                group["text"] = {"zh": body, "en": TODO}
                if terms := candidate_terms(body):
                    group["candidates"] = terms
            groups.append(group)
            for child in unit.children:
                visit(child, group["id"])
            return
        body = body or title or ""
        measure = {"id": unit_id(unit, continuous, group=False), "group": group_id,
                   "number": unit_number(unit, continuous), "title": {"zh": title or TODO, "en": TODO},
                   "text": {"zh": body, "en": TODO}, "categories": [TODO], "beneficiaries": [TODO],
                   "responsible_units": [{"zh": u, "en": TODO} for u in responsible_units(body, commas)],
                   "references": [], "benefits": TODO}
        if terms := candidate_terms(body):
            measure["candidates"] = terms
        measures.append(measure)

    for unit in units:
        visit(unit, None)
    for kind, items in (("measure", measures), ("group", groups)):
        ids = [item["id"] for item in items]
        if duplicates := sorted({i for i in ids if ids.count(i) > 1}):
            raise DraftError(f"the numbering gives the same {kind} id twice: {', '.join(duplicates)}")
    policy = {
        "draft": True, "id": policy_id,
        "title": {"zh": TODO, "en": TODO, "official": TODO}, "short_title": {"zh": TODO, "en": TODO},
        "jurisdiction": TODO, "issuers": TODO, "document_number": {"value": TODO, "verified": TODO},
        "dates": {k: {"date": TODO, "verified": TODO} for k in ("issued", "published", "effective", "expires")},
        "sources": TODO,
        "source_texts": [{"id": "main", "file": f"sources/{policy_id}.zh.txt", "kind": TODO}],
    }
    if opening := preamble(text):
        policy["preamble"] = {"zh": opening, "en": TODO}
    policy |= {"combination": TODO, "application": TODO, "verified_on": TODO}
    if groups:
        policy["groups"] = groups
    policy["measures"] = measures
    return policy


# ── YAML in the style of the existing files ──────────────────────────────────────────────────────

def _scalar(value) -> str:
    """A value quoted for a flow collection, where a plain ASCII comma would end it (丰台's texts use them)."""
    if isinstance(value, str) and value == TODO:
        return TODO
    dumped = yaml.safe_dump([value], allow_unicode=True, default_flow_style=True, width=1 << 30)
    return dumped.strip().removeprefix("[").removesuffix("]")


def _flow(value) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    return _scalar(value)


def _is_flat(value) -> bool:
    return isinstance(value, dict | list) and all(not isinstance(v, dict | list) for v in
                                                 (value.values() if isinstance(value, dict) else value))


def _emit(key: str, value, indent: int, out: list[str]) -> None:
    pad = " " * indent
    if isinstance(value, str) and "\n" in value:
        out.append(f"{pad}{key}: |-")
        out.extend(f"{pad}  {line}" for line in value.split("\n"))
    elif isinstance(value, dict) and not (_is_flat(value) and len(_flow(value)) + indent + len(key) < 110):
        out.append(f"{pad}{key}:")
        for k, v in value.items():
            _emit(k, v, indent + 2, out)
    elif isinstance(value, list) and value and any(isinstance(v, dict) for v in value) and key != "candidates":
        out.append(f"{pad}{key}:")
        for item in value:
            _emit_item(item, indent + 2, out)
    elif isinstance(value, list) and key == "candidates":
        out.append(f"{pad}{key}:  # every amount and rate of the text: confirm each as a benefit term, then delete")
        out.extend(f"{pad}  - {_flow(item)}" for item in value)
    else:
        out.append(f"{pad}{key}: {_flow(value)}")


def _emit_item(item, indent: int, out: list[str]) -> None:
    if not isinstance(item, dict):
        out.append(f"{' ' * indent}- {_flow(item)}")
        return
    if _is_flat(item) and len(_flow(item)) + indent < 110:
        out.append(f"{' ' * indent}- {_flow(item)}")
        return
    start = len(out)
    for k, v in item.items():
        _emit(k, v, indent + 2, out)
    out[start] = f"{' ' * indent}- {out[start].lstrip()}"


def to_yaml(policy: dict, source_name: str) -> str:
    out = ["# yaml-language-server: $schema=../schema/policy.schema.json",
           f"# Drafted by `make new-policy` from {source_name} on {datetime.date.today()}.",
           "# Replace every TODO, turn each `candidates` list into benefit terms, then delete `draft: true`:",
           "# `make validate` lists what remains, and the site publishes nothing of this file until then."]
    for key, value in policy.items():
        if key in ("groups", "measures"):
            out.append("")
            out.append(f"{key}:")
            for item in value:
                if key == "measures":
                    out.append("")
                _emit_item(item, 2, out)
        else:
            _emit(key, value, 0, out)
    return "\n".join(out) + "\n"


# ── the command ──────────────────────────────────────────────────────────────────────────────────

def read_source(path: pathlib.Path) -> str:
    """The text of a document saved as UTF-8 (with or without BOM) or as GB 18030 (which includes GBK)."""
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding).replace("\r\n", "\n").replace("\r", "\n")
        except UnicodeDecodeError:
            continue
    raise DraftError(f"{path}: neither UTF-8 nor GB 18030 text")


def check_new_id(policy_id: str, folder: pathlib.Path) -> None:
    if not ID_PATTERN.match(policy_id):
        raise DraftError(f"'{policy_id}' is not a policy id: lower-case ASCII letters and digits joined by "
                         "hyphens, <place>-<topic>-<year> (ft-ai-2025)")
    for path in (folder / f"{policy_id}.yaml", folder / "sources" / f"{policy_id}.zh.txt"):
        if path.exists():
            raise DraftError(f"{relative(path)} exists already: nothing was written")
    registry = folder / "registry" / "published.yaml"
    if registry.exists():
        published = yaml.safe_load(registry.read_text(encoding="utf-8")) or {}
        if policy_id in (published.get("published") or []):
            raise DraftError(f"'{policy_id}' was published before ({relative(registry)}): ids are permanent, "
                             "choose another")


def write_draft(source: pathlib.Path, policy_id: str, folder: pathlib.Path = POLICY_DIR) -> tuple[pathlib.Path, dict]:
    check_new_id(policy_id, folder)
    text = read_source(source)
    policy = draft_policy(text, policy_id)
    copy = folder / "sources" / f"{policy_id}.zh.txt"
    target = folder / f"{policy_id}.yaml"
    copy.parent.mkdir(parents=True, exist_ok=True)
    with open(copy, "x", encoding="utf-8") as out:  # "x": never overwrite
        out.write(text)
    try:
        with open(target, "x", encoding="utf-8") as out:
            out.write(to_yaml(policy, f"sources/{copy.name}"))
    except FileExistsError:
        copy.unlink()
        raise
    return target, policy


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=pathlib.Path, help="the document's text (UTF-8 or GB 18030)")
    parser.add_argument("id", help="the new policy id, e.g. hd-ai-2026")
    parser.add_argument("--folder", type=pathlib.Path, default=POLICY_DIR, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        target, policy = write_draft(args.source, args.id, args.folder)
    except (DraftError, OSError) as error:
        print(f"new-policy: {error}", file=sys.stderr)
        return 1
    measures = policy["measures"]
    candidates = sum(len(item.get("candidates", [])) for item in measures + policy.get("groups", []))
    print(f"{relative(target)}: {len(measures)} measures ({measures[0]['id']} … {measures[-1]['id']}), "
          f"{len(policy.get('groups', []))} groups, {candidates} candidate amounts and rates, "
          f"drafted in {time.perf_counter() - started:.2f} s; the text is in "
          f"{relative(args.folder / 'sources' / f'{args.id}.zh.txt')}.")
    print("Next: replace each TODO and turn the candidates into benefits; `make validate` lists what remains.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
