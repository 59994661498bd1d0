"""Live preview (`make serve`): the time from a one-measure change to the new page being served.

A copy of the project in a temporary folder is served by ``python -m macros.serve`` on a free port; a
measure's English text is edited, and the clock stops when the page served over HTTP shows the edit
(the server's event stream says when a new build is served: no fixed sleep). ``ServedCopy`` is also
what tests/test_serve.py drives.
"""

from __future__ import annotations

import pathlib
import queue
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from typing import Self

ROOT = pathlib.Path(__file__).resolve().parent.parent
COPIED = ("policies", "docs", "schema", "macros", "overrides", "checker", "calculator", "mkdocs.yml",
          "pyproject.toml", "package.json", "CONTRIBUTING.md", "CONTRIBUTING.zh.md")
PAGE = "en/policies/ft-ai-2025/art-1/"
POLICY = "policies/ft-ai-2025.yaml"
TEXT = "Increase the supply of AI computing power. Support"  # the start of art-1's text.en


class ServedCopy:
    """A copy of the project served by macros.serve; what it prints and the builds it serves, as they come."""

    def __init__(self, folder: pathlib.Path, timeout: float = 600):
        self.root, self.timeout = pathlib.Path(folder) / "project", timeout
        self.lines: queue.Queue = queue.Queue()
        self.output: list[str] = []
        self.versions: queue.Queue = queue.Queue()
        self.version = 0

    def __enter__(self) -> Self:
        self.root.mkdir(parents=True)
        for name in COPIED:
            source = ROOT / name
            if source.is_dir():
                shutil.copytree(source, self.root / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            else:
                shutil.copy2(source, self.root / name)
        (self.root / "node_modules").symlink_to(ROOT / "node_modules")  # the Pyodide runtime, read only
        self.site = self.root / "site"
        self.process = subprocess.Popen([sys.executable, "-m", "macros.serve", "--port", "0"], cwd=self.root,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
        threading.Thread(target=self._read_output, daemon=True).start()
        self.url = self.wait_for_output(r"Serving (http://\S+/)").group(1)
        threading.Thread(target=self._read_events, daemon=True).start()
        self.version = self.wait_for_version(0)
        return self

    def __exit__(self, *exc) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def _read_output(self) -> None:
        for line in self.process.stdout:
            self.output.append(line.rstrip("\n"))
            self.lines.put(line.rstrip("\n"))

    def _read_events(self) -> None:
        with urllib.request.urlopen(self.url + "__live/events", timeout=None) as stream:
            for raw in stream:
                line = raw.decode("utf-8").strip()
                if line.startswith("data: "):
                    self.versions.put(int(line.removeprefix("data: ")))

    def wait_for_output(self, pattern: str, timeout: float | None = None) -> re.Match:
        """The first line printed from now on that matches ``pattern``."""
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            try:
                line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                raise TimeoutError(f"no line matching {pattern!r}; the server said:\n" + "\n".join(self.output)) \
                    from None
            if match := re.search(pattern, line):
                return match

    def wait_for_version(self, after: int, timeout: float | None = None) -> int:
        """The number of the first build served after build ``after``."""
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            try:
                version = self.versions.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                raise TimeoutError(f"no build after {after}; the server said:\n" + "\n".join(self.output)) from None
            if version > after:
                self.version = version
                return version

    def get(self, path: str) -> str:
        with urllib.request.urlopen(self.url + path, timeout=60) as response:
            return response.read().decode("utf-8")

    def edit(self, path: str, old: str, new: str) -> None:
        file = self.root / path
        text = file.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {path}"
        file.write_text(text.replace(old, new, 1), encoding="utf-8")


def _timed_change(served: ServedCopy, old: str, new: str, marker: str, extra=None) -> tuple[float, float]:
    """Seconds from the edit to the page served with it, and the build's own seconds (as printed)."""
    started = time.perf_counter()
    served.edit(POLICY, old, new)
    if extra:
        served.edit(POLICY, *extra)
    served.wait_for_version(served.version)
    page = served.get(PAGE)
    seconds = time.perf_counter() - started
    assert marker in page, f"the page served after the build lacks {marker!r}"
    built = [float(m.group(1)) for line in served.output if (m := re.search(r": built in ([\d.]+) s$", line))]
    return seconds, built[-1]


def run(changes: int = 5) -> dict:
    with tempfile.TemporaryDirectory(prefix="serve-bench-") as tmp, ServedCopy(pathlib.Path(tmp)) as served:
        text_runs, current = [], TEXT
        for n in range(changes):  # the English text only: the checker's files are kept
            new = TEXT.replace(". Support", f" (edit {n}). Support")
            text_runs.append(_timed_change(served, current, new, f"(edit {n})"))
            current = new
        # a term's condition as well (第一条's activity): the calculator's data changes, so the checker's files are
        # staged again and its standard library traced again under Node (the wheel, code only, is kept).
        # (Not a number: the validator checks each one against its quote, so such an edit would be refused.)
        new = TEXT.replace(". Support", " (terms). Support")
        terms = _timed_change(served, current, new, "(terms)",
                              extra=("op: contains, value: model-rnd}", "op: contains, value: agents}"))
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "macros.build", str(pathlib.Path(tmp) / "cold-site")],
                       cwd=served.root, check=True, capture_output=True)
        cold = time.perf_counter() - started
    seconds = sorted(s for s, _ in text_runs)
    return {"changes": changes, "text_seconds": [round(s, 3) for s, _ in text_runs],
            "text_median": statistics.median(seconds), "text_max": seconds[-1],
            "text_build_median": statistics.median(b for _, b in text_runs),
            "terms_seconds": terms[0], "terms_build": terms[1], "cold_build_seconds": cold}


if __name__ == "__main__":
    print(run())
