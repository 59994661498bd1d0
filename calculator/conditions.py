"""Conditions over a profile: each holds (True), fails (False) or is unknown (None).

>>> p = {"revenue": 120, "revenue_prev": 100, "ai_partner": None}
>>> holds({"field": "revenue_increase", "op": "gte", "value": 20}, p)
True
>>> holds({"field": "ai_partner", "op": "eq", "value": True}, p) is None
True
>>> describe({"field": "ai_partner", "op": "eq", "value": True}, "en")
'Member of the AI industry innovation partner programme: yes'

Codes are named when the condition carries their names (the calculator attaches the bundle's):

>>> describe({"field": "industry_code", "op": "in", "value": ["64", "65"],
...           "_names": {"64": {"zh": "互联网和相关服务", "en": "Internet and related services"},
...                      "65": {"zh": "软件和信息技术服务业", "en": "Software and IT services"}}}, "zh")
'国民经济行业大类代码为互联网和相关服务（64）；软件和信息技术服务业（65）之一'
"""

from __future__ import annotations

from .fields import DERIVED, FIELD_BY_ID
from .text import money

_COMPARE = {
    "eq": lambda a, b: a == b,
    "ne": lambda a, b: a != b,
    "gt": lambda a, b: a > b,
    "gte": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "lte": lambda a, b: a <= b,
    "in": lambda a, b: a in b,
    "contains": lambda a, b: b in a,
}


def value_of(profile: dict, field: str):
    """A profile answer or a derived quantity; None when unanswered."""
    if field in DERIVED:
        now, before = DERIVED[field]["of"]
        if profile.get(now) is None or profile.get(before) is None:
            return None
        return profile[now] - profile[before]
    return profile.get(field)


def upper_bound_of(profile: dict, field: str):
    """The most a quantity can be when it is not known exactly.

    A derived increase ``now - before`` is at most ``now`` (amounts are never
    negative), so this year's figure alone can already rule a threshold out.

    >>> upper_bound_of({"rnd_spend": 500, "rnd_spend_prev": None}, "rnd_increase")
    500

    At the bound itself a threshold is still open (the increase may be all of it), a strict one is not:

    >>> half = {"rnd_spend": 500, "rnd_spend_prev": None}
    >>> holds({"field": "rnd_increase", "op": "gte", "value": 500}, half) is None
    True
    >>> holds({"field": "rnd_increase", "op": "gt", "value": 500}, half)
    False
    """
    value = value_of(profile, field)
    if value is not None:
        return value
    if field in DERIVED:
        return profile.get(DERIVED[field]["of"][0])
    return None


# With only an upper bound u of the value: which comparisons are already decided.
_DECIDED_BY_BOUND = {
    "gte": lambda u, b: False if u < b else None,
    "gt": lambda u, b: False if u <= b else None,
    "lt": lambda u, b: True if u < b else None,
    "lte": lambda u, b: True if u <= b else None,
}


def fields_of(cond: dict) -> list[str]:
    """The profile fields a condition reads (derived quantities expanded)."""
    if "any" in cond:
        return [f for sub in cond["any"] for f in fields_of(sub)]
    field = cond["field"]
    return list(DERIVED[field]["of"]) if field in DERIVED else [field]


def holds(cond: dict, profile: dict):
    if "any" in cond:
        results = [holds(sub, profile) for sub in cond["any"]]
        if True in results:
            return True
        return None if None in results else False
    value = value_of(profile, cond["field"])
    if value is None:
        bound = upper_bound_of(profile, cond["field"]) if cond["field"] in DERIVED else None
        decide = _DECIDED_BY_BOUND.get(cond["op"])
        return decide(bound, cond["value"]) if bound is not None and decide else None
    return _COMPARE[cond["op"]](value, cond["value"])


def label_of(field: str, lang: str) -> str:
    spec = DERIVED.get(field) or FIELD_BY_ID[field]
    return spec["label"][lang]


def _value_text(field: str, value, lang: str, names: dict | None = None) -> str:
    if isinstance(value, list):
        # Industry names hold 、 and commas themselves, so named codes are joined by semicolons.
        joiner = ("；" if lang == "zh" else "; ") if names else ("、" if lang == "zh" else ", ")
        return joiner.join(_value_text(field, v, lang, names) for v in value)
    if names and value in names:  # a code, by name: 软件和信息技术服务业（65）
        return f"{names[value][lang]}（{value}）" if lang == "zh" else f"{names[value][lang]} ({value})"
    if isinstance(value, bool):
        return {"zh": {True: "是", False: "否"}, "en": {True: "yes", False: "no"}}[lang][value]
    for option in FIELD_BY_ID.get(field, {}).get("values", []):
        if option["id"] == value:
            return option[lang]
    if isinstance(value, int):
        unit = (DERIVED.get(field) or FIELD_BY_ID[field]).get("unit")
        return money(value, lang) if unit == "yuan" else f"{value:,}"
    return str(value)


_OPS = {
    "zh": {"ne": "不是", "gt": ">", "gte": "≥", "lt": "<", "lte": "≤", "in": "属于", "contains": "包含"},
    "en": {"ne": "is not", "gt": ">", "gte": "≥", "lt": "<", "lte": "≤", "in": "is one of", "contains": "includes"},
}


def describe(cond: dict, lang: str) -> str:
    if "any" in cond:
        joiner = "，或" if lang == "zh" else "; or "
        return joiner.join(describe(sub, lang) for sub in cond["any"])
    field, op, value = cond["field"], cond["op"], cond["value"]
    label = label_of(field, lang)
    shown = _value_text(field, value, lang, cond.get("_names"))
    if op in ("eq", "contains"):  # 开展的业务：开发智能体, not "业务 包含 开发智能体"
        return f"{label}：{shown}" if lang == "zh" else f"{label}: {shown}"
    if op == "in":
        return f"{label}为{shown}之一" if lang == "zh" else f"{label}: one of {shown}"
    return f"{label} {_OPS[lang][op]} {shown}"


_PREFIXES = {"met": ("满足：", "Met: "), "failed": ("不满足：", "Not met: "),
             "missing": ("待回答：", "Unanswered: "), "plain": ("", "")}


def phrase(cond: dict, kind: str) -> dict:
    """The condition described in both languages, as met / failed / missing / plain.

    Cached on the condition: bundle data never changes once loaded, and describing
    is most of the work of evaluating a profile. Callers must not mutate the result.
    """
    cache = cond.get("_phrases")
    if cache is None:
        zh, en = describe(cond, "zh"), describe(cond, "en")
        cache = {k: {"zh": a + zh, "en": b + en} for k, (a, b) in _PREFIXES.items()}
        cond["_phrases"] = cache
    return cache[kind]
