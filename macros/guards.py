"""Checks against careless or hostile policy files that the schema cannot express.

Each ``check_*`` function takes documents that passed the schema and appends ``Problem``s to them;
``macros.validate`` calls them after its own checks, and reads source texts through ``source_text``.
They hold what a pull request must not slip past a reviewer: a source text that is a link out of the
repository, English that is still Chinese, dates outside any plausible range or a check dated in the
future, an "official" source on a host that is not a government's, money that contradicts itself, codes
written as numbers, and measures that refer to themselves or round in a circle. SECURITY.md lists the
limits.
"""

from __future__ import annotations

import datetime
import fractions
import pathlib
import re
import urllib.parse

import jsonschema

from calculator.fields import FIELD_BY_ID
from calculator.profile import EARLIEST, LATEST

from .loader import PolicyDocument, Problem, field_name, read_text_file, unsafe_file

# JSON Schema counts 2000000.0 as an integer; YAML reads `2.0e+6` as that float. Money and years are
# whole numbers written as such, so a float is never an integer here.
STRICT_TYPES = jsonschema.Draft202012Validator.TYPE_CHECKER.redefine(
    "integer", lambda _checker, value: isinstance(value, int) and not isinstance(value, bool))

# A day of grace: a check done this morning in Beijing is still "tomorrow" on a UTC machine.
CLOCK_SKEW = datetime.timedelta(days=1)

_RAISES = re.compile(r"提高|提升|上浮|增加")  # the variant gives more than the benefit it varies
_CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_YEARS = re.compile(r"(?<![\d.])(\d{1,2}|[一二两三四五六七八九十]{1,3})\s*(?:个)?(?:年|个年度)")


def _add(doc: PolicyDocument, path: tuple, message: str) -> None:
    doc.problems.append(Problem(doc.path, doc.line_of(path), field_name(path), message))


# ── texts ─────────────────────────────────────────────────────────────────────────────────────────

# Chinese quoted or named in brackets is a translator's choice: 'the “AI+” action (人工智能+行动)'.
_CITED = re.compile(r"\([^()]*\)|（[^（）]*）|“[^“”]*”|\"[^\"]*\"|《[^《》]*》")


def untranslated(en: str) -> bool:
    """English text that is still Chinese: four Chinese characters in a row outside quotes and brackets.

    >>> [untranslated(t) for t in ("支持人工智能企业发展", "Support (支持人工智能企业)", "Support (x) 支持人工智能")]
    [True, False, True]
    """
    return re.search(r"[\u4e00-\u9fff]{4,}", _CITED.sub("", en)) is not None


def source_text(file: pathlib.Path, folder: pathlib.Path) -> str | Exception:
    """The text of a source file, or why it is not read: only a regular file inside the policy folder,
    no symbolic link (a quote could otherwise test guesses of a file such as /proc/self/environ)."""
    refused = unsafe_file(file, folder, MAX_SOURCE_BYTES)
    if refused:
        return ValueError(refused)
    try:
        return read_text_file(file)
    except ValueError as err:
        return err


MAX_SOURCE_BYTES = 1_000_000  # the longest source text is about 16 KB


def check_lone_english(doc: PolicyDocument) -> None:
    """An `en` beside a quote (combination, application, eligibility, a cap) is a translation too; the
    validator checks only `{zh, en}` pairs."""
    for path, value in _walk(doc.data):
        if isinstance(value, dict) and isinstance(value.get("en"), str) and "zh" not in value \
                and untranslated(value["en"]):
            _add(doc, path + ("en",), "English text is mostly Chinese: translation missing")


def _walk(value, path: tuple = ()):
    """Every value of a document with its path, parents first (documents are at most MAX_DEPTH deep)."""
    yield path, value
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in items:
        yield from _walk(child, path + (key,))


# ── dates ─────────────────────────────────────────────────────────────────────────────────────────

def _dates(data: dict):
    """Every date of a policy with its path (dates not written YYYY-MM-DD are the schema's business)."""
    for key, entry in data["dates"].items():
        yield ("dates", key, "date"), entry["date"]
    for i, source in enumerate(data["sources"]):
        yield ("sources", i, "date"), source.get("date")
    yield ("verified_on",), data["verified_on"]


def check_date_range(doc: PolicyDocument, today: datetime.date) -> None:
    """Dates within the calculator's range (2000–2100: `expires: 9999-12-31` broke the feeds), and the
    facts not checked on a day still to come."""
    for path, text in _dates(doc.data):
        try:
            day = datetime.date.fromisoformat(text) if text else None
        except ValueError:
            continue  # reported by the validator as not a valid date
        if day is None:
            continue
        if not EARLIEST <= day <= LATEST:
            _add(doc, path, f"{day} is outside the plausible range {EARLIEST} to {LATEST}")
        elif path == ("verified_on",) and day > today + CLOCK_SKEW:
            _add(doc, path, f"{day} is in the future: the day the facts were last checked is today at the latest")


# ── official sources ─────────────────────────────────────────────────────────────────────────────

def host_matches(host: str, patterns: list[str]) -> bool:
    """``*.gov.cn`` matches any host under gov.cn, ``gov.cn`` that host only; whole labels, so
    ``www.bjft.gov.cn.evil.example`` and ``evilgov.cn`` match neither.

    >>> [host_matches(h, ["gov.cn", "*.gov.cn"]) for h in ("www.bjft.gov.cn", "gov.cn", "evilgov.cn",
    ...                                                    "www.bjft.gov.cn.evil.example")]
    [True, True, False, False]
    """
    host = host.lower().rstrip(".")
    for pattern in patterns:
        pattern = pattern.lower()
        if pattern.startswith("*."):
            if host.endswith(pattern[1:]) and host != pattern[2:]:
                return True
        elif host == pattern:
            return True
    return False


def check_official_hosts(doc: PolicyDocument, vocabulary: dict) -> None:
    """A source of kind `official` is a page on a government host (vocabulary `official_hosts`)."""
    patterns = vocabulary["official_hosts"]
    for i, source in enumerate(doc.data["sources"]):
        if source["kind"] != "official" or not source.get("url"):
            continue
        parts = urllib.parse.urlsplit(source["url"])
        try:
            host, port = parts.hostname or "", parts.port
        except ValueError:
            host, port = "", None
        if parts.username is not None or parts.password is not None or port not in (None, 443) \
                or not host_matches(host, patterns):
            _add(doc, ("sources", i, "url"), f"an official source must be on a government host "
                 f"({', '.join(patterns)} in schema/vocabulary.yaml official_hosts); '{host or source['url']}' "
                 "is not: use kind repost or secondary")


# ── money that contradicts itself ────────────────────────────────────────────────────────────────

def _rate(text: str | None) -> fractions.Fraction | None:
    return fractions.Fraction(text.rstrip("%")) if text else None


def stated_years(text: str) -> set[int]:
    """The numbers of years a Chinese text states.

    >>> sorted(stated_years("期限不超过3年（并购为1年），2024年起；前十年年费；两个年度"))
    [1, 2, 3, 10]
    """
    out = set()
    for number in _YEARS.findall(text):
        if number.isdigit():
            out.add(int(number))
        elif number == "十":
            out.add(10)
        elif number.startswith("十"):
            out.add(10 + _CN_DIGITS.get(number[1:], 0))
        elif "十" in number:
            tens, _, ones = number.partition("十")
            out.add(_CN_DIGITS.get(tens, 0) * 10 + _CN_DIGITS.get(ones, 0))
        elif len(number) == 1:
            out.add(_CN_DIGITS[number])
    return out


def _quote_text(quote) -> str:
    return " ".join(q["text"] for q in quote) if isinstance(quote, list) else quote


def _check_tier_order(doc: PolicyDocument, path: tuple, tiers: list[dict]) -> None:
    """Tiers are listed highest threshold first; a higher threshold never pays less."""
    previous = None  # (index, amount, rate) of the tier above
    for i, tier in enumerate(tiers):
        if "threshold" not in tier:
            continue
        amount, rate = tier.get("amount"), _rate(tier.get("rate"))
        if previous is not None:
            above, above_amount, above_rate = previous
            if amount is not None and above_amount is not None and above_amount < amount:
                _add(doc, path + ("tiers", above, "amount"), f"a higher threshold pays less: {above_amount:,} "
                     f"yuan here, {amount:,} yuan at the lower threshold of tier {i}")
            if rate is not None and above_rate is not None and above_rate < rate:
                _add(doc, path + ("tiers", above, "rate"), f"a higher threshold pays a lower rate: "
                     f"{tiers[above]['rate']} here, {tier['rate']} at the lower threshold of tier {i}")
        previous = (i, amount, rate)


def _check_variant(doc: PolicyDocument, path: tuple, benefit: dict, variant: dict) -> None:
    """A variant whose quote raises (提高至…) gives more than the benefit; its years agree with its quote."""
    quote = variant["quote"]
    if _RAISES.search(quote):
        for key in ("rate", "cap", "amount", "years"):
            new, old = variant.get(key), benefit.get(key)
            if new is None or old is None:
                continue
            if (_rate(new) <= _rate(old)) if key == "rate" else new <= old:
                shown = (lambda v: v) if key in ("rate", "years") else (lambda v: f"{v:,}")
                _add(doc, path + (key,), f"the quote raises it ('{quote[:30]}'), but {shown(new)} is not above "
                     f"the benefit's {shown(old)}")
        if variant.get("amount_increment") == 0:
            _add(doc, path + ("amount_increment",), "the quote raises each tier, but the increment is 0")
    years = variant.get("years", benefit.get("years"))
    stated = stated_years(quote)
    if stated and years not in stated:
        whose = "" if "years" in variant else " (the benefit's, as the variant sets none)"
        _add(doc, path + ("years",), f"years {years}{whose} contradicts the quote, which states "
             f"{' or '.join(map(str, sorted(stated)))} years")


def check_money(doc: PolicyDocument) -> None:
    for i, measure in enumerate(doc.data["measures"]):
        for j, benefit in enumerate(measure["benefits"]):
            path = ("measures", i, "benefits", j)
            if benefit["kind"] == "tiers" and "tiers" in benefit:
                _check_tier_order(doc, path, benefit["tiers"])
            stated = stated_years(_quote_text(benefit["quote"]))
            if benefit.get("years") is not None and stated and benefit["years"] not in stated:
                _add(doc, path + ("years",), f"years {benefit['years']} contradicts the quote, which states "
                     f"{' or '.join(map(str, sorted(stated)))} years")
            for k, variant in enumerate(benefit.get("variants", [])):
                _check_variant(doc, path + ("variants", k), benefit, variant)


# ── values of the right type ─────────────────────────────────────────────────────────────────────

def _conditions(data):
    """Every condition ``{field, op, value}`` anywhere in a document, with its path."""
    for path, value in _walk(data):
        if isinstance(value, dict) and {"field", "op", "value"} <= set(value):
            yield path, value


def check_code_values(doc: PolicyDocument) -> None:
    """Codes are strings: unquoted, `[63, 64, 65]` are numbers that never equal a profile's "63", and
    every company would silently be "not met"."""
    for path, cond in _conditions(doc.data):
        field = FIELD_BY_ID.get(cond["field"])
        if not field or field["type"] != "code":
            continue
        values = cond["value"] if isinstance(cond["value"], list) else [cond["value"]]
        for value in values:
            if not (isinstance(value, str) and re.fullmatch(field["pattern"].strip("^$"), value)):
                _add(doc, path + ("value",), f"{value!r} is not a code: write codes as quoted strings of two "
                     f"digits, such as \"{str(value).zfill(2)[:2]}\"")
                break


# ── references ───────────────────────────────────────────────────────────────────────────────────

def _references(docs: list[PolicyDocument]):
    """(document, path, source key, target key) for every reference between measures."""
    for doc in docs:
        pid = doc.data["id"]
        for i, measure in enumerate(doc.data["measures"]):
            for j, ref in enumerate(measure.get("references", [])):
                target = ref["measure"] if "/" in ref["measure"] else f"{pid}/{ref['measure']}"
                yield doc, ("measures", i, "references", j, "measure"), f"{pid}/{measure['id']}", target


def check_reference_cycles(docs: list[PolicyDocument]) -> None:
    """A measure never refers to itself, and references never run in a circle (each page would send
    the reader round it); reported once per circle, on its first reference in file order."""
    edges: dict[str, list[str]] = {}
    for doc, path, source, target in _references(docs):
        if source == target:
            _add(doc, path, f"'{target}' is this measure itself")
        else:
            edges.setdefault(source, []).append(target)
    reported: set[frozenset] = set()
    for doc, path, source, target in _references(docs):
        if source == target:
            continue
        back = _path_between(edges, target, source)
        if back is not None and frozenset(back) not in reported:
            reported.add(frozenset(back))
            _add(doc, path, "references run in a circle: " + " → ".join([source, *back]))


def _path_between(edges: dict[str, list[str]], start: str, goal: str) -> list[str] | None:
    """The keys from ``start`` to ``goal`` along references (breadth first), or None."""
    came_from = {start: None}
    queue = [start]
    for key in queue:
        if key == goal:
            out = []
            while key is not None:
                out.append(key)
                key = came_from[key]
            return out[::-1]
        for nxt in edges.get(key, []):
            if nxt not in came_from:
                came_from[nxt] = key
                queue.append(nxt)
    return None


def check_documents(docs: list[PolicyDocument], vocabulary: dict, today: datetime.date | None = None) -> None:
    """Every check of this module over the documents that passed the schema."""
    today = today or datetime.date.today()
    for doc in docs:
        check_lone_english(doc)
        check_date_range(doc, today)
        check_official_hosts(doc, vocabulary)
        check_money(doc)
        check_code_values(doc)
    check_reference_cycles(docs)
