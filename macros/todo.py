"""What remains to be done in a draft policy file, one ``file:line: field: message`` each.

A draft (``draft: true``, written by ``make new-policy``) holds the placeholder ``TODO`` wherever a
fact, a translation or a term is still missing, and a ``candidates`` list of the amounts and rates
each text states. The site never publishes a draft, and ``make validate`` fails while one remains,
so that a draft cannot be merged silently. A published file may hold neither.

>>> from macros.loader import parse_policy_text
>>> doc = parse_policy_text("draft: true\\nid: x\\nmeasures:\\n  - title: {zh: 标题, en: TODO}\\n", "x.yaml")
>>> [str(p) for p in todo_problems(doc)]
['x.yaml:4: measures[0].title.en: to do: the English translation', \
'x.yaml:1: draft: a draft is not published: 1 thing left to do above, then delete this line']
"""

from __future__ import annotations

from .loader import PolicyDocument, Problem, field_name

TODO = "TODO"

# The hint for a placeholder, by the name of its field (or of the list that holds it).
_HINTS = {
    "en": "the English translation",
    "zh": "the Chinese text, verbatim from the source text",
    "official": "true if this is the document's official title (else false and a note)",
    "verified": "true once checked against an official source (else false and a note)",
    "date": "the date (YYYY-MM-DD), or null and a note saying why",
    "value": "the document number (e.g. 京发改〔2024〕1081号), or null and a note",
    "jurisdiction": "beijing, or the district's id (calculator/fields.py)",
    "issuers": "the issuing bodies ({name, role, verified}), or [] and an issuers_note",
    "sources": "the official page: kind, url, title",
    "kind": "official, repost or secondary (schema/vocabulary.yaml)",
    "combination": "how it combines with other support (rule, scope, quote, en), or [] and a combination_note",
    "application": "the rules about applying (rule, quote, en), or []",
    "verified_on": "the day these facts were checked against the sources (YYYY-MM-DD)",
    "categories": "the category ids (schema/vocabulary.yaml)",
    "beneficiaries": "who may apply: beneficiary ids (schema/vocabulary.yaml)",
    "benefits": "the benefit terms: kind, quote, amounts and rates, period, conditions (policies/README.md)",
}
_TITLE_HINTS = {(): "the document's title", ("measures",): "a short title", ("groups",): "the heading's title",
                ("short_title",): "a short name for lists and tables (丰台人工智能若干措施)"}


def is_draft(doc: PolicyDocument) -> bool:
    return isinstance(doc.data, dict) and doc.data.get("draft") is True


def _hint(path: tuple) -> str:
    names = [p for p in path if isinstance(p, str)]
    if len(names) >= 2 and names[-2] in ("title", "short_title") and names[-1] == "zh":
        return _TITLE_HINTS.get(tuple(names[:-2])[:1] if names[-2] == "title" else ("short_title",), "the title")
    for name in reversed(names):
        if name in _HINTS:
            return _HINTS[name]
    return "fill in (policies/README.md)"


def _walk(value, path=()):
    yield path, value
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _walk(child, path + (key,))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            yield from _walk(child, path + (i,))


def _candidates_message(terms) -> str:
    shown = ", ".join(str(t.get("written", "?")) for t in terms[:6] if isinstance(t, dict))
    more = f" and {len(terms) - 6} more" if len(terms) > 6 else ""
    return (f"to do: {len(terms)} amount(s) and rate(s) of the text ({shown}{more}): write each as a benefit "
            "term (or a cap) with its quote and conditions, then delete `candidates`")


def placeholders(doc: PolicyDocument) -> list[tuple[tuple, str]]:
    """(path, message) of every TODO and every candidates list of a document."""
    found = []
    for path, value in _walk(doc.data):
        if value == TODO:
            found.append((path, f"to do: {_hint(path)}"))
        elif path and path[-1] == "candidates" and isinstance(value, list):
            found.append((path, _candidates_message(value)))
    return found


def todo_problems(doc: PolicyDocument) -> list[Problem]:
    """A draft's to-do list, in file order, closed by the line that keeps it unpublished."""
    items = [Problem(doc.path, doc.line_of(path), field_name(path), message) for path, message in placeholders(doc)]
    items.sort(key=lambda p: p.line)
    left = f"{len(items)} thing{'s' if len(items) != 1 else ''} left to do above, then" if items else \
        "nothing left to do: once the checks pass,"
    items.append(Problem(doc.path, doc.line_of(("draft",)), "draft", f"a draft is not published: {left} delete this line"))
    return items


def under(path: tuple, roots: list[tuple]) -> bool:
    """Whether ``path`` is one of ``roots`` or inside one."""
    return any(path[:len(root)] == root for root in roots)


def leftovers(doc: PolicyDocument) -> list[Problem]:
    """A TODO or a candidates list left in a published file (one without ``draft: true``)."""
    return [Problem(doc.path, doc.line_of(path), field_name(path), "left from the draft: " + (
        "turn the candidates into benefit terms, then delete them" if path[-1] == "candidates"
        else f"replace the TODO ({message.removeprefix('to do: ')})")) for path, message in placeholders(doc)]
