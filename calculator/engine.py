"""A profile against every measure: status, the most each could give, why, and a total.

The bundle is the JSON the build makes from policies/*.yaml (macros/bundle.py).
``Calculator(bundle).evaluate(profile)`` returns plain JSON-compatible data; every
human-facing string is ``{"zh": …, "en": …}`` (``localize`` picks one).
"""

from __future__ import annotations

import datetime

from .conditions import fields_of, holds, phrase
from .profile import ProfileError, read_profile
from .terms import MONETARY, evaluate_term
from .text import both, money, number

STATUSES = ("eligible", "unknown", "ineligible", "not_in_force")


def _date(text):
    return datetime.date.fromisoformat(text) if text else None


class Calculator:
    """``Calculator(bundle).evaluate(profile)``.

    With ``remember=True`` it keeps each measure's last result with the answers it read, and gives it again
    while those answers are the same: a form being typed into changes a few measures at a time. Results are
    then shared between reports, so callers must not change them (the checker's worker only reads them).
    """

    def __init__(self, bundle: dict, remember: bool = False):
        self.bundle = bundle
        self.remembered = {} if remember else None  # (policy, measure) → (reads, force, gate, result)
        vocab = bundle["vocabulary"]
        self.entity_of = {k: v.get("entity") for k, v in vocab["beneficiaries"].items()}
        self.rule_names = vocab["combination_rules"]
        self.unit_labels = vocab["units"]
        self.policies = bundle["policies"]
        for policy in self.policies:
            dates = policy["dates"]
            # The earliest known start: effective, else issued, else published.
            policy["_effective"] = _date(dates["effective"]["date"] or dates["issued"]["date"]
                                         or dates["published"]["date"])
            policy["_expires"] = _date(dates["expires"]["date"])
            policy["_budget"] = any(r["rule"] == "budget-limited" for r in policy["application"])
            policy["_secondary"] = next(s for s in policy["source_texts"] if s["id"] == "main")["kind"] == "secondary"
            policy["_groups"] = {g["id"]: g for g in policy.get("groups", ())}
            for measure in policy["measures"]:
                measure["_entities"] = {self.entity_of[b] for b in measure["beneficiaries"]} - {None}
                for term in measure["benefits"]:
                    quote = term["quote"] if isinstance(term["quote"], str) else "；".join(q["text"] for q in term["quote"])
                    term["_cite"] = {"policy": policy["id"], "measure": measure["id"], "benefit": term["id"], "quote": quote}
                    if term["kind"] == "in_kind":
                        term["unit_label"] = self.unit_labels[term["unit"]]

    # -- one measure ---------------------------------------------------------
    def _in_force(self, policy, as_of):
        """(in force?, warnings, explanation step)."""
        dates, warnings = policy["dates"], []
        start, end = policy["_effective"], policy["_expires"]
        span_zh = f"{start or '生效日期不详'} 至 {end or '失效日期不详'}"
        span_en = f"{start or 'start unknown'} to {end or 'end unknown'}"
        if start is None or end is None:
            warnings.append(_warning("dates_unknown", "该政策的生效或失效日期未查到，按有效处理，请向发文单位核实。",
                                     "This policy's start or end date was not found; it is treated as in force. "
                                     "Check with the issuing office."))
        unverified = [k for k in ("effective", "expires") if dates[k]["date"] and not dates[k]["verified"]]
        if unverified:
            warnings.append(_warning("dates_unverified", f"有效期（{span_zh}）未经官方来源核实。",
                                     f"The period of validity ({span_en}) is not confirmed by an official source."))
        if start and as_of < start:
            return False, warnings, both(f"评估日期 {as_of} 早于政策生效日期 {start}。",
                                         f"The date of assessment {as_of} is before the policy takes effect on {start}.")
        if end and as_of > end:
            return False, warnings, both(f"评估日期 {as_of} 晚于政策失效日期 {end}。",
                                         f"The date of assessment {as_of} is after the policy expired on {end}.")
        if start is None and end is None:
            return True, warnings, both(f"有效期未查到，按 {as_of} 有效处理。",
                                        f"Dates of validity not found; treated as in force on {as_of}.")
        return True, warnings, both(f"有效期：{span_zh}，评估日期 {as_of} 在其内。",
                                    f"Valid {span_en}; the date of assessment {as_of} falls within it.")

    def _policy_gate(self, policy, profile):
        """What every measure of a policy asks of the profile: (failed, missing), computed once per policy."""
        failed, missing = [], []
        if policy["jurisdiction"] != "beijing" and profile["district"] is None:
            missing.append({"fields": ["district"], "text": both("待回答：注册所在区", "Unanswered: district of registration")})
        for cond in policy.get("eligibility", {}).get("conditions", ()):
            outcome = holds(cond, profile)
            if outcome is False:
                failed.append({"fields": fields_of(cond), "text": phrase(cond, "failed")})
            elif outcome is None:
                missing.append({"fields": fields_of(cond), "text": phrase(cond, "missing")})
        return failed, missing

    def _measure(self, policy, measure, profile, force, policy_gate):
        cite_base = {"policy": policy["id"], "measure": measure["id"]}
        result = {
            "policy": policy["id"], "measure": measure["id"], "number": measure["number"], "title": measure["title"],
            "categories": measure["categories"], "status": None, "max_amount": None, "period": None, "years": None,
            "explanation": [], "warnings": [], "failed": [], "missing": [], "hints": [], "benefits": [],
        }
        in_force, date_warnings, date_step = force
        result["warnings"].extend(date_warnings)
        result["explanation"].append({"text": date_step, "cite": cite_base})
        if not in_force:
            result["status"] = "not_in_force"
            return result
        if policy["_secondary"]:
            note = policy.get("source_note") or both("本措施所依据的文本并非官方发布，请以官方原文为准。",
                                                     "The text this measure is encoded from is not an official "
                                                     "publication; check the official text.")
            result["warnings"].append(_warning("secondary_source", note["zh"], note["en"]))
        if policy["_budget"]:
            result["warnings"].append(_BUDGET)
        # Who may apply.
        gate_failed, gate_missing = list(policy_gate[0]), list(policy_gate[1])
        entities = measure["_entities"]
        if not entities:
            gate_failed.append({"fields": ["entity_kinds"], "text": both("本措施面向个人或公共机构，而非企业等组织。",
                                                                         "This measure is for individuals or public bodies, not organisations.")})
        elif not entities & set(profile["entity_kinds"]):
            kinds = "、".join(sorted(entities))
            gate_failed.append({"fields": ["entity_kinds"], "text": both(
                f"不满足：主体类型须为 {kinds}", f"Not met: the organisation must be one of: {', '.join(sorted(entities))}")})
        result["failed"].extend(gate_failed)
        result["missing"].extend(gate_missing)
        # Each benefit term.
        eligible, unknown, outcomes = [], [], []
        review = False
        for term in measure["benefits"]:
            out = evaluate_term(term, profile)
            outcomes.append((term, out))
            result["benefits"].append({"id": term["id"], "label": term.get("label"), "kind": term["kind"],
                                       "status": out.status, "amount": out.amount, "bound": out.bound,
                                       "period": out.period, "years": out.years, "per": term.get("per", "enterprise")})
            if out.status == "eligible":
                eligible.append((term, out))
            elif out.status == "unknown":
                unknown.append((term, out))
        # A benefit the profile fails is explained only when no benefit of the measure is open:
        # otherwise its amounts and warnings would read as if they applied.
        open_terms = bool(eligible or unknown)
        for term, out in outcomes:
            if open_terms and out.status == "ineligible":
                continue
            cite, label = term["_cite"], term.get("label")
            for step in out.steps:
                text = step if label is None else both(f"【{label['zh']}】{step['zh']}", f"[{label['en']}] {step['en']}")
                result["explanation"].append({"text": text, "cite": cite})
            result["failed"].extend(out.failed)
            result["missing"].extend(out.missing)
            result["hints"].extend(out.hints)
            review = review or term.get("review", False)
            if term.get("per") == "project" and term["kind"] in MONETARY:
                result["warnings"].append(_PER_PROJECT)
            if term.get("rate_is_ceiling"):
                result["warnings"].append(_RATE_CEILING)
        if review:
            result["warnings"].append(_REVIEW)
        # The measure's status and amount.
        paid = [o for t, o in eligible if t["kind"] in MONETARY and o.amount is not None]
        open_money = [o for t, o in unknown if t["kind"] in MONETARY]
        if gate_failed:
            result["status"] = "ineligible"
        elif gate_missing or not eligible:
            result["status"] = "unknown" if (unknown or (gate_missing and eligible)) else "ineligible"
        elif open_money and not paid:
            result["status"] = "unknown"  # what is certain carries no amount; the money still depends on an answer
        else:
            result["status"] = "eligible"
        if result["status"] == "eligible":
            counted = eligible
            amounts = [o.amount for t, o in counted if o.amount is not None]
        elif result["status"] == "unknown":
            counted = eligible + unknown
            amounts = [o.amount if o.status == "eligible" else o.bound for t, o in counted if t["kind"] in MONETARY]
            if any(a is None for a in amounts):
                amounts = []  # unbounded until answered
        else:
            counted, amounts = [], []
        amounts = [a for a in amounts if a is not None]
        if amounts:
            amount = max(amounts) if measure.get("combine") == "best" else sum(amounts)
            if len(amounts) > 1:
                op = "取较高者" if measure.get("combine") == "best" else "合计"
                op_en = "the higher of" if measure.get("combine") == "best" else "together"
                joined = " + ".join(number(a) for a in amounts) if measure.get("combine") != "best" else \
                    " / ".join(number(a) for a in amounts)
                result["explanation"].append({"text": both(f"{op}：{joined} → {money(amount, 'zh')}",
                                                           f"{op_en.capitalize()}: {joined} → {money(amount, 'en')}"),
                                              "cite": cite_base})
            cap = measure.get("cap")
            if cap and amount > cap["amount"]:
                result["explanation"].append({"text": both(
                    f"本条合计 {number(amount)} > 单个企业上限 {number(cap['amount'])}，按上限计（{cap['quote']}）",
                    f"Together {number(amount)} > this article's cap of {number(cap['amount'])} per enterprise, "
                    f"so {money(cap['amount'], 'en')} ({cap['en']})"), "cite": {**cite_base, "quote": cap["quote"]}})
                amount = cap["amount"]
            result["max_amount"] = amount
        periods = {o.period for t, o in counted if t["kind"] in MONETARY} or {o.period for t, o in counted}
        result["period"] = periods.pop() if len(periods) == 1 else ("mixed" if periods else None)
        years = [o.years for t, o in counted if o.period == "per_year" and o.years]
        result["years"] = max(years) if years else None
        if result["status"] == "eligible" and result["max_amount"] is None:
            result["explanation"].append({"text": both("原文未写明金额：不计入合计。", "The text states no amount: not counted in the total."),
                                          "cite": cite_base})
        if result["status"] == "eligible" and open_money:
            self._hint_more(result, measure, paid, open_money)
        if result["status"] in ("ineligible", "not_in_force"):
            result["max_amount"] = None
        result["warnings"] = _unique(result["warnings"])
        return result

    def _remembered_measure(self, policy, measure, profile, force, gate):
        """_measure, or its last result when the answers it read, the dates and the policy's gate are the same.

        The answers read are recorded as they are read, so a condition reached only on some answers is
        covered too: a result is reused only when every answer on its own path is unchanged.
        """
        key = (policy["id"], measure["id"])
        hit = self.remembered.get(key)
        if hit is not None:
            reads, was_force, was_gate, result = hit
            if was_force == force and was_gate == gate and all(profile.get(f) == v for f, v in reads):
                return result
        tracked = _Reads(profile)
        result = self._measure(policy, measure, tracked, force, gate)
        self.remembered[key] = (tuple((f, profile.get(f)) for f in tracked.read), force, gate, result)
        return result

    @staticmethod
    def _hint_more(result, measure, paid, open_money):
        """An eligible measure that could give more once the open questions are answered."""
        bounds = [o.bound for o in open_money]
        if None in bounds or result["max_amount"] is None:
            return
        amounts = [o.amount for o in paid] + bounds
        most = max(amounts) if measure.get("combine") == "best" else sum(amounts)
        cap = (measure.get("cap") or {}).get("amount")
        most = min(most, cap) if cap else most
        if most > result["max_amount"]:
            fields = sorted({f for item in result["missing"] for f in item["fields"]})
            result["hints"].append(both(f"回答 {'、'.join(fields)} 后，本条最多可达 {money(most, 'zh')}。",
                                        f"Once {', '.join(fields)} is answered, this measure could give up to "
                                        f"{money(most, 'en')}."))

    # -- everything ----------------------------------------------------------
    def evaluate(self, raw_profile, today: str | None = None) -> dict:
        profile, errors = read_profile(raw_profile, today)
        if errors:
            raise ProfileError(errors)
        as_of = datetime.date.fromisoformat(profile["as_of"])
        results = []
        for policy in self.policies:
            place = policy["jurisdiction"]
            if place != "beijing" and profile["district"] not in (None, place):
                continue
            force = self._in_force(policy, as_of)
            gate = self._policy_gate(policy, profile) if force[0] else ((), ())
            for measure in policy["measures"]:
                results.append(self._measure(policy, measure, profile, force, gate) if self.remembered is None
                               else self._remembered_measure(policy, measure, profile, force, gate))
        if self.remembered is not None:
            # _total marks rows (in_total, notes on the total): on copies, so a remembered result stays as it was.
            results = [dict(r) for r in results]
        total = self._total(results)
        return {"as_of": profile["as_of"], "profile": profile, "results": results, "total": total}

    def _total(self, results: list[dict]) -> dict:
        """The sum of maximum amounts, with shared caps and 'not both' rules applied."""
        policy_of = {p["id"]: p for p in self.policies}
        candidates = [r for r in results if r["status"] == "eligible" and r["max_amount"]]
        excluded, counted = [], []
        # 从优不重复: of two similar measures (same main category) under a rule, only the larger counts.
        for r in sorted(candidates, key=lambda r: -r["max_amount"]):
            rival = next((c for c in counted if self._not_both(policy_of[r["policy"]], policy_of[c["policy"]], r, c)), None)
            if rival is None:
                counted.append(r)
                r["in_total"] = True
                continue
            rule = self._rule_between(policy_of[r["policy"]], policy_of[rival["policy"]])
            name = self.rule_names[rule["rule"]]
            reason = both(
                f"与 {rival['policy']}/{rival['measure']} 属同类支持，按“{name['zh']}”只计较高者 {number(rival['max_amount'])}（{rule['quote']}）",
                f"Similar support to {rival['policy']}/{rival['measure']}; under “{name['en']}” only the higher "
                f"{number(rival['max_amount'])} counts ({rule['en']})")
            r["in_total"] = False
            r["explanation"] = [*r["explanation"], {"text": reason, "cite": {"policy": rule["_policy"],
                                                                           "quote": rule["quote"]}}]
            excluded.append({"policy": r["policy"], "measure": r["measure"], "amount": r["max_amount"], "reason": reason})
        for r in results:
            r.setdefault("in_total", False)
        amount = sum(r["max_amount"] for r in counted)
        capped = []
        # Caps shared by a group of measures (per enterprise per year).
        for policy in self.policies:
            for group in policy.get("groups", ()):
                cap = group.get("cap")
                if not cap:
                    continue
                members = [r for r in counted if r["policy"] == policy["id"]
                           and self._group_of(policy, r["measure"]) == group["id"]]
                together = sum(r["max_amount"] for r in members)
                if together > cap["amount"]:
                    amount -= together - cap["amount"]
                    note = both(f"{policy['id']} {group['number']['zh']}各条合计 {number(together)} > 共同上限 "
                                f"{number(cap['amount'])}，合计按上限计（{cap['quote']}）",
                                f"{policy['id']} {group['number']['en']}: together {number(together)} > shared cap "
                                f"{number(cap['amount'])}, counted at the cap ({cap['en']})")
                    capped.append({"policy": policy["id"], "group": group["id"], "before": together,
                                   "after": cap["amount"], "reason": note})
                    for r in members:
                        r["explanation"] = [*r["explanation"], {"text": note, "cite": {"policy": policy["id"],
                                                                                       "quote": cap["quote"]}}]
        return {
            "amount": amount,
            "upper_bound": True,
            "counted": [f"{r['policy']}/{r['measure']}" for r in counted],
            "excluded": excluded,
            "capped": capped,
            "unknown": sum(1 for r in results if r["status"] == "unknown"),
            "note": both("上限估算，并非承诺：合计各项措施的最高额（一次性支持计一次，按年支持计一年），已扣除共同上限和“从优不重复”；"
                         "须经申报和评审，且受年度预算限制。",
                         "An upper bound, not a promise: the sum of each measure's maximum (one-off support once, yearly "
                         "support for one year), after shared caps and “not both” rules; subject to application, review "
                         "and yearly budgets."),
        }

    def _group_of(self, policy, measure_id):
        for measure in policy["measures"]:
            if measure["id"] == measure_id:
                return measure.get("group")
        return None

    def _rule_between(self, a, b):
        for p, other in ((a, b), (b, a)):
            for rule in p["combination"]:
                in_scope = (rule["scope"] == "city" and other["jurisdiction"] == "beijing") or \
                           (rule["scope"] == "district" and other["jurisdiction"] == p["jurisdiction"])
                if in_scope and p["id"] != other["id"]:
                    return {**rule, "_policy": p["id"]}
        return None

    def _not_both(self, pa, pb, ra, rb):
        return ra["categories"][0] == rb["categories"][0] and self._rule_between(pa, pb) is not None


class _Reads(dict):
    """A profile that notes the answers read from it (Calculator's remember=True)."""

    __slots__ = ("read",)

    def __init__(self, profile):
        super().__init__(profile)
        self.read = set()

    def __getitem__(self, field):
        self.read.add(field)
        return dict.__getitem__(self, field)

    def get(self, field, default=None):
        self.read.add(field)
        return dict.get(self, field, default)


def _warning(code, zh, en):
    return {"code": code, "text": both(zh, en)}


# Fixed warnings, built once (results share them; nothing mutates them).
_BUDGET = _warning("budget", "支持额度受年度总额控制。", "Amounts are subject to the yearly total budget.")
_PER_PROJECT = _warning("per_project", "金额按单个项目计算（此处按一个项目计）。",
                        "The amount is per project (counted here for one project).")
_RATE_CEILING = _warning("rate_ceiling", "原文比例为上限，实际比例可能更低。",
                         "The rate in the text is a maximum; the rate granted may be lower.")
_REVIEW = _warning("review", "须经评审认定，是否支持及具体金额以评审结果为准。",
                   "Awarded after review: whether support is given, and how much, is decided then.")


def _unique(warnings):
    seen, out = set(), []
    for w in warnings:
        if w["code"] not in seen:
            seen.add(w["code"])
            out.append(w)
    return out


def localize(value, lang: str):
    """Replace every ``{"zh": …, "en": …}`` by the one language's string.

    >>> localize({"a": [{"zh": "是", "en": "yes"}]}, "en")
    {'a': ['yes']}
    """
    if isinstance(value, dict):
        if value.keys() == {"zh", "en"}:
            return value[lang]
        return {k: localize(v, lang) for k, v in value.items()}
    if isinstance(value, list):
        return [localize(v, lang) for v in value]
    return value
