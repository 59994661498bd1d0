"""The source texts a change touches, for a reviewer to confirm against the official publication.

Every quote of the data is checked against ``policies/sources/``, so a pull request that edits a source
text can make any quote "verbatim". Validation cannot tell an honest correction from a forged one: a
person must compare it with the official page. CI (``.github/workflows/ci.yml``) writes this report to the
job summary and marks each file with a warning on the pull request.

    python tools/source_changes.py BASE [--summary FILE]

Prints a warning line (GitHub's workflow command) per changed file and appends the Markdown report to
FILE (``$GITHUB_STEP_SUMMARY``), or prints it when no FILE is given. Standard library and git only.
"""

from __future__ import annotations

import argparse
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
SOURCES = "policies/sources/"
STATUS = {"A": "added", "M": "changed", "D": "deleted", "R": "renamed", "C": "copied", "T": "type changed"}
_REF = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/~^-]{0,200}")


def git(*args: str, repo: pathlib.Path = ROOT) -> str:
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=False, timeout=60)
    if done.returncode != 0:
        raise RuntimeError(done.stderr.decode("utf-8", "replace").strip().splitlines()[0] if done.stderr else "git failed")
    return done.stdout.decode("utf-8", "replace")


def changed_sources(base: str, repo: pathlib.Path = ROOT) -> list[dict]:
    """Each file under policies/sources/ that differs between ``base`` and HEAD: path, status, lines."""
    if not base:
        raise RuntimeError("no commit to compare with (the merge base is not in this clone)")
    if not _REF.fullmatch(base):
        raise RuntimeError(f"'{base}' is not a git revision")
    counts = {}
    for line in git("diff", "--numstat", "-z", "--no-renames", base, "HEAD", "--", SOURCES, repo=repo).split("\0"):
        parts = line.split("\t")
        if len(parts) == 3:
            counts[parts[2]] = (parts[0], parts[1])
    fields = git("diff", "--name-status", "-z", "--no-renames", base, "HEAD", "--", SOURCES, repo=repo).split("\0")
    out = []
    for status, path in zip(fields[0::2], fields[1::2]):
        added, removed = counts.get(path, ("?", "?"))
        out.append({"path": path, "status": STATUS.get(status[:1], status), "added": added, "removed": removed})
    return out


def _code(text: str) -> str:
    """A file name as Markdown code, whatever characters it holds."""
    text = "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text).replace("`", "'")
    return f"`{text}`"


def markdown(changes: list[dict], base: str) -> str:
    if not changes:
        return f"### Source texts\n\nNo file under `{SOURCES}` changed since `{base}`.\n"
    rows = "\n".join(f"| {_code(c['path'])} | {c['status']} | +{c['added']} −{c['removed']} |" for c in changes)
    return (f"### ⚠ Source texts changed: a reviewer must confirm them\n\n"
            f"This change edits {len(changes)} file(s) under `{SOURCES}`. Every quote is checked against these "
            "texts, so each edit must be compared with the official publication before merging.\n\n"
            f"| file | change | lines |\n|---|---|---|\n{rows}\n")


def annotations(changes: list[dict]) -> str:
    return "".join(f"::warning file={c['path'].replace(',', '%2C').replace(':', '%3A')}::Source text "
                   f"{c['status']}: confirm it against the official publication\n" for c in changes)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python tools/source_changes.py", description=__doc__.split("\n")[0])
    parser.add_argument("base", help="the commit to compare HEAD with (CI: the merge base)")
    parser.add_argument("--summary", type=pathlib.Path, help="append the Markdown report to this file")
    parser.add_argument("--repo", type=pathlib.Path, default=ROOT, help=argparse.SUPPRESS)  # the tests' repository
    args = parser.parse_args(argv)
    try:
        changes = changed_sources(args.base, args.repo)
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as err:
        report = f"### Source texts\n\nNot compared with `{args.base}`: {err}. Check `{SOURCES}` by hand.\n"
        changes = []
    else:
        report = markdown(changes, args.base)
    sys.stdout.write(annotations(changes))
    if args.summary:
        with args.summary.open("a", encoding="utf-8") as handle:
            handle.write(report)
    else:
        sys.stdout.write(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
