"""Links that never break: every published id exists, or redirects to one that does."""

from __future__ import annotations

import copy

from macros.registry import REGISTRY, check_registry, current_ids, read_registry, update


def test_the_committed_registry_matches_the_data(policies):
    assert [str(p) for p in check_registry(policies)] == []


def test_a_removed_measure_without_a_redirect_is_reported(policies, tmp_path):
    registry = tmp_path / "published.yaml"
    registry.write_text(REGISTRY.read_text(encoding="utf-8"), encoding="utf-8")
    changed = copy.deepcopy(policies)
    gone = changed[0]["measures"].pop()
    problems = [str(p) for p in check_registry(changed, registry)]
    missing = f"{changed[0]['id']}/{gone['id']}"
    assert len(problems) == 1 and f"'{missing}' was published but no longer exists" in problems[0]
    assert problems[0].split(":")[1].isdigit()  # file:line: names the registry line


def test_a_renamed_measure_with_a_redirect_passes_and_a_bad_target_fails(policies, tmp_path):
    registry = tmp_path / "published.yaml"
    changed = copy.deepcopy(policies)
    update(policies, registry)
    policy, measure = changed[0], changed[0]["measures"][0]
    old = f"{policy['id']}/{measure['id']}"
    measure["id"] = "renamed-1"
    update(changed, registry)  # registers the new id, keeps the old one
    text = registry.read_text(encoding="utf-8").replace("redirects: {}", f"redirects:\n  {old}: {policy['id']}/renamed-1")
    registry.write_text(text, encoding="utf-8")
    assert check_registry(changed, registry) == []
    registry.write_text(text.replace(f"{policy['id']}/renamed-1", f"{policy['id']}/nowhere"), encoding="utf-8")
    assert "redirect target" in str(check_registry(changed, registry)[0])


def test_update_never_removes_an_id(policies, tmp_path):
    registry = tmp_path / "published.yaml"
    update(policies, registry)
    update(policies[1:], registry)
    assert read_registry(registry)[0]["published"] == current_ids(policies)
