"""The checker's slim standard library: only the modules Pyodide's start-up and the calculator import.

Pyodide's ``python_stdlib.zip`` holds 614 files (2.5 MB compressed); the checker imports about a quarter of
them. ``build(stage)`` boots Pyodide under Node on the full library (slim_stdlib.mjs), loads the calculator
as the checker's worker does, answers a profile for every answer of every question, and zips the modules that
were imported, compiled to bytecode by that same interpreter (unchecked hash-based ``.pyc``, so start-up
compiles nothing). The worker passes it as ``stdLibURL``; ``checker/full_stdlib.py``, inside it, imports
anything left out from the full zip, which stays beside it. tests/test_pyodide.py boots it and runs every rule
case. The result is cached in ``.cache/`` by everything it depends on (Node's boot costs seconds).
"""

from __future__ import annotations

import hashlib
import json
import pathlib
import shutil
import subprocess
import tempfile

from .loader import ROOT

SCRIPT = pathlib.Path(__file__).with_name("slim_stdlib.mjs")
FALLBACK = ROOT / "checker" / "full_stdlib.py"
CACHE = ROOT / ".cache" / "slim-stdlib"


class SlimStdlibError(RuntimeError):
    pass


def workload() -> list[str]:
    """Profiles (JSON text) that together give every question each kind of answer, and a few wrong ones."""
    from calculator.fields import FIELDS

    day = {"as_of": "2026-06-30"}
    answers = {"date": ["2024-01-01", "2030-12-31"], "bool": [True, False], "code": ["65", "13"],
               "yuan": [0, 1_234_567, 10**12], "count": [0, 3]}
    profiles: list[dict] = [{}, day]
    whole = dict(day)
    for field in FIELDS:
        kind = field["type"]
        values = answers.get(kind) or [v["id"] for v in field["values"]]
        if kind == "set":
            values = [[v] for v in values] + [[], values]
        profiles += [day | {field["id"]: v} for v in values]
        whole[field["id"]] = values[-1]
    profiles += [whole | {"district": d} for d in ("fengtai", "tongzhou", "haidian")]
    texts = [json.dumps(p, ensure_ascii=False) for p in profiles]
    return texts + ["[]", "not json", json.dumps({"district": "atlantis", "compute_spend": -1, "colour": "red"})]


def build(stage: pathlib.Path, index_name: str) -> str:
    """Write the slim zip into ``stage`` (the staged checker folder); returns its file name."""
    lock = json.loads((stage / "pyodide-lock.json").read_text(encoding="utf-8"))
    work = {"index": index_name, "profiles": workload(), "fallback": FALLBACK.read_text(encoding="utf-8")}
    key = hashlib.sha256(json.dumps([lock, work, SCRIPT.read_text(encoding="utf-8"),
                                     hashlib.sha256((stage / "python_stdlib.zip").read_bytes()).hexdigest()],
                                    sort_keys=True).encode()).hexdigest()[:16]
    cached = CACHE / f"{key}.zip"
    if not cached.exists():
        if shutil.which("node") is None:
            raise SlimStdlibError("node is not installed: the checker's standard library is traced under Node")
        CACHE.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="slim-stdlib-") as tmp:
            work_file, out = pathlib.Path(tmp) / "work.json", pathlib.Path(tmp) / "slim.zip"
            work_file.write_text(json.dumps(work, ensure_ascii=False), encoding="utf-8")
            done = subprocess.run(["node", str(SCRIPT), str(stage), str(work_file), str(out)], check=False,
                                  capture_output=True, text=True, timeout=600)
            if done.returncode != 0:
                raise SlimStdlibError(f"tracing the standard library failed:\n{done.stderr[-3000:]}")
            shutil.move(out, cached)
    data = cached.read_bytes()
    name = f"python_stdlib_slim.{hashlib.sha256(data).hexdigest()[:16]}.zip"
    (stage / name).write_bytes(data)
    return name
