"""The in-browser checker's files: self-hosted Pyodide, the calculator wheel, its lockfile, the form's schema.

``install(site_dir)`` fills ``site/pyodide/`` once for both languages; the checker pages reference it with
relative URLs, so the site works under any sub-path. ``stage(target)`` does the same into any folder (the
Node tests use it without building the site).

The wheel is built with the standard PyPA front end (``python -m build``) from a clean copy of the package,
without the data bundle, and registered with pyodide-build's ``pyodide lockfile add-wheels`` in a lockfile
that lists only what the site ships (the npm package ships no wheels). It sits in a folder named after its own
hash, so a browser never pairs a cached old wheel with a new lockfile's sha256. Both are kept in
``.cache/calculator-wheel/`` by what they are made of (``wheel_inputs_digest``), so a build whose calculator
code did not change does not build them again. The data comes in parts, one per
jurisdiction (``data/``, names hashed), so the checker fetches only the city's and the district's. Python's
standard library is the slim one of ``macros.slim_stdlib``. ``manifest.json``, which the worker fetches
afresh, holds the lockfile and names the data index: one build's calculator with that build's data.
"""

from __future__ import annotations

import hashlib
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import zipfile

from . import slim_stdlib
from .bundle import write_bundle, write_parts
from .loader import ROOT

PYODIDE_DIR = ROOT / "node_modules" / "pyodide"
CHECKER_SRC = ROOT / "checker"
PACKAGE = "bj-ai-policy-calculator"  # the name the worker passes to loadPackage
# What the runtime fetches: the ES module, the Emscripten glue, the WebAssembly and the standard library (the
# full one stays for the slim one's fallback).
RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip")
SLIM_STDLIB = "python_stdlib_slim.zip"  # the name worker.js asks for
CHECKER_FILES = ("checker.js", "checker.css", "worker.js")
# Fixed timestamps inside the wheel: the same sources give the same bytes, hence the same folder name.
SOURCE_DATE_EPOCH = "1735689600"


class CheckerBuildError(RuntimeError):
    pass


def pyodide_version() -> str:
    """The installed npm pyodide, which must be the exact version package.json pins."""
    pinned = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["dependencies"]["pyodide"]
    manifest = PYODIDE_DIR / "package.json"
    if not manifest.exists():
        raise CheckerBuildError("node_modules/pyodide is missing: run `make setup-node` (npm ci)")
    installed = json.loads(manifest.read_text(encoding="utf-8"))["version"]
    if installed != pinned:
        raise CheckerBuildError(f"node_modules/pyodide is {installed} but package.json pins {pinned}: run npm ci")
    return installed


def _run(cmd: list[str], **kwargs) -> None:
    done = subprocess.run(cmd, check=False, capture_output=True, text=True, **kwargs)
    if done.returncode != 0:
        raise CheckerBuildError(f"{' '.join(cmd[:4])} … failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")


def build_wheel(out_dir: pathlib.Path) -> pathlib.Path:
    """Build the calculator wheel into ``out_dir``: the code only, the data comes in parts."""
    with tempfile.TemporaryDirectory(prefix="calculator-wheel-") as tmp:
        src = pathlib.Path(tmp) / "src"
        # A clean copy: setuptools writes build/ and *.egg-info next to pyproject.toml, and build/ is the site's.
        src.mkdir()
        shutil.copy2(ROOT / "pyproject.toml", src / "pyproject.toml")
        shutil.copytree(ROOT / "calculator", src / "calculator",
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "data"))
        out_dir.mkdir(parents=True, exist_ok=True)
        # No isolation: setuptools is pinned in the venv, so no build environment is downloaded each time.
        _run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out_dir), str(src)],
             env={**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH})
    wheels = sorted(out_dir.glob(f"{PACKAGE.replace('-', '_')}-*.whl"))
    if len(wheels) != 1:
        raise CheckerBuildError(f"expected one calculator wheel in {out_dir}, found {[w.name for w in wheels]}")
    with zipfile.ZipFile(wheels[0]) as whl:
        if "calculator/session.py" not in whl.namelist() or any("/data/" in n for n in whl.namelist()):
            raise CheckerBuildError(f"the wheel should hold the calculator's code only: {whl.namelist()}")
    return wheels[0]


def _pyodide_cli() -> str:
    beside = pathlib.Path(sys.executable).parent / "pyodide"
    found = str(beside) if beside.exists() else shutil.which("pyodide")
    if not found:
        raise CheckerBuildError("the `pyodide` command (pyodide-build) is not installed: run `make setup-python`")
    return found


def make_lockfile(wheel: pathlib.Path, target: pathlib.Path) -> pathlib.Path:
    """``target/pyodide-lock.json``: the runtime's info and our wheel only, via ``pyodide lockfile add-wheels``.

    ``wheel`` must already be inside ``target``: its lockfile ``file_name`` is relative to it.
    """
    upstream = json.loads((PYODIDE_DIR / "pyodide-lock.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix="pyodide-lock-") as tmp:
        empty = pathlib.Path(tmp) / "input-lock.json"
        empty.write_text(json.dumps({"info": upstream["info"], "packages": {}}), encoding="utf-8")
        out = target / "pyodide-lock.json"
        try:
            _run([_pyodide_cli(), "lockfile", "add-wheels", "--input", str(empty), "--output", str(out),
                  "--base-path", str(target), str(wheel)])
        except CheckerBuildError as err:
            if "No module named 'pkginfo'" in str(err):
                raise CheckerBuildError("`pyodide lockfile add-wheels` needs the pkginfo package "
                                        "(pyodide-lock's [wheel] extra, which pyodide-build does not install): pip install pkginfo") from None
            raise
    lock = json.loads(out.read_text(encoding="utf-8"))
    entry = lock["packages"].get(PACKAGE)
    if entry is None or entry["imports"] != ["calculator"]:
        raise CheckerBuildError(f"{out.name} does not register {PACKAGE} importing `calculator`: {entry}")
    return out


WHEEL_CACHE = ROOT / ".cache" / "calculator-wheel"


def wheel_inputs_digest() -> str:
    """What the wheel and its lockfile are made of: the package's code and metadata, the runtime's version, and
    the tools that build and register it. Not the data: the wheel holds none."""
    from importlib.metadata import PackageNotFoundError, version

    digest = hashlib.sha256(f"{pyodide_version()}\0{SOURCE_DATE_EPOCH}".encode())
    for tool in ("build", "setuptools", "pyodide-build", "pyodide-lock"):
        try:
            digest.update(f"\0{tool}={version(tool)}".encode())
        except PackageNotFoundError:
            digest.update(f"\0{tool}=none".encode())
    # What build_wheel copies: every file of the package but caches and the data.
    sources = sorted(p for p in (ROOT / "calculator").rglob("*") if p.is_file() and p.suffix != ".pyc"
                     and not {"data", "__pycache__"} & set(p.relative_to(ROOT / "calculator").parts))
    for path in [ROOT / "pyproject.toml", *sources]:
        digest.update(path.relative_to(ROOT).as_posix().encode("utf-8") + b"\0" + path.read_bytes())
    return digest.hexdigest()[:20]


def wheel_and_lockfile(target: pathlib.Path, cache: pathlib.Path = WHEEL_CACHE) -> pathlib.Path:
    """The calculator wheel in ``target/wheels/<its hash>/`` and ``target/pyodide-lock.json`` registering it.

    Both are kept in ``cache`` by ``wheel_inputs_digest()``: the same code gives the same wheel (fixed
    timestamps) and the same lockfile, and building them costs two processes (about 1.2 s of a 7 s build).
    """
    kept = cache / wheel_inputs_digest()
    if not kept.exists():
        cache.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=".calculator-dist-", dir=cache.parent) as tmp:  # rename: one disk
            fresh = pathlib.Path(tmp) / "kept"
            built = build_wheel(pathlib.Path(tmp) / "dist")
            digest = hashlib.sha256(built.read_bytes()).hexdigest()[:16]
            (fresh / "wheels" / digest).mkdir(parents=True)
            make_lockfile(pathlib.Path(shutil.copy2(built, fresh / "wheels" / digest / built.name)), fresh)
            shutil.rmtree(cache, ignore_errors=True)  # one state kept
            cache.mkdir(parents=True)
            fresh.rename(kept)
    shutil.copytree(kept / "wheels", target / "wheels", dirs_exist_ok=True)
    return pathlib.Path(shutil.copy2(kept / "pyodide-lock.json", target / "pyodide-lock.json"))


def stage(target: pathlib.Path, policies: list[dict] | None = None) -> pathlib.Path:
    """Everything the checker fetches, into ``target`` (emptied first).

    ``policies``: the validated policies, when the caller has them (else they are loaded again). The whole
    bundle is written too, for the CLI (calculator/data/bundle.json).
    """
    pyodide_version()
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for name in RUNTIME_FILES:
        shutil.copy2(PYODIDE_DIR / name, target / name)
    lockfile = wheel_and_lockfile(target)
    bundle = json.loads(write_bundle(policies=policies).read_text(encoding="utf-8"))
    index = "data/" + write_parts(target / "data", bundle)
    slim = slim_stdlib.build(target, index.removeprefix("data/"))
    (target / slim).rename(target / SLIM_STDLIB)
    (target / "manifest.json").write_text(json.dumps(
        {"lock": json.loads(lockfile.read_text(encoding="utf-8")), "index": index}, ensure_ascii=False),
        encoding="utf-8")
    # The form is drawn from this before Python has loaded. Imported here: the site imports the calculator,
    # never the other way round.
    from calculator.profile import profile_schema

    from .checker_form import form_extras

    if policies is None:
        from .validate import load_policies
        policies = load_policies()
    form = profile_schema() | form_extras(policies)
    (target / "profile-schema.json").write_text(json.dumps(form, ensure_ascii=False, indent=1), encoding="utf-8")
    for name in CHECKER_FILES:
        shutil.copy2(CHECKER_SRC / name, target / name)
    return target


def install(site_dir: pathlib.Path, policies: list[dict] | None = None,
            cache: pathlib.Path | None = None) -> pathlib.Path:
    """Put the checker's files into ``site_dir/pyodide/`` (called by macros.build after MkDocs).

    With a ``cache`` folder (the live preview), they are staged there once per state of what goes into them
    (inputs_digest) and linked into the site, so that a change of a text does not rebuild the wheel.
    """
    target = pathlib.Path(site_dir) / "pyodide"
    if cache is None:
        return stage(target, policies)
    digest = inputs_digest(policies)
    kept = cache / digest
    if not kept.exists():
        shutil.rmtree(cache, ignore_errors=True)  # one state kept: the previous one is not coming back soon
        stage(cache / f".{digest}", policies)
        (cache / f".{digest}").rename(kept)
    else:
        write_bundle(policies=policies)  # the CLI's bundle, as stage() would have written it
    shutil.copytree(kept, target, copy_function=_link_or_copy)
    return target


def inputs_digest(policies: list[dict] | None = None) -> str:
    """What the checker's files are made of: the bundle, the calculator, the checker's scripts, the runtime."""
    from .bundle import make_bundle
    from .validate import load_policies

    bundle = make_bundle(policies if policies is not None else load_policies())
    digest = hashlib.sha256(json.dumps(bundle, ensure_ascii=False, sort_keys=True).encode("utf-8"))
    digest.update(wheel_inputs_digest().encode("utf-8"))  # the calculator, the runtime's version, the tools
    for path in [CHECKER_SRC / name for name in CHECKER_FILES]:
        digest.update(path.relative_to(ROOT).as_posix().encode("utf-8") + b"\0" + path.read_bytes())
    return digest.hexdigest()[:20]


def _link_or_copy(src: str, dst: str) -> str:
    try:
        os.link(src, dst)  # the files are never written in place: a new build makes new ones
    except OSError:
        shutil.copy2(src, dst)
    return dst


if __name__ == "__main__":
    print(stage(pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "site" / "pyodide"))
