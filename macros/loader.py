"""The one loader of policies/*.yaml, used by validation, the site and the data bundle.

Each file is read into plain JSON-compatible data (dates become ISO strings) and a
map from each value's path to its line, so that every problem can be reported as
``file:line: field: message``. Duplicate keys are errors, not silent overwrites.

Policy files come from pull requests, so nothing in one is trusted: a file is read
only when it is a regular file inside its folder (no symbolic link) and within
``MAX_FILE_BYTES``; its YAML events are scanned before anything is built, and
anchors, aliases and tags (never needed, and the way to a YAML bomb), nesting
deeper than ``MAX_DEPTH``, more than ``MAX_NODES`` nodes, numbers of more than
``MAX_DIGITS`` digits, non-finite numbers and invisible or direction-changing
characters are each refused with one message. SECURITY.md lists these limits.

>>> doc = parse_policy_text("id: x\\nmeasures:\\n  - id: art-1\\n", "x.yaml")
>>> doc.data["measures"][0]["id"], doc.line_of(("measures", 0, "id"))
('art-1', 3)
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import math
import pathlib
import re
import unicodedata

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
POLICY_DIR = ROOT / "policies"
SCHEMA_DIR = ROOT / "schema"

Path = tuple  # of str keys and int indexes

# Limits for files from pull requests (documented in policies/README.md and SECURITY.md). The largest
# policy file is about 80 KB, 3,200 YAML nodes and 9 levels deep; each limit leaves ample room.
MAX_FILE_BYTES = 1_000_000
MAX_NODES = 100_000
MAX_DEPTH = 20
MAX_DIGITS = 15  # the largest plausible amount, 10,000,000,000 yuan, has 11

# Characters that do not show, or change how the text around them shows, in an editor, a diff and the
# site: C0 and C1 controls (NUL, ESC…; tab, line feed and carriage return are white space), direction
# marks, embeddings, overrides and isolates (U+202E…), and the Unicode line and paragraph separators.
FORBIDDEN_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f"
                                  "\u2028-\u202e\u2066-\u2069]")


@dataclasses.dataclass
class Problem:
    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return terminal_safe(f"{self.file}:{self.line}: {self.field}: {self.message}")


def terminal_safe(text: str) -> str:
    r"""Text as a terminal may print it: control, format and separator characters escaped (a key written
    "\e[2J" in a pull request would otherwise clear CI's log, U+202E reverse the line).

    >>> terminal_safe("a\x1b[2Jb\u202ec 条款")
    'a\\x1b[2Jb\\u202ec 条款'
    """
    return "".join(c.encode("unicode_escape").decode("ascii") if unicodedata.category(c) in _UNSAFE else c
                   for c in text)


_UNSAFE = {"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"}  # controls, format (bidi), separators, no character


@dataclasses.dataclass
class PolicyDocument:
    path: str
    data: object
    lines: dict  # Path -> line (1-based)
    problems: list

    def line_of(self, path: Path) -> int:
        """The line of ``path``, or of its nearest ancestor that has one."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return 1


def field_name(path: Path) -> str:
    """``("measures", 3, "text", "zh")`` → ``measures[3].text.zh``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(document)"


def _plain(value):
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


def _walk(node, path, lines, problems, rel):
    """Build data from a composed node, recording lines and duplicate keys."""
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node)
            if not isinstance(key, str):
                key = str(key)
            child = path + (key,)
            _check_characters(key, key_node, child, problems, rel)
            if key in out:
                problems.append(Problem(rel, key_node.start_mark.line + 1, field_name(child),
                                        f"duplicate key '{key}' (first at line {lines[child]})"))
                continue
            out[key] = _walk(value_node, child, lines, problems, rel)
            lines[child] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_walk(item, path + (i,), lines, problems, rel) for i, item in enumerate(node.value)]
    if node.tag == _INT_TAG and len(node.value.lstrip("+-").replace("_", "")) > MAX_DIGITS:
        problems.append(Problem(rel, node.start_mark.line + 1, field_name(path),
                                f"a number of {len(node.value)} digits is too large (at most {MAX_DIGITS} digits)"))
        return None
    try:
        value = _scalar(node)
    except (ValueError, yaml.YAMLError):
        return node.value  # e.g. an impossible date: kept as text, reported by the checks
    if isinstance(value, float) and not math.isfinite(value):
        problems.append(Problem(rel, node.start_mark.line + 1, field_name(path),
                                f"'{node.value}' is not a finite number"))
    if isinstance(value, str):
        _check_characters(value, node, path, problems, rel)
    return value


_INT_TAG = "tag:yaml.org,2002:int"


def character_name(ch: str) -> str:
    """``U+202E RIGHT-TO-LEFT OVERRIDE``; controls have no Unicode name, only their code."""
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X}" + (f" {name}" if name else " (a control character)")


def _check_characters(text: str, node, path, problems, rel):
    found = FORBIDDEN_CHARACTERS.search(text)
    if found:
        problems.append(Problem(rel, node.start_mark.line + 1, field_name(path),
                                f"{character_name(found.group())} is not allowed: it does not show, or changes "
                                "how the text around it shows"))


_CONSTRUCTOR = yaml.SafeLoader("")
# libyaml's composer is about ten times faster and keeps the same marks (lines).
_COMPOSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _scalar(node):
    return _plain(_CONSTRUCTOR.construct_object(node, deep=True))


def _python_error(text: str, fallback: yaml.YAMLError) -> yaml.YAMLError:
    try:
        yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as err:
        return err
    return fallback  # libyaml is stricter here: its own message then


def _character_problems(text: str, rel: str) -> list[Problem]:
    """Forbidden characters anywhere in the file, comments included: a reviewer reads the raw file."""
    problems = []
    for found in FORBIDDEN_CHARACTERS.finditer(text):
        line = text.count("\n", 0, found.start()) + 1
        if not problems or problems[-1].line != line:
            problems.append(Problem(rel, line, "(text)", f"{character_name(found.group())} is not allowed: "
                                    "it does not show, or changes how the text around it shows"))
    return problems[:10]


class _Refused(Exception):
    def __init__(self, line: int, path: Path, message: str):
        super().__init__(message)
        self.line, self.path, self.message = line, path, message


def _event_path(stack: list) -> Path:
    """The path of the node an event starts, from the scan's stack of open collections."""
    path = []
    for entry in stack:
        if entry[0] == "seq" or entry[1] is not None:  # an item, or the value of a known key
            path.append(entry[1])
    return tuple(path)


def _scan_events(text: str) -> None:
    """Refuse, before anything is built, what a policy file never needs and what could exhaust memory:
    anchors, aliases, tags, nesting deeper than MAX_DEPTH and more than MAX_NODES nodes.

    The scan streams libyaml's events and stops at the first refusal, so an alias bomb or a file nested
    a hundred thousand levels deep costs microseconds (libyaml alone takes minutes over the latter).
    Raises ``_Refused`` or the parser's own ``yaml.YAMLError``.
    """
    stack: list = []  # ["map", key or None, expecting a key] | ["seq", index]
    nodes = 0
    for event in yaml.parse(text, Loader=_COMPOSER):
        kind = event.__class__
        if kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            stack.pop()
            _node_done(stack)
            continue
        if not isinstance(event, yaml.NodeEvent):
            continue
        nodes += 1
        if nodes > MAX_NODES:
            raise _refusal(event, stack, f"more than {MAX_NODES:,} YAML nodes: not a policy file")
        if kind is yaml.AliasEvent or event.anchor is not None:
            raise _refusal(event, stack, "YAML anchors and aliases (&name, *name) are not allowed in policy files: "
                           "write each value out")
        if event.tag is not None:
            raise _refusal(event, stack, f"the YAML tag '{event.tag}' is not allowed in policy files: "
                           "write the plain value")
        is_key = bool(stack) and stack[-1][0] == "map" and stack[-1][2]
        if kind is yaml.ScalarEvent:
            if is_key:
                stack[-1][1], stack[-1][2] = event.value, False
            else:
                _node_done(stack)
            continue
        if len(stack) >= MAX_DEPTH:
            raise _refusal(event, stack, f"nested deeper than {MAX_DEPTH} levels: not a policy file")
        if is_key:
            stack[-1][1], stack[-1][2] = "?", False  # a complex key: the schema reports it
        stack.append(["map", None, True] if kind is yaml.MappingStartEvent else ["seq", 0])


def _refusal(event, stack: list, message: str) -> _Refused:
    """The refusal of the node ``event`` starts, with its line and path (worked out only when refused)."""
    return _Refused(event.start_mark.line + 1, _event_path(stack), message)


def _node_done(stack: list) -> None:
    """A value is complete: its mapping expects a key next, its sequence the next item."""
    if not stack:
        return
    top = stack[-1]
    if top[0] == "seq":
        top[1] += 1
    elif not top[2]:
        top[1], top[2] = None, True


def parse_policy_text(text: str, rel: str) -> PolicyDocument:
    lines: dict = {}
    problems = _character_problems(text, rel)
    if problems:
        return PolicyDocument(rel, None, lines, problems)
    if "\t" in text:
        for number, line in enumerate(text.splitlines(), 1):
            indent = line[: len(line) - len(line.lstrip())]
            if "\t" in indent:
                problems.append(Problem(rel, number, "(indentation)", "tab used for indentation; use spaces"))
                return PolicyDocument(rel, None, lines, problems)
    try:
        _scan_events(text)
        node = yaml.compose(text, Loader=_COMPOSER)
    except _Refused as refused:
        problems.append(Problem(rel, refused.line, field_name(refused.path), refused.message))
        return PolicyDocument(rel, None, lines, problems)
    except yaml.YAMLError as c_err:
        err = _python_error(text, c_err)  # the pure-Python parser says what it expected, and what it got
        mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
        line = mark.line + 1 if mark else 1
        reason = getattr(err, "problem", None) or str(err).splitlines()[0]
        problems.append(Problem(rel, line, "(syntax)", f"YAML syntax error: {reason}"))
        return PolicyDocument(rel, None, lines, problems)
    data = _walk(node, (), lines, problems, rel) if node is not None else None
    return PolicyDocument(rel, data, lines, problems)


def relative(path: pathlib.Path) -> str:
    """The path from the repository root; a symbolic link is named, not followed."""
    path = pathlib.Path(path)
    try:
        return str((path.parent.resolve() / path.name).relative_to(ROOT))
    except ValueError:
        return str(path)


def unsafe_file(path: pathlib.Path, inside: pathlib.Path, limit: int = MAX_FILE_BYTES) -> str | None:
    """Why ``path`` must not be read, or None: it must be a regular file, not a symbolic link, within
    ``inside`` once every link on the way is resolved, and at most ``limit`` bytes. A pull request could
    otherwise have validation read /proc/self/environ, a device that never ends, or 50 MB."""
    path = pathlib.Path(path)
    if path.is_symlink():
        return "is a symbolic link; commit the file itself"
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return "not found"
    if not real.is_relative_to(pathlib.Path(inside).resolve()):
        return f"lies outside {pathlib.Path(inside).name}/ once links are resolved"
    if not real.is_file():
        return "is not a regular file"
    size = real.stat().st_size
    if size > limit:
        return f"is {size:,} bytes, more than the limit of {limit:,}"
    return None


def read_text_file(path: pathlib.Path) -> str:
    """UTF-8 text; a file that is not UTF-8 raises ValueError saying where."""
    data = pathlib.Path(path).read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise ValueError(f"not UTF-8 text (line {line}, byte {err.start}); save it as UTF-8") from None


def read_policy_file(path: pathlib.Path, folder: pathlib.Path | None = None) -> PolicyDocument:
    rel = relative(path)
    refused = unsafe_file(path, folder or pathlib.Path(path).parent)
    if refused:
        return PolicyDocument(rel, None, {}, [Problem(rel, 1, "(file)", f"policy file {refused}")])
    try:
        text = read_text_file(path)
    except ValueError as err:
        line = int(re.search(r"line (\d+)", str(err)).group(1))
        return PolicyDocument(rel, None, {}, [Problem(rel, line, "(file)", str(err))])
    return parse_policy_text(text, rel)


def policy_files(folder: pathlib.Path = POLICY_DIR) -> list[pathlib.Path]:
    return sorted(folder.glob("*.yaml"))


def misnamed_policy_files(folder: pathlib.Path = POLICY_DIR) -> list[Problem]:
    """Files that look like policies but would be skipped (``x.yml``, ``x.YAML``): reported, never ignored."""
    return [Problem(relative(path), 1, "(file)", "policy files end in '.yaml'; this one would be ignored: "
                    f"rename it to {path.stem}.yaml")
            for path in sorted(pathlib.Path(folder).iterdir())
            if path.suffix.lower() in (".yml", ".yaml") and path.suffix != ".yaml"]


class InvalidVocabulary(ValueError):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def load_industries() -> dict:
    """schema/industries.yaml (GB/T 4754—2017's sections and major groups), read like the vocabulary."""
    return load_vocabulary(SCHEMA_DIR / "industries.yaml")


@functools.cache
def industry_names() -> dict[str, dict]:
    """Each major group's two-digit code → its names: ``{"65": {"zh": "软件和信息技术服务业", "en": ...}}``.

    Read once per process; callers must not change it."""
    return {g["code"]: {"zh": g["zh"], "en": g["en"]}
            for section in load_industries()["sections"] for g in section["groups"]}


def load_vocabulary(path: pathlib.Path | None = None) -> dict:
    """schema/vocabulary.yaml, read like a policy file (pull requests add to it): raises InvalidVocabulary."""
    path = path or SCHEMA_DIR / "vocabulary.yaml"
    rel = relative(path)
    refused = unsafe_file(path, pathlib.Path(path).parent)
    if refused:
        raise InvalidVocabulary([Problem(rel, 1, "(file)", f"vocabulary {refused}")])
    try:
        doc = parse_policy_text(read_text_file(path), rel)
    except ValueError as err:
        raise InvalidVocabulary([Problem(rel, 1, "(file)", str(err))]) from None
    if doc.problems or not isinstance(doc.data, dict):
        raise InvalidVocabulary(doc.problems or [Problem(rel, 1, "(document)", "the vocabulary is a mapping")])
    return doc.data
