"""One benefit term against one profile: the amount, the arithmetic, and what is missing.

Every kind of term in policies/README.md has one function here. Amounts are
integer yuan; a share is rounded down, so the figure is never more than the text
allows. Status: ``eligible`` (an amount, or none where the text states none),
``ineligible`` (a condition fails), ``unknown`` (an answer is missing; ``bound``
is then the most it could give).
"""

from __future__ import annotations

import dataclasses

from .conditions import fields_of, holds, label_of, phrase, upper_bound_of, value_of
from .fields import FIELD_BY_ID
from .text import both, money, number, parse_rate, percent


@dataclasses.dataclass
class Outcome:
    status: str = "eligible"
    amount: int | None = None   # eligible: the most it gives; None where the text states no amount
    bound: int | None = None    # unknown: the most it could give once answered; None if unbounded
    period: str = "once"
    years: int | None = None
    steps: list = dataclasses.field(default_factory=list)
    failed: list = dataclasses.field(default_factory=list)
    missing: list = dataclasses.field(default_factory=list)
    hints: list = dataclasses.field(default_factory=list)
    applied: list = dataclasses.field(default_factory=list)  # the quotes of the variants that apply


def _missing(out: Outcome, fields: list[str], zh: str, en: str):
    out.missing.append({"fields": sorted(set(fields)), "text": both(zh, en)})


def _fail(out: Outcome, fields: list[str], zh: str, en: str):
    out.failed.append({"fields": sorted(set(fields)), "text": both(zh, en)})


def _check_conditions(conds: list, profile: dict, out: Outcome):
    for cond in conds:
        result = holds(cond, profile)
        if result is False:
            out.failed.append({"fields": sorted(set(fields_of(cond))), "text": phrase(cond, "failed")})
        elif result is None:
            out.missing.append({"fields": sorted(set(fields_of(cond))), "text": phrase(cond, "missing")})
        else:
            out.steps.append(phrase(cond, "met"))


def _terms_with_variants(term: dict, profile: dict, out: Outcome) -> tuple[dict, list[dict]]:
    """The term with every variant that holds applied, and the variants still unknown."""
    applied = dict(term)
    unknown = []
    for variant in term.get("variants", ()):
        result = holds(variant["when"], profile)
        if result is True:
            for key in ("rate", "cap", "years", "amount", "amount_increment"):
                if key in variant:
                    applied[key] = variant[key]
            out.steps.append(both(f"适用{variant['label']['zh']}的标准：{variant['quote']}",
                                  f"{variant['label']['en']} terms apply: “{variant['quote']}”"))
            out.applied.append(variant["quote"])
        elif result is None:
            unknown.append(variant)
    return applied, unknown


def _share(base_value: int, rate, cap, label: tuple[str, str], out: Outcome) -> int:
    raw = rate.of(base_value)
    formula = f"{number(base_value)} × {percent(rate)} = {number(raw)}"
    if cap is None:
        out.steps.append(both(f"{label[0]}：{formula}（原文未设上限）", f"{label[1]}: {formula} (the text sets no cap)"))
        return raw
    if raw > cap:
        out.steps.append(both(f"{label[0]}：{formula} > 上限 {number(cap)}，按上限计 {money(cap, 'zh')}",
                              f"{label[1]}: {formula} > cap {number(cap)}, so {money(cap, 'en')}"))
        return cap
    out.steps.append(both(f"{label[0]}：{formula} ≤ 上限 {number(cap)}", f"{label[1]}: {formula} ≤ cap {number(cap)}"))
    if rate:
        at = rate.reached_at(cap)
        out.hints.append(both(f"{label[0]}达到 {number(at)} 元时达到上限 {number(cap)} 元。",
                              f"The cap of {number(cap)} yuan is reached at {label[1].lower()} of {number(at)} yuan."))
    return raw


def _best_bound(term: dict, unknown_variants: list, key: str):
    values = [term.get(key)] + [v.get(key) for v in unknown_variants if key in v]
    values = [v for v in values if v is not None]
    return max(values) if values else None


def evaluate_share(term, profile, out):
    applied, unknown_variants = _terms_with_variants(term, profile, out)
    base = value_of(profile, term["base"])
    label = (label_of(term["base"], "zh"), label_of(term["base"], "en"))
    if base is None:
        _missing(out, [term["base"]], f"待回答：{label[0]}", f"Unanswered: {label[1]}")
        out.bound = _best_bound(applied, unknown_variants, "cap")
        return
    if base == 0:
        _fail(out, [term["base"]], f"{label[0]}为 0", f"{label[1]} is 0")
        return
    if applied["rate"] is None:
        out.amount = _share_of_unstated_rate(base, applied.get("cap"), label, out)
        return
    out.amount = _share(base, parse_rate(applied["rate"]), applied.get("cap"), label, out)
    if unknown_variants:
        best = max(_share_quiet(base, parse_rate(v.get("rate", applied["rate"])), v.get("cap", applied.get("cap")))
                   for v in unknown_variants)  # a share with variants always states its rate (validated)
        out.bound = max(out.amount, best)
        for v in unknown_variants:
            out.hints.append(_variant_hint(v))


def _variant_hint(variant: dict) -> dict:
    """What a variant not yet known to apply would give: its figures in words, the text's own beside them.

    >>> _variant_hint({"label": {"zh": "工业大模型", "en": "Industrial large model"}, "amount": 600000,
    ...                "quote": "工业大模型最高支持60万元"})["en"]
    'If Industrial large model: up to 600,000 yuan (the text: “工业大模型最高支持60万元”)'
    """
    figures = []
    if "rate" in variant:
        figures.append(f"rate {variant['rate']}")
    for key, words in (("cap", "cap"), ("amount", "up to"), ("amount_increment", "plus")):
        if key in variant:
            figures.append(f"{words} {money(variant[key], 'en')}")
    if "years" in variant:
        figures.append(f"up to {variant['years']} years")
    said = ", ".join(figures) or "more"
    return both(f"若为{variant['label']['zh']}：{variant['quote']}",
                f"If {variant['label']['en']}: {said} (the text: “{variant['quote']}”)")


def _share_of_unstated_rate(base_value: int, cap, label: tuple[str, str], out: Outcome) -> int:
    """给予一定比例: the rate is not published, so the most it can be is the base itself, within the cap.

    >>> out = Outcome(); _share_of_unstated_rate(2_000_000, 50_000_000, ("项目投资", "Project investment"), out)
    2000000
    """
    most = base_value if cap is None else min(base_value, cap)
    capped = cap is not None and base_value > cap
    out.steps.append(both(
        f"{label[0]} {number(base_value)} 元的一定比例（原文未公布比例）：至多为 {number(base_value)} 元本身"
        + (f"，且不超过上限 {number(cap)}" if cap is not None else "") + f"，即最多 {money(most, 'zh')}",
        f"A certain proportion (rate not published) of {label[1].lower()} of {number(base_value)} yuan: at most "
        f"the {number(base_value)} yuan itself" + (f", and no more than the cap of {number(cap)}" if cap is not None else "")
        + f", so up to {money(most, 'en')}"))
    if capped:
        out.hints.append(both("比例未公布，实际金额通常远低于此上限。", "The rate is not published; the amount given is "
                                                                 "usually far below this bound."))
    return most


def _share_quiet(base, rate, cap):
    raw = rate.of(base)
    return raw if cap is None else min(raw, cap)


def evaluate_fixed(term, profile, out):
    applied, unknown_variants = _terms_with_variants(term, profile, out)
    out.amount = applied["amount"]
    per = term.get("_per_label")  # set by the engine from the vocabulary's per_units
    suffix_zh, suffix_en = (f"（{per['zh']}）", f" ({per['en']})") if per else ("", "")
    out.steps.append(both(f"最高 {money(out.amount, 'zh')}{suffix_zh}", f"Up to {money(out.amount, 'en')}{suffix_en}"))
    if unknown_variants:
        out.bound = _best_bound(applied, unknown_variants, "amount")
        for v in unknown_variants:
            out.hints.append(_variant_hint(v))


def evaluate_per_unit(term, profile, out):
    count = value_of(profile, term["count"])
    label = (label_of(term["count"], "zh"), label_of(term["count"], "en"))
    unit, cap = term["amount"], term.get("cap")
    if count is None:
        _missing(out, [term["count"]], f"待回答：{label[0]}", f"Unanswered: {label[1]}")
        out.bound = cap
        return
    if count == 0:
        _fail(out, [term["count"]], f"{label[0]}为 0", f"{label[1]} is 0")
        return
    raw = count * unit
    formula = f"{count:,} × {number(unit)} = {number(raw)}"
    if cap is not None and raw > cap:
        out.steps.append(both(f"{label[0]}：{formula} > 上限 {number(cap)}，按上限计 {money(cap, 'zh')}",
                              f"{label[1]}: {formula} > cap {number(cap)}, so {money(cap, 'en')}"))
        out.amount = cap
        return
    out.steps.append(both(f"{label[0]}：{formula}" + (f" ≤ 上限 {number(cap)}" if cap is not None else ""),
                          f"{label[1]}: {formula}" + (f" ≤ cap {number(cap)}" if cap is not None else "")))
    out.amount = raw
    if cap is not None:
        at = -(-cap // unit)  # the smallest count that reaches the cap, in integers
        out.hints.append(both(f"{label[0]}达到 {at:,} 时达到上限 {number(cap)} 元。",
                              f"The cap of {number(cap)} yuan is reached at {at:,}."))


def _tier_holds(term, tier, profile):
    """True / False / None for one tier, and a description of it."""
    key = term["key"]
    if "when" in tier:
        return holds(tier["when"], profile), phrase(tier["when"], "plain")
    value = value_of(profile, key)
    label = (label_of(key, "zh"), label_of(key, "en"))
    if "value" in tier:
        shown = {"zh": tier["value"], "en": tier["value"]}
        for option in FIELD_BY_ID[key].get("values", []):
            if option["id"] == tier["value"]:
                shown = {"zh": option["zh"], "en": option["en"]}
        text = both(f"{label[0]}：{shown['zh']}", f"{label[1]}: {shown['en']}")
        if value is None:
            return None, text
        return (tier["value"] in value if isinstance(value, list) else value == tier["value"]), text
    threshold = tier["threshold"]
    if term["basis"] == "first_reach":
        prev = value_of(profile, term["prev"])
        text = both(f"{label[0]}首次达到 {money(threshold, 'zh')}", f"{label[1]} first reaches {money(threshold, 'en')}")
        if value is not None and value < threshold:
            return False, text  # last year's figure cannot change that
        if value is None or prev is None:
            return None, text
        return value >= threshold > prev, text
    text = both(f"{label[0]}达到 {money(threshold, 'zh')}", f"{label[1]} reaches {money(threshold, 'en')}")
    if value is None:
        bound = upper_bound_of(profile, key)
        return (False if bound is not None and bound < threshold else None), text
    return value >= threshold, text


def evaluate_tiers(term, profile, out):
    applied, unknown_variants = _terms_with_variants(term, profile, out)
    increment = applied.get("amount_increment", 0)
    best_increment = max([increment] + [v.get("amount_increment", 0) for v in unknown_variants])
    bound = None
    chosen = None
    open_tiers: dict = {}  # the unanswered fields → the tests of the tiers they leave open, said once
    for tier in term["tiers"]:
        result, text = _tier_holds(term, tier, profile)
        if result is None:
            bound = max(bound or 0, _tier_amount(term, tier, profile, best_increment, quiet=True) or 0)
            if "when" in tier:
                fields = fields_of(tier["when"])
            else:
                fields = fields_of({"field": term["key"]}) + ([term["prev"]] if term.get("basis") == "first_reach" else [])
            unanswered = [f for f in fields if value_of(profile, f) is None]
            partial = bool(unanswered) and len(unanswered) < len(fields)  # name what is missing, not the test
            open_tiers.setdefault((tuple(unanswered if partial else fields), partial), []).append(text)
            continue
        if result:
            chosen = (tier, text)
            break
    for (fields, partial), texts in open_tiers.items():
        tests_zh, tests_en = "；".join(x["zh"] for x in texts), "; ".join(x["en"] for x in texts)
        if partial:
            names = [(label_of(f, "zh"), label_of(f, "en")) for f in fields]
            _missing(out, list(fields), f"待回答：{'、'.join(n[0] for n in names)}（用于判断：{tests_zh}）",
                     f"Unanswered: {', '.join(n[1] for n in names)} (to tell whether: {tests_en})")
        elif len(texts) == 1:
            _missing(out, list(fields), "待回答：" + tests_zh, "Unanswered: " + tests_en)
        else:  # one question decides several tiers: one line, not one per tier
            _missing(out, list(fields), f"待回答（用于判断所达档位）：{tests_zh}",
                     f"Unanswered (to tell which tier is reached): {tests_en}")
    if chosen is None:
        if bound is None:
            _fail(out, [term["key"]], "未达到任何档位", "Reaches no tier")
            _next_tier_hint(term, profile, out, increment)
            return
        out.bound = bound
        return
    tier, text = chosen
    if "rate" in tier and value_of(profile, term["base"]) == 0:  # a share of nothing, as for a plain share
        label = (label_of(term["base"], "zh"), label_of(term["base"], "en"))
        _fail(out, [term["base"]], f"{label[0]}为 0", f"{label[1]} is 0")
        return
    out.steps.append(both("档位：" + text["zh"], "Tier: " + text["en"]))
    amount = _tier_amount(term, tier, profile, increment, out=out)
    if amount is None:  # a rate tier whose base is unanswered
        out.bound = applied.get("cap")
        return
    if out.missing:  # a higher tier (or a variant) is still possible
        out.bound = amount if bound is None else max(bound, amount)
    out.amount = amount
    if unknown_variants and best_increment > increment:
        out.bound = max(out.bound or 0, amount + best_increment - increment)
    _next_tier_hint(term, profile, out, increment)


def _tier_amount(term, tier, profile, increment, out=None, quiet=False):
    if "amount" in tier:
        amount = tier["amount"] + increment
        if out is not None:
            extra_zh = f" + 加档 {number(increment)}" if increment else ""
            extra_en = f" + {number(increment)} increment" if increment else ""
            out.steps.append(both(f"本档最高 {number(tier['amount'])}{extra_zh} = {money(amount, 'zh')}",
                                  f"This tier gives up to {number(tier['amount'])}{extra_en} = {money(amount, 'en')}"))
        return amount
    rate, cap = parse_rate(tier["rate"]), term.get("cap")
    base = value_of(profile, term["base"])
    if base is None:
        if out is not None:
            label = (label_of(term["base"], "zh"), label_of(term["base"], "en"))
            _missing(out, [term["base"]], f"待回答：{label[0]}", f"Unanswered: {label[1]}")
        return cap if quiet else None
    if quiet or out is None:
        return _share_quiet(base, rate, cap)
    return _share(base, rate, cap, (label_of(term["base"], "zh"), label_of(term["base"], "en")), out)


def _next_tier_hint(term, profile, out, increment=0):
    """How far the next tier is, and what it gives (with a variant's increment, 每档支持资金提高…)."""
    if term.get("basis") not in ("first_reach", "reached"):
        return
    value = value_of(profile, term["key"])
    if value is None:
        return
    above = [t for t in term["tiers"] if "threshold" in t and t["threshold"] > value]
    if not above:
        return
    nxt = min(above, key=lambda t: t["threshold"])
    gap = nxt["threshold"] - value
    label = (label_of(term["key"], "zh"), label_of(term["key"], "en"))
    amount = nxt["amount"] + increment if "amount" in nxt else None
    tail_zh = f"，该档最高 {money(amount, 'zh')}" if amount is not None else ""
    tail_en = f", which gives up to {money(amount, 'en')}" if amount is not None else ""
    out.hints.append(both(f"下一档：{label[0]} {number(nxt['threshold'])} 元，还差 {number(gap)} 元{tail_zh}。",
                          f"Next tier: {label[1]} of {number(nxt['threshold'])} yuan, {number(gap)} yuan away{tail_en}."))


def evaluate_described(term, profile, out):
    description = term["description"]
    if term["kind"] == "in_kind":
        out.steps.append(both(f"实物支持：{description['zh']}（{term['quantity']:g} {term['unit_label']['zh']}）",
                              f"In kind: {description['en']} ({term['quantity']:g} {term['unit_label']['en']})"))
    elif term["kind"] == "unspecified":
        out.steps.append(both(f"有资金支持，但原文未写明金额或比例：{description['zh']}",
                              f"Funding is promised but the text states no amount or rate: {description['en']}"))
    else:
        out.steps.append(both(f"非资金支持：{description['zh']}", f"Non-monetary support: {description['en']}"))


KINDS = {
    "share": evaluate_share,
    "fixed": evaluate_fixed,
    "per_unit": evaluate_per_unit,
    "tiers": evaluate_tiers,
    "in_kind": evaluate_described,
    "non_monetary": evaluate_described,
    "unspecified": evaluate_described,
}

MONETARY = {"share", "fixed", "per_unit", "tiers"}


def evaluate_term(term: dict, profile: dict) -> Outcome:
    out = Outcome(period=term["period"], years=term.get("years"))
    _check_conditions(term.get("conditions", ()), profile, out)
    KINDS[term["kind"]](term, profile, out)
    for variant in term.get("variants", ()):
        if holds(variant["when"], profile) is True and "years" in variant:
            out.years = variant["years"]
    if out.failed:
        out.status, out.amount, out.bound = "ineligible", None, None
    elif out.missing:
        out.status = "unknown"
        if out.bound is None and out.amount is not None:
            out.bound = out.amount
        out.amount = None
    return out
