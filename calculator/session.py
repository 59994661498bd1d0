"""The checker's conversation with the calculator: JSON text in, JSON text out, only what changed.

The browser's worker keeps one ``Session``. While a company types, most measures keep their result, so an
answer carries in full only the rows that differ from the answer the page says it holds (``base``); the
page keeps the others. That keeps the text to encode, pass between threads, parse and draw small; and the
session's calculator re-evaluates only the measures whose answers changed (``remember=True``).

In the browser the data comes in parts, one per jurisdiction (``Session(index=...)``): before each answer the
worker asks which parts the profile ``needs`` that are not loaded yet, and adds them (``add_parts``).

>>> session = Session()
>>> first = json.loads(session.answer('{"district": "tongzhou"}', "2026-06-30", request=1, base=None))
>>> len(first["report"]["order"]) == len(first["report"]["changed"])  # nothing held yet: every row
True
>>> second = json.loads(session.answer('{"district": "tongzhou", "compute_spend": 3000000}', "2026-06-30",
...                                    request=2, base=1))
>>> sorted(second["report"]["changed"])  # only the rows the new answer changed
['tz-ai-2025/art-1']
>>> json.loads(session.answer("[]", "2026-06-30", request=3, base=2))["errors"]
['(profile): must be a JSON object of field: value']
"""

from __future__ import annotations

import json

from .bundle import default_bundle, join_parts, needed_parts
from .engine import Calculator
from .profile import ProfileError


def row_key(row: dict) -> str:
    return f"{row['policy']}/{row['measure']}"


class Session:
    def __init__(self, bundle: dict | None = None, index: dict | None = None):
        """``bundle``: the whole bundle (the packaged one by default); or the ``index`` of a bundle in parts."""
        self.index, self.parts = index, {}
        # One calculator for the session, remembering each measure's result while its answers stay the same.
        self.calculator = Calculator(join_parts(index, {}) if index is not None else
                                     bundle if bundle is not None else default_bundle(), remember=True)
        self.sent_request = None  # the request whose rows the page may hold
        self.sent_rows: dict[str, dict] = {}

    def needs(self, text: str) -> list[str]:
        """The parts the profile ``text`` needs that are not loaded yet (none for a whole bundle)."""
        if self.index is None:
            return []
        try:
            profile = json.loads(text)
        except ValueError:
            profile = None
        return [name for name in needed_parts(self.index, profile) if name not in self.parts]

    def add_parts(self, *texts: str) -> None:
        """Parts (JSON text) the worker fetched; the calculator starts afresh on the larger bundle."""
        if not texts:
            return
        for text in texts:
            part = json.loads(text)
            self.parts[part["jurisdiction"]] = part
        self.calculator = Calculator(join_parts(self.index, self.parts), remember=True)

    def answer(self, text: str, today: str | None, request: int, base: int | None) -> str:
        """The report for the profile ``text``; its ``results`` become ``order`` (every row key, in the
        calculator's order) and ``changed`` (the rows not identical to those of request ``base``)."""
        try:
            profile = json.loads(text)
        except ValueError as err:
            return json.dumps({"errors": [f"not JSON: {err}"]}, ensure_ascii=False)
        try:
            report = self.calculator.evaluate(profile, today)
        except ProfileError as err:
            return json.dumps({"errors": err.errors}, ensure_ascii=False)
        held = self.sent_rows if base is not None and base == self.sent_request else {}
        rows = {row_key(row): row for row in report.pop("results")}
        report["order"] = list(rows)
        report["changed"] = {key: row for key, row in rows.items() if held.get(key) != row}
        self.sent_request, self.sent_rows = request, rows
        return json.dumps({"report": report}, ensure_ascii=False)


def apply(held: dict[str, dict], report: dict) -> list[dict]:
    """What the page does with an answer: the full ``results`` list, from the rows it held and the changed ones.

    >>> apply({"a/1": {"v": 1}, "a/2": {"v": 2}}, {"order": ["a/2", "a/3"], "changed": {"a/3": {"v": 3}}})
    [{'v': 2}, {'v': 3}]
    """
    held.update(report["changed"])
    for key in set(held) - set(report["order"]):
        del held[key]
    return [held[key] for key in report["order"]]
