"""The public history's cost per build, on this repository's real history (macros/history.py).

Three cases, each the median of a few runs: a cold cache (every commit that touched the published data loaded
and compared: a fresh clone, or CI), a warm one (every commit from the cache: a rebuild, `make serve`), and one
new commit (the newest commit's entry removed, so that it and the one before it are loaded: a build after a
merge).
"""

from __future__ import annotations

import pathlib
import statistics
import tempfile
import time


def _timed(load, **kwargs) -> tuple[float, object]:
    started = time.perf_counter()
    found = load(**kwargs)
    return time.perf_counter() - started, found


def run(repeats: int = 3) -> dict:
    from macros import history

    cold, warm, newest = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(repeats):
            cache = pathlib.Path(tmp) / str(i)
            seconds, found = _timed(history.load, cache=cache)
            if not found.available:
                return {"available": False, "reason": found.reason["en"]}
            cold.append(seconds)
            warm.append(_timed(history.load, cache=cache)[0])
            newest_commit = history.commits(history.ROOT)[-1][0]
            (cache / history.fingerprint() / f"{newest_commit}.json").unlink()
            seconds, again = _timed(history.load, cache=cache)
            assert again.loaded == 1, again.loaded
            newest.append(seconds)
    return {"available": True, "commits": found.commits, "measures": len(found.measures),
            "cold_seconds": statistics.median(cold), "warm_seconds": statistics.median(warm),
            "new_commit_seconds": statistics.median(newest), "runs": repeats}
