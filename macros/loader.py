"""The one loader of policies/*.yaml, used by validation, the site and the data bundle.

Each file is read into plain JSON-compatible data (dates become ISO strings) and a
map from each value's path to its line, so that every problem can be reported as
``file:line: field: message``. Duplicate keys are errors, not silent overwrites.

>>> doc = parse_policy_text("id: x\\nmeasures:\\n  - id: art-1\\n", "x.yaml")
>>> doc.data["measures"][0]["id"], doc.line_of(("measures", 0, "id"))
('art-1', 3)
"""

from __future__ import annotations

import dataclasses
import datetime
import pathlib

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
POLICY_DIR = ROOT / "policies"
SCHEMA_DIR = ROOT / "schema"

Path = tuple  # of str keys and int indexes


@dataclasses.dataclass
class Problem:
    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


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
            if key in out:
                problems.append(Problem(rel, key_node.start_mark.line + 1, field_name(child),
                                        f"duplicate key '{key}' (first at line {lines[child]})"))
                continue
            out[key] = _walk(value_node, child, lines, problems, rel)
            lines[child] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_walk(item, path + (i,), lines, problems, rel) for i, item in enumerate(node.value)]
    try:
        return _scalar(node)
    except (ValueError, yaml.YAMLError):
        return node.value  # e.g. an impossible date: kept as text, reported by the checks


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


def parse_policy_text(text: str, rel: str) -> PolicyDocument:
    problems: list[Problem] = []
    lines: dict = {}
    if "\t" in text:
        for number, line in enumerate(text.splitlines(), 1):
            indent = line[: len(line) - len(line.lstrip())]
            if "\t" in indent:
                problems.append(Problem(rel, number, "(indentation)", "tab used for indentation; use spaces"))
                return PolicyDocument(rel, None, lines, problems)
    try:
        node = yaml.compose(text, Loader=_COMPOSER)
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
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def read_policy_file(path: pathlib.Path) -> PolicyDocument:
    return parse_policy_text(path.read_text(encoding="utf-8"), relative(path))


def policy_files(folder: pathlib.Path = POLICY_DIR) -> list[pathlib.Path]:
    return sorted(folder.glob("*.yaml"))


def load_vocabulary() -> dict:
    return yaml.safe_load((SCHEMA_DIR / "vocabulary.yaml").read_text(encoding="utf-8"))
