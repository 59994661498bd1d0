"""``make mutate``: how many small faults in calculator/ the rule cases and unit tests catch.

Each mutant changes one operator or constant of one module of ``calculator/``: a comparison's boundary
(``>=`` ↔ ``>``, ``<`` ↔ ``<=``) or its sense (``==`` ↔ ``!=``, ``in`` ↔ ``not in``, ``is`` ↔ ``is not``),
``+`` ↔ ``-`` (also ``+=``), ``*`` ↔ ``//``, ``and`` ↔ ``or``, ``True`` ↔ ``False``, an integer ± 1, a
dropped ``not``. The fast tests (rule cases, calculator properties, session and doctests, CLI; no site,
no browser) run against each one in a copy of the repository, so the working tree is never touched; a
mutant is killed when they fail or time out, and survives when they pass. The report gives the share
killed and every survivor: each is a behaviour no test pins down (or a change that makes no difference).

    python tools/mutate.py                  # a sample of 60 mutants (seed 0), about 10 minutes
    python tools/mutate.py --all            # every mutant
    python tools/mutate.py --limit 200 --seed 3 --file calculator/engine.py --jobs 2

Standard library only; it runs the tests with the interpreter that runs it (the project's .venv).
"""

from __future__ import annotations

import argparse
import ast
import dataclasses
import os
import pathlib
import random
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

ROOT = pathlib.Path(__file__).resolve().parent.parent
# Fastest first: with -x the first failing test ends the run.
TESTS = ["tests/test_rule_cases.py", "tests/test_session.py", "tests/test_calculator_properties.py",
         "tests/test_calculator_imports.py", "tests/test_cli.py", "tests/test_explanations.py"]
COPY_IGNORE = shutil.ignore_patterns(".git", ".venv", "node_modules", "site", "build", "dist", ".cache", "__pycache__",
                                     ".pytest_cache", ".hypothesis", "*.egg-info", "docs", "checker",
                                     "overrides", "test-results", "screenshots")

SWAPS = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq, ast.NotEq: ast.Eq,
         ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is,
         ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.FloorDiv, ast.FloorDiv: ast.Mult,
         ast.And: ast.Or, ast.Or: ast.And}
SYMBOL = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!=", ast.In: "in",
          ast.NotIn: "not in", ast.Is: "is", ast.IsNot: "is not", ast.Add: "+", ast.Sub: "-", ast.Mult: "*",
          ast.FloorDiv: "//", ast.And: "and", ast.Or: "or"}


@dataclasses.dataclass(frozen=True)
class Mutant:
    file: str  # relative to the repository
    node: int  # index of the node in ast.walk order
    slot: int  # which operator of the node, or which change of a constant
    line: int
    change: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.change}"


def _skipped_lines(tree: ast.Module) -> set[int]:
    """Docstrings and the `if __name__ == "__main__"` block: no behaviour a test could pin down."""
    lines = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) \
                and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
            lines.update(range(body[0].lineno, body[0].end_lineno + 1))
        if isinstance(node, ast.If) and "__main__" in ast.unparse(node.test):
            lines.update(range(node.lineno, node.end_lineno + 1))
    return lines


def _changes(node: ast.AST) -> list[tuple[int, str]]:
    """(slot, description) of each mutant of one node."""
    if isinstance(node, ast.Compare):
        return [(i, f"{SYMBOL[type(op)]} → {SYMBOL[SWAPS[type(op)]]}") for i, op in enumerate(node.ops)
                if type(op) in SWAPS]
    if isinstance(node, (ast.BinOp, ast.AugAssign)) and type(node.op) in SWAPS:
        eq = "=" if isinstance(node, ast.AugAssign) else ""
        return [(0, f"{SYMBOL[type(node.op)]}{eq} → {SYMBOL[SWAPS[type(node.op)]]}{eq}")]
    if isinstance(node, ast.BoolOp):
        return [(0, f"{SYMBOL[type(node.op)]} → {SYMBOL[SWAPS[type(node.op)]]}")]
    if isinstance(node, ast.Constant) and isinstance(node.value, bool):
        return [(0, f"{node.value} → {not node.value}")]
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return [(1, f"{node.value} → {node.value + 1}"), (-1, f"{node.value} → {node.value - 1}")]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        return [(0, "not x → x")]
    return []


def mutants_of(path: pathlib.Path) -> list[Mutant]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _skipped_lines(tree)
    rel = path.relative_to(ROOT).as_posix()
    out = []
    for index, node in enumerate(ast.walk(tree)):
        if getattr(node, "lineno", None) in skipped or not hasattr(node, "lineno"):
            continue
        out += [Mutant(rel, index, slot, node.lineno, change) for slot, change in _changes(node)]
    return out


class _Drop(ast.NodeTransformer):
    """Replaces one `not x` with `x`."""

    def __init__(self, target: ast.AST):
        self.target = target

    def visit_UnaryOp(self, node):
        return node.operand if node is self.target else self.generic_visit(node)


def mutated_source(mutant: Mutant) -> str:
    tree = ast.parse((ROOT / mutant.file).read_text(encoding="utf-8"))
    node = list(ast.walk(tree))[mutant.node]
    if isinstance(node, ast.Compare):
        node.ops[mutant.slot] = SWAPS[type(node.ops[mutant.slot])]()
    elif isinstance(node, (ast.BinOp, ast.AugAssign, ast.BoolOp)):
        node.op = SWAPS[type(node.op)]()
    elif isinstance(node, ast.Constant):
        node.value = (not node.value) if isinstance(node.value, bool) else node.value + mutant.slot
    else:
        tree = _Drop(node).visit(tree)
    return ast.unparse(ast.fix_missing_locations(tree)) + "\n"


def run_tests(copy: pathlib.Path, timeout: float) -> tuple[str, float]:
    """'passed', 'failed' or 'timeout', and the seconds taken."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONHASHSEED": "0"}
    cmd = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "--hypothesis-seed=0", *TESTS]
    started = time.perf_counter()
    try:
        done = subprocess.run(cmd, cwd=copy, env=env, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return "timeout", time.perf_counter() - started
    return ("passed" if done.returncode == 0 else "failed"), time.perf_counter() - started


def make_copy(parent: pathlib.Path, name: str) -> pathlib.Path:
    copy = parent / name
    shutil.copytree(ROOT, copy, ignore=COPY_IGNORE)
    return copy


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python tools/mutate.py", description=__doc__.split("\n")[0])
    parser.add_argument("--all", action="store_true", help="run every mutant (slow)")
    parser.add_argument("--limit", type=int, default=60, help="mutants sampled when not --all (default 60)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the sample (default 0)")
    parser.add_argument("--file", action="append", help="only these files (repeatable), e.g. calculator/engine.py")
    parser.add_argument("--jobs", type=int, default=1, help="mutants run at once, each in its own copy (default 1)")
    parser.add_argument("--list", action="store_true", help="list the mutants and stop")
    args = parser.parse_args(argv)

    files = [ROOT / f for f in args.file] if args.file else sorted(
        p for p in (ROOT / "calculator").glob("*.py") if p.name != "__main__.py")
    everything = [m for path in files for m in mutants_of(path)]
    chosen = everything if args.all or args.limit >= len(everything) else sorted(
        random.Random(args.seed).sample(everything, args.limit), key=lambda m: (m.file, m.line, m.change))
    if args.list:
        print("\n".join(map(str, chosen)))
        return 0

    with tempfile.TemporaryDirectory(prefix="mutate-") as tmp:
        copies = [make_copy(pathlib.Path(tmp), f"copy{i}") for i in range(max(1, args.jobs))]
        status, baseline = run_tests(copies[0], timeout=600)
        if status != "passed":
            print(f"mutate: the tests do not pass on the unchanged code ({status}); nothing to measure",
                  file=sys.stderr)
            return 1
        timeout = max(60.0, 5 * baseline)
        print(f"{len(chosen)} of {len(everything)} mutants in {len(files)} files; the tests take {baseline:.0f} s "
              f"unchanged (a mutant taking over {timeout:.0f} s counts as killed)", flush=True)
        free = list(copies)

        def trial(mutant: Mutant) -> tuple[Mutant, str, float]:
            copy = free.pop()
            target = copy / mutant.file
            original = target.read_text(encoding="utf-8")
            try:
                target.write_text(mutated_source(mutant), encoding="utf-8")
                outcome, seconds = run_tests(copy, timeout)
            finally:
                target.write_text(original, encoding="utf-8")
                free.append(copy)
            return mutant, outcome, seconds

        results = []
        with ThreadPoolExecutor(max_workers=len(copies)) as pool:
            for n, (mutant, outcome, seconds) in enumerate(pool.map(trial, chosen), 1):
                results.append((mutant, outcome))
                mark = "survived" if outcome == "passed" else f"killed ({outcome})"
                print(f"[{n}/{len(chosen)}] {mutant}: {mark}, {seconds:.0f} s", flush=True)

    survivors = [m for m, outcome in results if outcome == "passed"]
    killed = len(results) - len(survivors)
    print(f"\nkilled {killed} of {len(results)} mutants ({100 * killed / len(results):.0f} %)")
    if survivors:
        print("survivors (a behaviour no fast test pins down, or a change that makes no difference):")
        print("\n".join(f"  {m}    {source_line(m)}" for m in survivors))
    return 0


def source_line(mutant: Mutant) -> str:
    """The mutated line as written, to read a survivor without opening the file."""
    line = (ROOT / mutant.file).read_text(encoding="utf-8").splitlines()[mutant.line - 1].strip()
    return line if len(line) <= 90 else line[:89] + "…"


if __name__ == "__main__":
    sys.exit(main())
