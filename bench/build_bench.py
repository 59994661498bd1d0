"""Site build benchmarks: our build against a plain MkDocs Material build, and scaling.

Each build runs in a fresh subprocess, so that its peak memory (ru_maxrss) is its own.
``python -m bench.build_bench real SCALE SITE_DIR`` and ``... plain PAGES SITE_DIR``
are the two children; ``run()`` drives them.
"""

from __future__ import annotations

import copy
import itertools
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent


def scaled_policies(policies: list[dict], scale: int) -> list[dict]:
    """``scale`` copies of every policy, ids suffixed (-x2, -x3, …), references kept inside each copy."""
    out = []
    for n in range(1, scale + 1):
        suffix = "" if n == 1 else f"-x{n}"
        for policy in policies:
            twin = copy.deepcopy(policy)
            twin["id"] = policy["id"] + suffix
            for measure in twin["measures"]:
                for ref in measure.get("references", []):
                    if "/" in ref["measure"]:  # another policy's measure: the same copy of it
                        target, _, rest = ref["measure"].partition("/")
                        ref["measure"] = f"{target}{suffix}/{rest}"
            out.append(twin)
    return out


def spread_policies(policies: list[dict], scale: int) -> list[dict]:
    """``scaled_policies`` as the data would grow for the checker: the copies belong to new jurisdictions (a
    district's copies to the districts without policies, then to other cities; the city's to other cities), so
    a district already covered keeps its own.

    The engine treats a jurisdiction other than the city as a district: a profile in another district never
    sees it.
    """
    from calculator.fields import DISTRICTS

    covered = {p["jurisdiction"] for p in policies}
    cities = (f"city-{n}" for n in itertools.count(2))
    districts = itertools.chain((d for d, _, _ in DISTRICTS if d not in covered), cities)
    copies: dict[tuple, str] = {}  # (original jurisdiction, copy number) → the copy's jurisdiction
    out = scaled_policies(policies, scale)
    for twin in out:
        if "-x" in twin["id"]:
            key = (twin["jurisdiction"], twin["id"].rpartition("-x")[2])
            twin["jurisdiction"] = copies.get(key) or copies.setdefault(
                key, next(cities if twin["jurisdiction"] == "beijing" else districts))
    return out


def _child_real(scale: int, site_dir: pathlib.Path) -> dict:
    from macros import history as public_history
    from macros.build import build
    from macros.validate import load_policies

    policies = scaled_policies(load_policies(), scale)
    # The public history is read from git before the clock starts: it does not grow with the pages, and the
    # history benchmark times it on its own (cold in a fresh clone, one new commit, warm). Timed inside the
    # first build, its cold cache (about 2 s of 13 commits) was counted in the ×1 build, not in the ×50.
    started = time.perf_counter()
    history = public_history.load()
    history_seconds = time.perf_counter() - started
    started = time.perf_counter()
    build(site_dir, policies=policies, history=history)
    seconds = time.perf_counter() - started
    pages = sum(1 for _ in (ROOT / "build" / "docs").rglob("*.md"))
    return {"seconds": seconds, "pages": pages, "measures": sum(len(p["measures"]) for p in policies),
            "history_seconds": history_seconds}


def _child_plain(pages: int, site_dir: pathlib.Path) -> dict:
    """The same number of Markdown pages (half Chinese, half English), same theme and plugins, no YAML."""
    import yaml
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    with tempfile.TemporaryDirectory() as tmp:
        docs = pathlib.Path(tmp) / "docs"
        paragraph = ("对符合条件的企业，按不超过实际投入的20%给予支持，单个企业每年最高200万元。\n\n"
                     "Eligible companies receive up to 20% of the actual spend, at most 2,000,000 yuan a year.\n\n")
        for i in range(pages // 2):
            folder = docs / "p" / f"page-{i}"
            folder.mkdir(parents=True)
            body = f"# 第{i}页\n\n" + paragraph * 12 + "| a | b |\n|---|---|\n| 1 | 2 |\n"
            (folder / "index.md").write_text(body, encoding="utf-8")
            (folder / "index.en.md").write_text(body.replace(f"# 第{i}页", f"# Page {i}"), encoding="utf-8")
        (docs / "index.md").write_text("# 首页\n", encoding="utf-8")
        (docs / "index.en.md").write_text("# Home\n", encoding="utf-8")
        class Loader(yaml.SafeLoader):  # mkdocs.yml's `!relative $config_dir` is the repository root
            pass

        Loader.add_constructor("!relative", lambda loader, node: str(ROOT))
        config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
        config.pop("nav", None)
        config.pop("extra_css", None)
        config.pop("extra_javascript", None)
        config.pop("hooks", None)  # ours (the 404 page's frame): a plain build has none
        config["theme"].pop("custom_dir", None)
        config["plugins"] = [p for p in config["plugins"] if not (isinstance(p, dict) and "macros" in p)] + ["macros"]
        config_path = pathlib.Path(tmp) / "mkdocs.yml"
        config_path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
        started = time.perf_counter()
        mkdocs_build(load_config(str(config_path), docs_dir=str(docs), site_dir=str(site_dir)))
        return {"seconds": time.perf_counter() - started, "pages": pages}


def _spawn(kind: str, amount: int) -> dict:
    """Run one build in a child process; its result plus peak resident memory in MB."""
    with tempfile.TemporaryDirectory() as tmp:
        out = pathlib.Path(tmp) / "result.json"
        process = subprocess.Popen([sys.executable, "-m", "bench.build_bench", kind, str(amount),
                                    str(pathlib.Path(tmp) / "site"), str(out)], cwd=ROOT)
        _, status, usage = os.wait4(process.pid, 0)
        if status != 0:
            raise RuntimeError(f"{kind} build ×{amount} failed")
        result = json.loads(out.read_text(encoding="utf-8"))
        result["peak_mb"] = usage.ru_maxrss / 1024  # kilobytes on Linux
        return result


def _median(done: list[dict]) -> dict:
    """The run of median time; every run's seconds in ``runs``."""
    done = sorted(done, key=lambda r: r["seconds"])
    return done[len(done) // 2] | {"runs": [round(r["seconds"], 2) for r in done]}


def run(scales=(1, 10, 50), runs: int = 3) -> dict:
    """Each scale built once, except the first and the plain build: ``runs`` times each, alternately, and the
    median of each kept (one build of either varied by about 10% on this machine)."""
    first, plain = [], []
    for _ in range(runs):
        first.append(_spawn("real", scales[0]))
        plain.append(_spawn("plain", first[0]["pages"]))
    results = {"real": {scales[0]: _median(first) | {"history_first_seconds": first[0]["history_seconds"]}},
               "plain": _median(plain)}
    for scale in scales[1:]:
        results["real"][scale] = _spawn("real", scale)
    # The scaled builds wrote their own pages and bundle: put the real ones back.
    shutil.rmtree(ROOT / "build" / "docs", ignore_errors=True)
    from macros.bundle import write_bundle

    write_bundle()
    return results


if __name__ == "__main__":
    kind, amount, site, out = sys.argv[1], int(sys.argv[2]), pathlib.Path(sys.argv[3]), pathlib.Path(sys.argv[4])
    sys.path.insert(0, str(ROOT))
    result = _child_real(amount, site) if kind == "real" else _child_plain(amount, site)
    out.write_text(json.dumps(result), encoding="utf-8")
