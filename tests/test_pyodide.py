"""The calculator inside Pyodide (npm ``pyodide`` under Node) gives exactly CPython's reports.

The checker folder is staged as the site ships it (macros.checker_assets.stage): the wheel built by
``python -m build``, registered by ``pyodide lockfile add-wheels``, loaded with ``loadPackage`` (sha256
checked), no micropip and no network. Every YAML rule case and a few hundred random profiles, valid and not,
are evaluated on both sides and compared as whole JSON documents.
"""

from __future__ import annotations

import hashlib
import json
import pathlib
import shutil
import subprocess
import zipfile

import pytest
from test_rule_cases import CASES

import calculator
from bench.profiles import random_profiles
from calculator import ProfileError
from macros import checker_assets

HERE = pathlib.Path(__file__).parent
RUNNER = HERE / "pyodide" / "run_cases.mjs"
TODAY = "2026-06-30"  # every evaluation gets an explicit date, so both sides agree on "today"


def _node(stage: pathlib.Path, cases: list[dict], tmp: pathlib.Path) -> subprocess.CompletedProcess:
    if shutil.which("node") is None:
        pytest.fail("node is not installed: the Pyodide tests need Node 20 (see the Makefile)")
    path = tmp / "profiles.json"
    path.write_text(json.dumps(cases, ensure_ascii=False), encoding="utf-8")
    return subprocess.run(["node", str(RUNNER), str(stage), str(path)], check=False, capture_output=True, text=True,
                          timeout=300)


@pytest.fixture(scope="session")
def stage(tmp_path_factory):
    return checker_assets.stage(tmp_path_factory.mktemp("checker") / "pyodide")


def invalid_profiles() -> list:
    return [
        {"district": "atlantis", "compute_spend": -1, "colour": "red"},
        {"compute_spend": 1.5, "as_of": "2026-02-30", "activities": ["flying"]},
        {"profile_version": 99, "ai_partner": "yes"},
        {"industry_code": 65, "entity_kinds": "enterprise", "as_of": "1999-12-31"},
        [1, 2, 3],
    ]


def test_wheel_and_lockfile(stage, bundle):
    lock = json.loads((stage / "pyodide-lock.json").read_text(encoding="utf-8"))
    upstream = json.loads((checker_assets.PYODIDE_DIR / "pyodide-lock.json").read_text(encoding="utf-8"))
    assert lock["info"] == upstream["info"]
    assert list(lock["packages"]) == [checker_assets.PACKAGE]  # nothing the site does not ship
    entry = lock["packages"][checker_assets.PACKAGE]
    wheel = stage / entry["file_name"]
    assert hashlib.sha256(wheel.read_bytes()).hexdigest() == entry["sha256"]
    assert entry["imports"] == ["calculator"] and entry["depends"] == []
    with zipfile.ZipFile(wheel) as whl:
        shipped = json.loads(whl.read("calculator/data/bundle.json"))
        names = whl.namelist()
    assert shipped == json.loads(json.dumps(bundle)), "the wheel's bundle is not the one made from policies/"
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
    for name in checker_assets.RUNTIME_FILES + ("profile-schema.json",):
        assert (stage / name).is_file(), name


def test_pyodide_matches_cpython(stage, calc, tmp_path):
    cases = [{"profile": case["profile"], "today": TODAY} for _, case in CASES]
    cases += [{"profile": p, "today": TODAY} for p in random_profiles(300, seed=20250630)]
    cases += [{"profile": p, "today": TODAY} for p in invalid_profiles()]
    done = _node(stage, cases, tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout)
    assert out["where"].startswith("/lib/python3.14/site-packages/calculator/"), out["where"]
    assert out["messages"][-1] == f"Loaded {checker_assets.PACKAGE}", out["messages"]
    assert len(out["results"]) == len(cases)
    kinds = {"report": 0, "errors": 0}
    for case, got in zip(cases, out["results"], strict=True):
        try:
            expected = {"report": json.loads(json.dumps(calc.evaluate(case["profile"], case["today"])))}
        except ProfileError as err:
            expected = {"errors": err.errors}
        assert got == expected, f"Pyodide and CPython differ for {case['profile']}"
        kinds[next(iter(expected))] += 1
    assert kinds["errors"] == len(invalid_profiles())
    # Not a vacuous comparison: the random profiles reach every status and real amounts.
    rows = [r for g in out["results"] if "report" in g for r in g["report"]["results"]]
    assert {r["status"] for r in rows} == set(calculator.STATUSES)
    assert sum(1 for r in rows if r["max_amount"]) > 100
    print(f"\nPyodide under Node: boot {out['boot_ms']} ms, wheel {out['load_ms']} ms, "
          f"{len(cases)} evaluations {out['eval_ms']} ms")

