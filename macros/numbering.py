"""The numbered structure of a Chinese policy text: which lines start a unit, and what each unit says.

Policy documents number their parts in a few styles, often nested:

- ``第一章`` chapters and ``第三条`` articles, whose sub-items ``(1)``, ``（2）``, ``（三）`` or ``①`` may
  run on inside the article's paragraph;
- ``一、`` parts, ``（一）`` and ``(1)`` headings, ``1.`` / ``1．`` / ``1、`` items;
- ``2.1`` sections under a heading ``2 …`` (also as Markdown headings, ``## 2.1 …``).

A line starts a unit only where its number continues a sequence: the next number of a unit of the
same style that is still open (``二、`` after ``一、``), or ``1`` under a new parent, or the next
number of the same style seen anywhere (articles and items are often numbered straight through
the parts: 第十一条 under 三、 after 第十条 under 二、). Anything else (a wrapped line of a PDF
that happens to begin ``3.0 ``) is text. A unit with units under it is a heading; the others are
the measures.

The last unit ends where the document's closing provisions begin (a paragraph starting with 本…
or 附件), so that 本措施由…负责解释 is never part of a measure.

>>> units = parse("一、总则\\n1.支持研发。给予支持。\\n2.支持应用。\\n二、保障\\n3.加强组织。\\n本办法自发布之日起施行。")
>>> [(u.label, [c.label for c in u.children]) for u in units]
[('一、', ['1.', '2.']), ('二、', ['3.'])]
>>> units[1].children[0].text
'加强组织。'
"""

from __future__ import annotations

import dataclasses
import re

from .amounts import chinese_number

CN = "零〇一二两三四五六七八九十百"
_SPACE = "[ \\t\\u3000]"
# Each style: (name, pattern on a line's start). The number is group 1; full-width forms allowed.
_STYLES = [
    ("part", re.compile(rf"第([{CN}]+)章{_SPACE}*")),
    ("article", re.compile(rf"第([{CN}]+)条{_SPACE}*")),
    ("chapter", re.compile(rf"([{CN}]+)[、．]{_SPACE}*")),
    ("paren-cn", re.compile(rf"[（(]{_SPACE}*([{CN}]+){_SPACE}*[）)]{_SPACE}*")),
    ("paren", re.compile(rf"[（(]{_SPACE}*(\d+){_SPACE}*[）)]{_SPACE}*")),
    ("circled", re.compile(r"([①-⑳])\s*")),
    ("section", re.compile(rf"(\d+(?:[.．]\d+)+)(?=[^\d.．%％])[.．]?{_SPACE}*")),
    ("item", re.compile(rf"(\d+)[.．、](?![\d%％]){_SPACE}*")),
]
_TOP_SECTION = re.compile(rf"(\d+){_SPACE}+(?=\S)")  # "4 商业化应用", above 4.1
_MARKDOWN = re.compile(r"#{1,6}\s+")
# Sub-items run on inside an article's paragraph: (1) （1） (一) （一） ①.
_INLINE = re.compile(rf"[（(]([{CN}]+|\d+)[）)]|([①-⑳])")
# Where a document's closing provisions begin: 本措施由…解释, 本办法自…施行, 附件.
_CLOSING = re.compile(r"(本(?:措施|办法|若干|政策|细则|方案|规定|意见|通知|实施|计划)|附件|附：|附:)")
_SENTENCE_END = "。！？!?"
_CJK = r"[^\x00-\x7f]"


@dataclasses.dataclass
class Unit:
    style: str  # part (第一章), article, chapter (一、), paren-cn, paren, circled, section, item
    number: tuple  # (3,) or, for sections, every level: (2, 1)
    label: str  # the number as written: 第三条, 一、, （二）, 2.1, 1.
    heading: bool = False  # a Markdown heading line: its text is a title, never part of a measure's text
    lines: list = dataclasses.field(default_factory=list)  # its own lines, the number left out
    children: list = dataclasses.field(default_factory=list)
    parent: Unit | None = dataclasses.field(default=None, repr=False)
    inline: bool = False  # a sub-item found inside its article's paragraph

    @property
    def key(self) -> str:
        """Units of one style and depth form one sequence."""
        return f"{self.style}{len(self.number)}" if self.style == "section" else self.style

    @property
    def text(self) -> str:
        return join_lines(self.lines)

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


def join_lines(lines: list[str]) -> str:
    """Lines joined as one text: white space next to a Chinese character is dropped (PDF extractions split
    ``3000 万元``), white space between two Latin words is one space (``AI PC``).

    >>> join_lines(["单个项目补助最高3000 万元。鼓励金", " 融机构", "推进AI PC、AI", "眼镜"])
    '单个项目补助最高3000万元。鼓励金融机构推进AI PC、AI眼镜'
    """
    text = " ".join(line.strip() for line in lines if line.strip())
    text = re.sub(rf"\s+(?={_CJK})|(?<={_CJK})\s+", "", text)
    return re.sub(r"\s+", " ", text).strip()


def _number(style: str, raw: str) -> tuple | None:
    if style == "circled":
        return (ord(raw) - ord("①") + 1,)
    if style == "section":
        return tuple(int(part) for part in re.split("[.．]", raw))
    value = int(raw) if raw.isdigit() else chinese_number(raw)
    return None if value is None or value == 0 else (value,)


def _candidates(line: str) -> list[tuple[str, tuple, str, str]]:
    """Every way ``line`` could start a unit: (style, number, label, rest of the line)."""
    body = line.strip()
    markdown = _MARKDOWN.match(body)
    if markdown:
        body = body[markdown.end():]
    out = []
    for style, pattern in _STYLES:
        match = pattern.match(body)
        if match:
            number = _number(style, match.group(1))
            if number:
                out.append((style, number, match.group(0).strip(), body[match.end():]))
    match = _TOP_SECTION.match(body)
    if match and not out:
        rest = body[match.end():]
        # "4 商业化应用": a Markdown heading, or a short line of its own (never 1 亿元（含），并… wrapped from a PDF)
        if markdown or (len(rest.strip()) <= 30 and not re.search("[，,；;。：:！？]", rest)):
            out.append(("section", (int(match.group(1)),), match.group(1), rest))
    return out


def _strip_front_matter(text: str) -> str:
    """A Markdown copy may start with YAML front matter between two ``---`` lines."""
    match = re.match(r"\A\s*---\n.*?\n---\n", text, re.DOTALL)
    return text[match.end():] if match else text


class _Parser:
    def __init__(self):
        self.roots: list[Unit] = []
        self.stack: list[Unit] = []  # the open units, outermost first
        self.last: dict[str, int] = {}  # the last number of each sequence, wherever it was

    def place(self, style, number, label) -> Unit | None:
        """The new unit, attached where its number continues a sequence; None when it does not."""
        unit = Unit(style, number, label)
        if style == "section" and len(number) > 1:
            # 2.2 follows 2.1; 2.1 goes under section 2, which must be open.
            for i in range(len(self.stack) - 1, -1, -1):
                open_unit = self.stack[i]
                if open_unit.key == unit.key:
                    if open_unit.number[:-1] != number[:-1] or number[-1] != open_unit.number[-1] + 1:
                        return None
                    del self.stack[i:]
                    return self._push(unit)
                if open_unit.style == "section" and open_unit.number == number[:-1]:
                    if number[-1] != 1:
                        return None
                    del self.stack[i + 1:]
                    return self._push(unit)
            return None
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i].key == unit.key:
                if number[0] != self.stack[i].number[0] + 1:
                    return None  # the same style is open and this is not its next number
                del self.stack[i:]
                return self._push(unit)
        if number[0] == 1 or number[0] == self.last.get(unit.key, -1) + 1:
            return self._push(unit)
        return None

    def _push(self, unit: Unit) -> Unit:
        parent = self.stack[-1] if self.stack else None
        unit.parent = parent
        (parent.children if parent else self.roots).append(unit)
        self.stack.append(unit)
        self.last[unit.key] = unit.number[-1]
        return unit

    def feed(self, line: str) -> None:
        for style, number, label, rest in _candidates(line):
            unit = self.place(style, number, label)
            if unit is not None:
                unit.heading = bool(_MARKDOWN.match(line.strip()))
                unit.lines.append(rest)
                return
        if self.stack:
            self.stack[-1].lines.append(line)


def _split_inline(unit: Unit) -> None:
    """An article whose paragraph runs on through (1), (2)…: each becomes a sub-item."""
    text = unit.text
    markers = [(m.start(), m.end(), m.group(0), m.group(1), m.group(2)) for m in _INLINE.finditer(text)]
    for kind in ("paren", "paren-cn", "circled"):
        chosen, expected = [], 1
        for start, end, written, raw, circled in markers:
            style = "circled" if circled else ("paren" if raw.isdigit() else "paren-cn")
            if style != kind:
                continue
            if _number(style, circled or raw) == (expected,):
                chosen.append((start, end, written))
                expected += 1
        if len(chosen) >= 2:
            break
    else:
        return
    unit.lines = [text[:chosen[0][0]]] if text[:chosen[0][0]].strip() else []
    for n, (start, end, written) in enumerate(chosen):
        stop = chosen[n + 1][0] if n + 1 < len(chosen) else len(text)
        child = Unit(kind, (n + 1,), written, lines=[text[end:stop]], parent=unit, inline=True)
        unit.children.append(child)


def _end_of_last_unit(units: list[Unit]) -> None:
    """The last unit stops where the closing provisions begin: a new paragraph starting with 本… or 附件."""
    leaves = [u for root in units for u in root.walk() if not u.children]
    if not leaves:
        return
    last = leaves[-1]
    for i in range(1, len(last.lines)):
        before, line = last.lines[i - 1].rstrip(), last.lines[i].strip()
        if before and before[-1] in _SENTENCE_END + "）)" and _CLOSING.match(line):
            del last.lines[i:]
            return


def parse(text: str) -> list[Unit]:
    """The top-level units of ``text``, each with its own lines and the units under it."""
    parser = _Parser()
    for line in _strip_front_matter(text.replace("\r\n", "\n").replace("\r", "\n")).split("\n"):
        if line.strip():
            parser.feed(line)
    _end_of_last_unit(parser.roots)
    for root in parser.roots:
        for unit in list(root.walk()):
            if unit.style == "article" and not unit.children:
                _split_inline(unit)
    return parser.roots


def preamble(text: str) -> str | None:
    """The sentence of purpose right before the first unit (为…，特制定…。), when there is one.

    >>> preamble("标题\\n为推动发展，\\n特制定本措施。\\n第一条 支持。")
    '为推动发展，特制定本措施。'
    """
    parser = _Parser()
    lines = []
    for line in _strip_front_matter(text.replace("\r\n", "\n")).split("\n"):
        if not line.strip():
            continue
        if any(parser.place(s, n, label) for s, n, label, _ in _candidates(line)):
            break
        lines.append(line.strip())
    for i in range(len(lines) - 1, -1, -1):
        if lines[i].startswith("为"):
            text = join_lines(lines[i:])
            return text if text.endswith("。") else None
    return None
