"""`make serve`: a change is rebuilt and served with a reload, a broken file keeps the last good site."""

from __future__ import annotations

import pathlib
import re
import subprocess
import sys

from bench.serve_bench import PAGE, POLICY, TEXT, ServedCopy
from macros.serve import changes, needs_new_process


def test_a_change_is_rebuilt_and_served_and_a_broken_file_keeps_the_last_good_site(tmp_path):
    with ServedCopy(tmp_path) as served:
        first = served.get(PAGE)
        assert TEXT in first
        # the reload script is added when serving; the published files and their CSP are as built
        assert f'<script src="/__live/reload.js?v={served.version}"></script></body>' in first
        assert "__live" not in (served.site / PAGE / "index.html").read_text(encoding="utf-8")
        csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', first).group(1)
        assert "script-src 'self'" in csp and "connect-src 'self'" in csp and "unsafe-inline" not in \
            csp.split("script-src")[1].split(";")[0]
        assert "EventSource" in served.get("__live/reload.js")

        served.edit(POLICY, TEXT, TEXT.replace(". Support", " (live edit). Support"))
        good = served.wait_for_version(served.version)
        assert "(live edit)" in served.get(PAGE)

        served.edit(POLICY, 'rate: "20%"', 'rate: "200%"')  # art-1's first benefit
        served.wait_for_output(r"^policies/ft-ai-2025\.yaml:\d+: measures\[0\]\.benefits\[0\]\.rate: '200%' is not "
                               r"a percentage")
        served.wait_for_output(r"build failed \(above\); the last good site is still served")
        assert "(live edit)" in served.get(PAGE) and served.versions.empty()

        served.edit(POLICY, 'rate: "200%"', 'rate: "20%"')
        served.wait_for_version(good)
        # what the preview keeps between builds changes nothing: its site is the one a fresh build makes
        fresh = tmp_path / "fresh"
        subprocess.run([sys.executable, "-m", "macros.build", str(fresh)], cwd=served.root, check=True,
                       capture_output=True)
        assert tree(served.site) == tree(fresh)

        served.edit("macros/pages.py", '"""', '"""Edited while serving: a new build process. ', )
        served.wait_for_output(r"^macros/pages\.py: built in")  # the build's code changed: a new process built it
        served.wait_for_version(served.version)
        assert "(live edit)" in served.get(PAGE)


def tree(folder: pathlib.Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_what_counts_as_a_change():
    assert changes({"a": (1, 1)}, {"a": (1, 2), "b": (1, 1)}) == ["a", "b"]
    assert needs_new_process(["macros/pages.py"]) and needs_new_process(["schema/vocabulary.yaml"])
    assert needs_new_process(["mkdocs.yml"]) and needs_new_process(["calculator/engine.py"])
    assert not needs_new_process(["policies/ft-ai-2025.yaml", "docs/index.md", "overrides/main.html"])
