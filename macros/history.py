"""The public history of the published data: when each policy and measure was first published here, when it
last changed, and what changed (policy and measure pages, the Atom feeds, /data/measures/).

Dates come from git, with the machinery of ``make diff``: the first-parent history of the commit being built
(``main`` on the Pages workflow), limited to the commits that touched ``policies/`` (the registry of published
ids included) or ``schema/``. Each such commit's published data is materialised and loaded as make diff loads
a ref (macros.diff) and compared with the commit before it (macros.changes.compare, without the status lines,
which say what a change means on one day). Each line is dated by its commit's committer date: when it
reached main.

A commit, and the commit before it in that history, never change: each commit's lines are kept under its
hash in ``build/history/`` (build output), so a build loads only the commits it has not seen yet. Without git,
or in a shallow clone, there is no history: ``History.available`` is False, the pages say so, and no date is
invented.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
import os
import pathlib
import subprocess
import tempfile
import time

from .changes import Line, Side, compare
from .loader import ROOT
from .render import BEIJING

# What the history reads: its paths in the repository, and the code whose output is cached (a change of
# any of these files starts a new cache folder, so no line is ever told in an old wording).
PATHS = ("policies", "schema")
CODE = ("macros/history.py", "macros/changes.py", "macros/diff.py", "macros/loader.py", "macros/render.py",
        "calculator/fields.py", "schema/vocabulary.yaml")
CACHE = ROOT / "build" / "history"

NOT_AVAILABLE = {
    "no-git": {"zh": "本次构建没有 git 历史（未安装 git，或不是 git 仓库），因此无法给出首次收录和修改的日期。",
               "en": "This build had no git history (no git, or not a git repository), so no dates of publication "
                     "or change can be given."},
    "not-read": {"zh": "本次构建未读取历史记录。", "en": "This build did not read the history."},
    "shallow": {"zh": "本次构建使用的是浅克隆（只有最近的提交），因此无法给出首次收录和修改的日期。",
                "en": "This build was made from a shallow clone (only the latest commits), so no dates of publication "
                      "or change can be given."},
}


@dataclasses.dataclass
class Change:
    """One commit's lines about a policy or a measure."""

    commit: str
    timestamp: int  # seconds since the epoch (the commit's committer date)
    lines: list[Line]

    @property
    def when(self) -> datetime.datetime:
        return datetime.datetime.fromtimestamp(self.timestamp, datetime.UTC)

    @property
    def day(self) -> str:
        """The day in Beijing, as the pages show it."""
        return self.when.astimezone(BEIJING).date().isoformat()

    @property
    def stamp(self) -> str:
        """RFC 3339, in UTC (Atom, JSON)."""
        return self.when.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclasses.dataclass
class Record:
    """The history of one policy or measure, oldest change first; the first is its first publication."""

    changes: list[Change]

    @property
    def first(self) -> Change:
        return self.changes[0]

    @property
    def last(self) -> Change:
        return self.changes[-1]


@dataclasses.dataclass
class History:
    available: bool
    reason: dict | None = None  # {zh, en}: why there is no history
    policies: dict[str, Record] = dataclasses.field(default_factory=dict)
    measures: dict[str, Record] = dataclasses.field(default_factory=dict)  # "policy/measure"
    commits: int = 0  # commits read (that touched the published data)
    loaded: int = 0  # of which loaded by this build (not in the cache)
    seconds: float = 0.0  # what reading it cost

    def policy(self, pid: str) -> Record | None:
        return self.policies.get(pid)

    def measure(self, key: str) -> Record | None:
        return self.measures.get(key)


def unavailable(reason: str) -> History:
    return History(False, NOT_AVAILABLE[reason])


# ── git ──────────────────────────────────────────────────────────────────────────────────────────

class NoHistory(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _git(repo: pathlib.Path, *args: str) -> str:
    try:
        done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=False)
    except FileNotFoundError:
        raise NoHistory("no-git") from None
    if done.returncode != 0:
        raise NoHistory("no-git")
    return done.stdout.decode("utf-8")


def commits(repo: pathlib.Path) -> list[tuple[str, int]]:
    """(hash, committer time) of the first-parent commits of HEAD that touched PATHS, oldest first."""
    if _git(repo, "rev-parse", "--is-shallow-repository").strip() == "true":
        raise NoHistory("shallow")
    if not _git(repo, "rev-parse", "--verify", "--quiet", "HEAD^{commit}").strip():
        return []  # a repository without commits: nothing published yet
    out = _git(repo, "log", "--first-parent", "--reverse", "--format=%H %ct", "HEAD", "--", *PATHS)
    return [(h, int(t)) for h, t in (row.split() for row in out.splitlines() if row)]


def _side(repo: pathlib.Path, commit: str) -> Side:
    from .diff import load_side, materialise  # make diff's materialising and loading, unchanged
    with tempfile.TemporaryDirectory(prefix="history-") as tmp:
        materialise(repo, commit, pathlib.Path(tmp))
        return load_side(pathlib.Path(tmp))[0]


def _published(side: Side) -> dict[str, dict[str, str | None]]:
    """Policy id → measure id → its group, of one state."""
    return {pid: {m["id"]: m.get("group") for m in p.get("measures", []) if isinstance(m, dict) and "id" in m}
            for pid, p in side.policies.items()}


# ── the cache ────────────────────────────────────────────────────────────────────────────────────

def fingerprint(root: pathlib.Path = ROOT) -> str:
    digest = hashlib.sha256()
    for name in CODE:
        path = root / name
        digest.update(name.encode() + b"\0" + (path.read_bytes() if path.exists() else b"") + b"\0")
    return digest.hexdigest()[:16]


def _read(folder: pathlib.Path, commit: str, previous: str | None) -> dict | None:
    try:
        entry = json.loads((folder / f"{commit}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return entry if entry.get("previous") == previous else None


def _write(folder: pathlib.Path, entry: dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{entry['commit']}.json"
    tmp = target.with_suffix(f".{os.getpid()}.tmp")  # two builds at once never read half a file
    tmp.write_text(json.dumps(entry, ensure_ascii=False), encoding="utf-8")
    tmp.replace(target)


# ── the history ──────────────────────────────────────────────────────────────────────────────────

def entries(repo: pathlib.Path, cache: pathlib.Path | None) -> tuple[list[dict], int]:
    """Per commit, oldest first: its hash, time, published ids and lines against the commit before; and the
    number of commits loaded (not found in the cache)."""
    folder = cache / fingerprint() if cache else None
    out, loaded = [], 0
    previous, before = None, Side({}, {}, {})  # before the first commit: nothing published
    before_known = True  # whether ``before`` is loaded (it is not when the previous entry came from the cache)
    for commit, timestamp in commits(repo):
        entry = _read(folder, commit, previous) if folder else None
        if entry is None:
            if not before_known:
                before = _side(repo, previous)
            side = _side(repo, commit)
            loaded += 1
            entry = {"commit": commit, "time": timestamp, "previous": previous, "published": _published(side),
                     "lines": [dataclasses.asdict(line) for line in compare(before, side, statuses=False)]}
            if folder:
                _write(folder, entry)
            before, before_known = side, True
        else:
            before_known = False
        out.append(entry)
        previous = commit
    return out, loaded


def load(repo: pathlib.Path = ROOT, cache: pathlib.Path | None = CACHE) -> History:
    """The history of ``repo``'s HEAD; ``cache=None`` reads every commit again."""
    started = time.perf_counter()
    try:
        found, loaded = entries(repo, cache)
    except NoHistory as error:
        return unavailable(error.reason)
    history = History(True, commits=len(found), loaded=loaded)
    for entry in found:
        _add(history, entry)
    history.seconds = time.perf_counter() - started
    return history


def _add(history: History, entry: dict) -> None:
    lines = [Line(**line) for line in entry["lines"]]
    published = entry["published"]
    # A rename carries what was known of the old id (its first publication and its changes) to the new one.
    for line in lines:
        if line.previous and line.measure and line.previous in history.measures:
            history.measures.setdefault(f"{line.policy}/{line.measure}", history.measures.pop(line.previous))
        elif line.previous and not line.measure and line.previous in history.policies:
            history.policies.setdefault(line.policy, history.policies.pop(line.previous))
            for key in [k for k in history.measures if k.startswith(line.previous + "/")]:
                history.measures.setdefault(f"{line.policy}/{key.split('/', 1)[1]}", history.measures.pop(key))

    def note(record_map: dict, key: str, about: list[Line]):
        record = record_map.setdefault(key, Record([]))
        if not record.changes or about:  # the first publication is a change even when no line names it
            record.changes.append(Change(entry["commit"], entry["time"], about))

    for pid, measures in published.items():
        of_policy = [line for line in lines if line.policy == pid]
        if of_policy or pid not in history.policies:
            note(history.policies, pid, of_policy)
        for mid, group in measures.items():
            # A measure's history: its own lines, its group's (a shared cap), and its policy's own (its dates…).
            about = [line for line in of_policy if line.measure == mid or (
                line.measure is None and (line.group is None or line.group == group))]
            if about or f"{pid}/{mid}" not in history.measures:
                note(history.measures, f"{pid}/{mid}", about)
