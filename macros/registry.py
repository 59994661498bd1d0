"""Links that never break: the committed registry of every published id.

``policies/registry/published.yaml`` lists every policy id and every
``policy/measure`` id that has ever been published, and the redirects of those
that moved. Published ids are permanent URLs (district offices link to them), so:

- an id that is published but no longer in the data must have a redirect to an
  id that exists;
- an id in the data but not yet in the registry is reported, so that the pull
  request that publishes it also records it (``python -m macros.registry --update``).
"""

from __future__ import annotations

import pathlib
import sys

import yaml

from .loader import POLICY_DIR, Problem, relative

REGISTRY = POLICY_DIR / "registry" / "published.yaml"

HEADER = """\
# Every policy and measure id ever published on the site, and where moved ones went.
# Ids are permanent URLs: never delete a line. When an id is renamed or removed, add
# `old-id: new-id` under `redirects`. New ids: `python -m macros.registry --update`.
"""


def current_ids(policies: list[dict]) -> list[str]:
    ids = []
    for policy in policies:
        ids.append(policy["id"])
        ids.extend(f"{policy['id']}/{m['id']}" for m in policy["measures"])
    return ids


def read_registry(path: pathlib.Path = REGISTRY) -> tuple[dict, dict]:
    """The registry and the line of each id (for file:line messages)."""
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text) or {}
    lines = {}
    for number, line in enumerate(text.splitlines(), 1):
        key = line.strip().lstrip("- ").split(":")[0].strip()
        lines.setdefault(key, number)
    return {"published": data.get("published") or [], "redirects": data.get("redirects") or {}}, lines


def check_registry(policies: list[dict], path: pathlib.Path = REGISTRY) -> list[Problem]:
    rel = relative(path)
    if not path.exists():
        return [Problem(rel, 1, "(registry)", "registry missing: run `python -m macros.registry --update`")]
    registry, lines = read_registry(path)
    now = set(current_ids(policies))
    problems = []
    for old in registry["published"]:
        if old in now:
            continue
        target = registry["redirects"].get(old)
        if target is None:
            problems.append(Problem(rel, lines.get(old, 1), "published", f"'{old}' was published but no longer exists: "
                                    "add a redirect `old: new` under `redirects`"))
        elif target not in now:
            problems.append(Problem(rel, lines.get(old, 1), f"redirects.{old}",
                                    f"redirect target '{target}' does not exist"))
    for new in sorted(now - set(registry["published"])):
        problems.append(Problem(rel, 1, "published", f"'{new}' is not in the registry yet: "
                                "run `python -m macros.registry --update` and commit it"))
    return problems


def redirect_map(path: pathlib.Path = REGISTRY) -> dict[str, str]:
    """Old id → new id, for the site's redirect pages."""
    return dict(read_registry(path)[0]["redirects"]) if path.exists() else {}


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
        added = update(policies)
        print(f"{len(added)} id(s) added to {relative(REGISTRY)}")
        return 0
    problems = check_registry(policies)
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
