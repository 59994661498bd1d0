"""Links that never break: the committed registry of every published id.

``policies/registry/published.yaml`` lists every policy id and every
``policy/measure`` id that has ever been published, and the redirects of those
that moved. Published ids are permanent URLs (district offices link to them), so:

- an id that is published but no longer in the data must have a redirect to an
  id that exists;
- an id in the data but not yet in the registry is reported, so that the pull
  request that publishes it also records it (``python -m macros.registry --update``);
- no line of the registry is ever removed: ``check_history`` compares it with the
  registry of an earlier commit (``HEAD``, or ``$REGISTRY_BASE`` in CI: the merge base).

The registry comes from pull requests like the policies, and its redirects become
paths of the site: it is read by the same loader (no aliases, tags, huge files), and
every id must be an id (``policy`` or ``policy/measure``, ASCII), so a key such as
``../../../x`` is refused before anything is written.

These checks take the policies as an argument; this module never imports the validator.
"""

from __future__ import annotations

import os
import pathlib
import re
import subprocess
import sys

import yaml

from .loader import (
    POLICY_DIR,
    ROOT,
    Problem,
    field_name,
    parse_policy_text,
    read_text_file,
    relative,
    unsafe_file,
)

REGISTRY = POLICY_DIR / "registry" / "published.yaml"

HEADER = """\
# Every policy and measure id ever published on the site, and where moved ones went.
# Ids are permanent URLs: never delete a line. When an id is renamed or removed, add
# `old-id: new-id` under `redirects`. New ids: `python -m macros.registry --update`.
"""

_PART = r"[a-z0-9]+(?:-[a-z0-9]+)*"
ID = re.compile(rf"{_PART}(?:/{_PART})?")  # a policy, or policy/measure: nothing else may become a path
_GIT_REF = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/~^-]{0,200}")


class InvalidRegistry(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def current_ids(policies: list[dict]) -> list[str]:
    ids = []
    for policy in policies:
        ids.append(policy["id"])
        ids.extend(f"{policy['id']}/{m['id']}" for m in policy["measures"])
    return ids


def parse_registry(text: str, rel: str) -> tuple[dict, dict]:
    """The registry in ``text`` and the line of each id; raises InvalidRegistry with file:line problems."""
    doc = parse_policy_text(text, rel)
    if doc.problems:
        raise InvalidRegistry(doc.problems)
    data = {} if doc.data is None else doc.data
    problems = []

    def problem(path, message):
        problems.append(Problem(rel, doc.line_of(path), field_name(path), message))

    if not isinstance(data, dict):
        raise InvalidRegistry([Problem(rel, 1, "(document)", "the registry is a mapping: published, redirects")])
    for key in sorted(set(data) - {"published", "redirects"}):
        problem((key,), "unknown key (the registry has published and redirects)")
    published = [] if data.get("published") is None else data["published"]
    redirects = {} if data.get("redirects") is None else data["redirects"]
    if not isinstance(published, list):
        problem(("published",), "must be a list of ids, one `- id` per line")
        published = []
    if not isinstance(redirects, dict):
        problem(("redirects",), "must be a mapping of `old-id: new-id`")
        redirects = {}
    seen = set()
    for i, entry in enumerate(published):
        if not (isinstance(entry, str) and ID.fullmatch(entry)):
            problem(("published", i), f"{_shown(entry)} is not an id (policy or policy/measure, a-z 0-9 -)")
        elif entry in seen:
            problem(("published", i), f"'{entry}' is listed twice")
        seen.add(entry)
    for old, new in redirects.items():
        if not ID.fullmatch(old):
            problem(("redirects", old), f"{_shown(old)} is not an id (policy or policy/measure, a-z 0-9 -)")
        elif not (isinstance(new, str) and ID.fullmatch(new)):
            problem(("redirects", old), f"the target {_shown(new)} is not an id (policy or policy/measure)")
    if problems:
        raise InvalidRegistry(problems)
    lines = {entry: doc.line_of(("published", i)) for i, entry in enumerate(published)}
    lines.update({f"redirects.{old}": doc.line_of(("redirects", old)) for old in redirects})
    return {"published": published, "redirects": redirects}, lines


def _shown(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


def read_registry(path: pathlib.Path = REGISTRY) -> tuple[dict, dict]:
    """The registry and the line of each id (for file:line messages); raises InvalidRegistry."""
    rel = relative(path)
    refused = unsafe_file(path, pathlib.Path(path).parent)
    if refused:
        raise InvalidRegistry([Problem(rel, 1, "(file)", f"registry {refused}")])
    try:
        text = read_text_file(path)
    except ValueError as err:
        raise InvalidRegistry([Problem(rel, 1, "(file)", str(err))]) from None
    return parse_registry(text, rel)


def redirect_problems(registry: dict, lines: dict, now: set[str], rel: str) -> list[Problem]:
    """Each redirect moves a published id that no longer exists to one that does. A redirect from an
    id that still exists would overwrite its page; from an id never published, it invents an address."""
    problems = []
    for old, new in registry["redirects"].items():
        line, field = lines.get(f"redirects.{old}", 1), f"redirects.{old}"
        if old not in registry["published"]:
            problems.append(Problem(rel, line, field, f"'{old}' was never published: only a published id redirects"))
        elif old in now:
            problems.append(Problem(rel, line, field, f"'{old}' still exists: its redirect would replace its page"))
        elif new not in now:
            problems.append(Problem(rel, line, field, f"redirect target '{new}' does not exist"))
    return problems


def check_registry(policies: list[dict], path: pathlib.Path = REGISTRY) -> list[Problem]:
    rel = relative(path)
    if not path.exists():
        return [Problem(rel, 1, "(registry)", "registry missing: run `python -m macros.registry --update`")]
    try:
        registry, lines = read_registry(path)
    except InvalidRegistry as err:
        return err.problems
    now = set(current_ids(policies))
    problems = []
    for old in registry["published"]:
        if old not in now and old not in registry["redirects"]:
            problems.append(Problem(rel, lines.get(old, 1), "published", f"'{old}' was published but no longer exists: "
                                    "add a redirect `old: new` under `redirects`"))
    problems += redirect_problems(registry, lines, now, rel)
    for new in sorted(now - set(registry["published"])):
        problems.append(Problem(rel, 1, "published", f"'{new}' is not in the registry yet: "
                                "run `python -m macros.registry --update` and commit it"))
    return problems


def redirect_map(policies: list[dict] | None = None, path: pathlib.Path = REGISTRY) -> dict[str, str]:
    """Old id → new id, for the site's redirect pages; raises InvalidRegistry when the registry is not
    valid or, given the policies, when a redirect does not move a published id to an existing one."""
    if not path.exists():
        return {}
    registry, lines = read_registry(path)
    if policies is not None:
        problems = redirect_problems(registry, lines, set(current_ids(policies)), relative(path))
        if problems:
            raise InvalidRegistry(problems)
    return dict(registry["redirects"])


# ── the registry as it was: nothing published is ever removed ────────────────────────────────────

def registry_at(ref: str, path: pathlib.Path = REGISTRY, repo: pathlib.Path = ROOT) -> tuple[str | None, str]:
    """The registry's text at git revision ``ref``, or None and why it could not be read."""
    if not _GIT_REF.fullmatch(ref):
        return None, f"'{ref}' is not a git revision"
    try:
        rel = pathlib.Path(path).resolve().relative_to(pathlib.Path(repo).resolve()).as_posix()
    except ValueError:
        return None, f"{path} is not in the repository"
    try:
        done = subprocess.run(["git", "-C", str(repo), "show", f"{ref}:{rel}"], capture_output=True, timeout=60,
                              check=False)
    except (OSError, subprocess.TimeoutExpired) as err:
        return None, f"git is not available ({err.__class__.__name__})"
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        return None, f"no registry at {ref} ({reason[0] if reason else 'git failed'})"
    try:
        return done.stdout.decode("utf-8"), ""
    except UnicodeDecodeError:
        return None, f"the registry at {ref} is not UTF-8"


def history_problems(current: dict, lines: dict, previous: dict, ref: str, rel: str) -> list[Problem]:
    """Ids and redirects of the earlier registry that this one no longer has."""
    problems = []
    published = set(current["published"])
    for old in previous["published"]:
        if old not in published:
            problems.append(Problem(rel, 1, "published", f"'{old}' was in the registry at {ref} and has been removed: "
                                    "published ids are never removed (restore the line; add a redirect if it moved)"))
    for old, new in previous["redirects"].items():
        if old not in current["redirects"]:
            problems.append(Problem(rel, 1, "redirects", f"the redirect '{old}: {new}' of {ref} has been removed: "
                                    "a published address must keep leading somewhere"))
    return problems


def check_history(path: pathlib.Path = REGISTRY, ref: str | None = None,
                  repo: pathlib.Path = ROOT) -> tuple[list[Problem], str]:
    """Compare the registry with the one at ``ref`` (default ``$REGISTRY_BASE``, else ``HEAD``).

    Returns the problems and a line for the output: what was compared, or why the check was skipped
    (no git, a clone without that history, no registry then). A skipped check is not a failure.
    """
    ref = ref or os.environ.get("REGISTRY_BASE") or "HEAD"
    rel = relative(path)
    text, reason = registry_at(ref, path, repo)
    if text is None:
        return [], f"registry history check skipped: {reason}"
    try:
        previous, _ = parse_registry(text, f"{rel}@{ref}")
    except InvalidRegistry as err:
        return [], f"registry history check skipped: the registry at {ref} is not valid ({err.problems[0]})"
    try:
        current, lines = read_registry(path)
    except InvalidRegistry:
        return [], "registry history check skipped: the registry has problems of its own (reported)"
    return history_problems(current, lines, previous, ref, rel), f"registry compared with {ref}"


def update(policies: list[dict], path: pathlib.Path = REGISTRY) -> list[str]:
    """Append ids not yet registered; never removes one. Returns the ids added."""
    registry = read_registry(path)[0] if path.exists() else {"published": [], "redirects": {}}
    added = [i for i in current_ids(policies) if i not in registry["published"]]
    published = registry["published"] + added
    body = yaml.safe_dump({"published": published, "redirects": registry["redirects"]},
                          allow_unicode=True, sort_keys=False, default_flow_style=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER + body, encoding="utf-8")
    return added


def main(argv: list[str]) -> int:
    from .validate import InvalidPolicies, load_policies

    try:
        policies = load_policies()
    except InvalidPolicies as err:
        print(err, file=sys.stderr)
        return 1
    if "--update" in argv:
        try:
            added = update(policies)
        except InvalidRegistry as err:
            print(err, file=sys.stderr)
            return 1
        print(f"{len(added)} id(s) added to {relative(REGISTRY)}")
        return 0
    problems = check_registry(policies)
    history, note = check_history()
    for problem in problems + history:
        print(problem)
    print(note)
    return 1 if problems or history else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
