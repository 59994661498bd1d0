"""The calculator inside Pyodide (npm ``pyodide`` under Node) gives exactly CPython's reports.

The checker folder is staged as the site ships it (macros.checker_assets.stage): the slim standard library
(macros.slim_stdlib), the wheel built by ``python -m build``, registered by ``pyodide lockfile add-wheels``,
loaded with ``loadPackage`` (sha256 checked), the data in parts; no micropip and no network. Every YAML rule
case and a few hundred random profiles, valid and not, are evaluated on both sides and compared as whole JSON
documents, and none of them needs a module the slim library left out.
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
from calculator.bundle import join_parts
from macros import checker_assets

HERE = pathlib.Path(__file__).parent
RUNNER = HERE / "pyodide" / "run_cases.mjs"
TODAY = "2026-06-30"  # every evaluation gets an explicit date, so both sides agree on "today"


def _node(stage: pathlib.Path, cases: list[dict], tmp: pathlib.Path, probe: str | None = None
          ) -> subprocess.CompletedProcess:
    if shutil.which("node") is None:
        pytest.fail("node is not installed: the Pyodide tests need Node 20 (see the Makefile)")
    path = tmp / "profiles.json"
    path.write_text(json.dumps(cases, ensure_ascii=False), encoding="utf-8")
    extra = []
    if probe is not None:
        (tmp / "probe.py").write_text(probe, encoding="utf-8")
        extra = [str(tmp / "probe.py")]
    return subprocess.run(["node", str(RUNNER), str(stage), str(path), *extra], check=False, capture_output=True,
                          text=True, timeout=300)


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
        names = whl.namelist()
    assert "calculator/session.py" in names
    assert not [n for n in names if "/data/" in n], "the data comes in parts, not in the wheel"
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
    for name in checker_assets.RUNTIME_FILES + ("profile-schema.json", checker_assets.SLIM_STDLIB):
        assert (stage / name).is_file(), name
    # The manifest the worker reads: this lockfile, and the index of the parts that make up the whole bundle.
    manifest = json.loads((stage / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["lock"] == lock
    index = json.loads((stage / manifest["index"]).read_text(encoding="utf-8"))
    parts = {name: json.loads((stage / "data" / file).read_text(encoding="utf-8")) for name, file in index["parts"].items()}
    assert set(parts) == {p["jurisdiction"] for p in bundle["policies"]}
    assert join_parts(index, parts) == json.loads(json.dumps(bundle))


def test_the_slim_standard_library(stage):
    """Bytecode only, far fewer files than the full library, and the fallback finder inside."""
    with zipfile.ZipFile(stage / checker_assets.SLIM_STDLIB) as slim, zipfile.ZipFile(stage / "python_stdlib.zip") as full:
        names, stock = slim.namelist(), full.namelist()
    assert names and all(n.endswith(".pyc") for n in names)
    assert "_full_stdlib.pyc" in names and "json/__init__.pyc" in names and "datetime.pyc" in names
    assert len(names) < len(stock) / 3
    assert not {n[:-1] for n in names} - set(stock) - {"_full_stdlib.py"}


def test_pyodide_matches_cpython(stage, calc, tmp_path):
    cases = [{"profile": case["profile"], "today": TODAY} for _, case in CASES]
    cases += [{"profile": p, "today": TODAY} for p in random_profiles(300, seed=20250630)]
    cases += [{"profile": p, "today": TODAY} for p in invalid_profiles()]
    done = _node(stage, cases, tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout)
    assert out["where"].startswith("/lib/python3.14/site-packages/calculator/"), out["where"]
    assert out["full_stdlib_used"] == [], "the slim standard library lacks what the calculator imports"
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



FALLBACK_PROBE = """
import json, _full_stdlib
before = list(_full_stdlib.used)
try:
    import _winapi  # not a module of this platform's library: must not fetch the full zip
except ImportError:
    pass
quiet = list(_full_stdlib.used)
import csv, email.mime.text  # left out of the slim library (the second inside a package it has)
rows = list(csv.reader(["a,b"]))
json.dumps({"before": before, "quiet": quiet, "used": list(_full_stdlib.used), "rows": rows,
            "mime": email.mime.text.MIMEText("x")["Content-Type"]})
"""


def test_a_module_left_out_comes_from_the_full_library(stage, tmp_path):
    with zipfile.ZipFile(stage / checker_assets.SLIM_STDLIB) as slim:
        assert "csv.pyc" not in slim.namelist() and "email/mime/text.pyc" not in slim.namelist()
    done = _node(stage, [], tmp_path, probe=FALLBACK_PROBE)
    assert done.returncode == 0, done.stderr[-3000:]
    probe = json.loads(json.loads(done.stdout)["probe"])
    assert probe["before"] == probe["quiet"] == []
    assert probe["used"][0] == "csv" and "email.mime" in probe["used"]  # its submodules then come with it
    assert probe["rows"] == [["a", "b"]] and probe["mime"].startswith("text/plain")
