"""A profile against every measure: status, the most each could give, why, and an honest total.

The bundle is the JSON the build makes from policies/*.yaml (macros/bundle.py).
``Calculator(bundle).evaluate(profile)`` returns plain JSON-compatible data; every
human-facing string is ``{"zh": …, "en": …}`` (``localize`` picks one).

A measure's status says what the company may do; its ``parts`` say what kind of
money its amount is. The headline ``total.amount`` counts only entitlements: the
document's own wording, a policy known to be in force, every stated condition
answered and met, nothing the checker does not ask. Every other amount goes to one
labelled sub-total (``BUCKETS``), so that nothing is promised that the text does
not give.
"""

from __future__ import annotations

import datetime

from .conditions import fields_of, holds, phrase
from .fields import FIELD_BY_ID, FIELDS
from .profile import ProfileError, read_profile
from .terms import MONETARY, evaluate_term
from .text import both, money, number

# eligible: may apply (everything the text requires was asked and is met); conditional: may apply if the
# requirements listed, which the checker does not ask, are met; unknown: questions to answer; ineligible: a
# condition fails; not_in_force: outside the policy's dates; programme: a government programme, no company
# applies for it.
STATUSES = ("eligible", "conditional", "unknown", "ineligible", "not_in_force", "programme")
OPEN = ("eligible", "conditional")

# Where an amount counts, strongest first. A term goes to the first that applies reading from the end:
# a secondary summary's figure, then a policy of unknown validity, then a competitive award, then unasked
# requirements; what is left is an entitlement, the only money in the headline total.
BUCKETS = ("entitled", "conditional", "competitive", "validity_unknown", "secondary_source")
# Buckets decided by the policy (its source, its dates), never by the answers.
APART_WHATEVER_THE_ANSWERS = ("validity_unknown", "secondary_source")
BUCKET_LABELS = {
    "entitled": both("按规定可得", "Entitlements"),
    "conditional": both("另须满足未询问的要求", "Depends on requirements the checker does not ask"),
    "competitive": both("竞争性评选，仅入选者获得", "Competitive: only those selected receive it"),
    "validity_unknown": both("政策有效期未查到", "Policies whose period of validity is not known"),
    "secondary_source": both("金额仅见于第三方摘要", "Amounts known only from a secondary summary"),
}


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
        self.date_rules = vocab["date_rules"]
        self.policies = bundle["policies"]
        _name_codes(self.policies, vocab["industries"])
        for policy in self.policies:
            self._prepare(policy, vocab)

    def _prepare(self, policy, vocab):
        """Everything about a policy that no answer changes, worked out once."""
        dates = policy["dates"]
        # The earliest known start: effective, else issued, else published.
        start_key = next((k for k in ("effective", "issued", "published") if dates.get(k, {}).get("date")), None)
        policy["_start"] = (start_key, _date(dates[start_key]["date"])) if start_key else (None, None)
        bounds = [(k, _date(d["not_before"])) for k, d in dates.items() if d.get("not_before")]
        policy["_not_before"] = max(bounds, key=lambda kb: kb[1]) if bounds else (None, None)
        policy["_expires"] = _date(dates["expires"]["date"])
        policy["_budget"] = any(r["rule"] == "budget-limited" for r in policy["application"])
        kinds = {s["id"]: s["kind"] for s in policy["source_texts"]}
        policy["_main_kind"] = kinds["main"]
        policy["_groups"] = {g["id"]: g for g in policy.get("groups", ())}
        policy["_measure_group"] = {m["id"]: m.get("group") for m in policy["measures"]}
        eligibility = policy.get("eligibility", {})
        policy["_requirements"] = [self._requirement(r, {"policy": policy["id"]}, vocab)
                                   for r in eligibility.get("requirements", ())]
        policy["_fields"], policy["_choices"] = _fields_read(eligibility.get("conditions", ()))
        for measure in policy["measures"]:
            self._who(measure)
            measure["_fields"], measure["_choices"] = _fields_read(
                [c for term in measure["benefits"] for c in _term_conditions(term)], measure["benefits"])
            cite = {"policy": policy["id"], "measure": measure["id"]}
            measure["_requirements"] = [self._requirement(r, cite, vocab) for r in measure.get("requirements", ())]
            for term in measure["benefits"]:
                quote = term["quote"] if isinstance(term["quote"], str) else "；".join(q["text"] for q in term["quote"])
                term["_cite"] = {**cite, "benefit": term["id"], "quote": quote}
                term["_secondary"] = kinds[term.get("source", "main")] == "secondary"
                term["_requirements"] = [self._requirement(r, term["_cite"], vocab) for r in term.get("requirements", ())]
                if "beneficiaries" in term:  # a term for narrower recipients than its measure
                    self._who(term)
                per = term.get("per", "enterprise")
                if per != "enterprise":
                    term["_per_label"] = vocab["per_units"][per]
                if term["kind"] == "in_kind":
                    term["unit_label"] = vocab["units"][term["unit"]]

    def _who(self, record):
        """The kinds of organisation a measure (or one of its terms) is for."""
        entities = {self.entity_of[b] for b in record["beneficiaries"]} - {None}
        record["_any_organisation"] = "any" in entities
        record["_entities"] = entities - {"any"}

    @staticmethod
    def _requirement(req, cite, vocab):
        quote = req["quote"] if isinstance(req["quote"], str) else "；".join(q["text"] for q in req["quote"])
        return {"id": req["id"], "kind": req["kind"], "kind_label": vocab["requirement_kinds"][req["kind"]],
                "label": req["label"], "quote": quote, "cite": {**cite, "quote": quote}}

    # -- dates ---------------------------------------------------------------
    def _date_words(self, entry, day):
        """A date with what the reader must know of it: derived, unverified."""
        notes_zh, notes_en = [], []
        derived = entry.get("derived")
        if derived:
            rule = self.date_rules[derived["rule"]]
            notes_zh.append(f"{rule['zh']}：“{derived['quote']}”")
            notes_en.append(f"{rule['en'].lower()}: “{derived['quote']}”")
        if entry.get("date") and not entry["verified"]:
            notes_zh.append("未经官方来源核实")
            notes_en.append("not confirmed by an official source")
        zh = f"{day}（{'；'.join(notes_zh)}）" if notes_zh else str(day)
        en = f"{day} ({'; '.join(notes_en)})" if notes_en else str(day)
        return zh, en

    def _in_force(self, policy, as_of):
        """(in force?, warnings, explanation step, validity known?)."""
        dates, warnings = policy["dates"], []
        start_key, start = policy["_start"]
        bound_key, not_before = policy["_not_before"]
        end = policy["_expires"]
        if start:
            start_zh, start_en = self._date_words(dates[start_key], start)
        elif not_before:
            bound_zh, bound_en = self._date_words(dates[bound_key], not_before)
            start_zh, start_en = f"生效日期未查到（不早于 {bound_zh}）", f"start not found (not before {bound_en})"
        else:
            start_zh, start_en = "生效日期未查到", "start not found"
        end_zh, end_en = self._date_words(dates["expires"], end) if end else ("失效日期未查到", "end not found")
        known = start is not None and end is not None
        if not known:
            warnings.append(_warning("dates_unknown", "该政策的有效期未查到，是否仍然有效须向发文单位核实；其金额不计入合计。",
                                     "This policy's period of validity was not found: check with the issuing office "
                                     "whether it is in force. Its amounts are not counted in the total."))
        if any(dates[k]["date"] and (not dates[k]["verified"] or dates[k].get("derived")) for k in ("effective", "expires")):
            # Start and end as sentences of their own: each may carry its own bracketed note.
            warnings.append(_warning("dates_unverified", f"有效期未经官方来源确认。开始：{start_zh}；结束：{end_zh}。",
                                     f"The period of validity is not confirmed by an official source. Start: "
                                     f"{start_en}; end: {end_en}."))
        if start and as_of < start:
            return False, warnings, both(f"评估日期 {as_of} 早于政策生效日期 {start_zh}。",
                                         f"The date of assessment {as_of} is before the policy takes effect on "
                                         f"{start_en}."), known
        if not start and not_before and as_of < not_before:
            return False, warnings, both(f"评估日期 {as_of} 早于本文件最早可能生效的日期 {bound_zh}。",
                                         f"The date of assessment {as_of} is before the earliest date this document "
                                         f"can have taken effect: {bound_en}."), known
        if end and as_of > end:
            return False, warnings, both(f"评估日期 {as_of} 晚于政策失效日期 {end_zh}。",
                                         f"The date of assessment {as_of} is after the policy ended: {end_en}."), known
        if not known:
            return True, warnings, both(f"有效期：{start_zh} 至 {end_zh}。评估日期 {as_of} 是否在有效期内无法确定。",
                                        f"Valid {start_en} to {end_en}: whether {as_of} falls within it cannot be "
                                        "told."), known
        return True, warnings, both(f"有效期：{start_zh} 至 {end_zh}，评估日期 {as_of} 在其内。",
                                    f"Valid {start_en} to {end_en}; the date of assessment {as_of} falls within it."), known

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

    # -- one measure ---------------------------------------------------------
    def _who_may_apply(self, measure, profile):
        """Failed conditions on the kind of organisation (of a measure, or of a term that names its own)."""
        if measure["_any_organisation"]:
            return []
        entities = measure["_entities"]
        if not entities:
            return [{"fields": ["entity_kinds"], "text": both("本措施面向个人或公共机构，而非企业等组织。",
                                                              "This measure is for individuals or public bodies, not organisations.")}]
        if entities & set(profile["entity_kinds"]):
            return []
        return [{"fields": ["entity_kinds"], "text": self._kind_text(entities)}]

    @staticmethod
    def _kind_text(entities):
        names = {v["id"]: v for v in FIELD_BY_ID["entity_kinds"]["values"]}
        chosen = [names[e] for e in sorted(entities, key=list(names).index)]
        return both(f"不满足：本措施的申报主体须为{'或'.join(v['zh'] for v in chosen)}",
                    f"Not met: this measure is for: {' or '.join(v['en'].lower() for v in chosen)}")

    def _measure(self, policy, measure, profile, force, policy_gate):
        cite_base = {"policy": policy["id"], "measure": measure["id"]}
        result = {
            "policy": policy["id"], "measure": measure["id"], "number": measure["number"], "title": measure["title"],
            "categories": measure["categories"], "status": None, "max_amount": None, "period": None, "periods": [],
            "years": None, "awards": [], "parts": {}, "apart": [], "requirements": [],
            "explanation": [], "warnings": [], "failed": [], "missing": [], "hints": [], "benefits": [],
        }
        in_force, date_warnings, date_step, known = force
        result["warnings"].extend(date_warnings)
        result["explanation"].append({"text": date_step, "cite": cite_base})
        if not in_force:
            result["status"] = "not_in_force"
            return result
        company = [t for t in measure["benefits"] if t["award"] != "programme"]
        for term in measure["benefits"]:
            if term["award"] == "programme":
                result["explanation"].append({"text": both(f"政府组织实施的工作，企业无需申请：{term['description']['zh']}",
                                                           f"A government programme; no company applies for it: "
                                                           f"{term['description']['en']}"), "cite": term["_cite"]})
        if not company:
            result["status"] = "programme"
            result["awards"] = ["programme"]
            return result
        if policy["_main_kind"] in ("secondary", "collected"):
            note = policy.get("source_note") or both("本措施所依据的文本并非官方发布，请以官方原文为准。",
                                                     "The text this measure is encoded from is not an official "
                                                     "publication; check the official text.")
            code = "secondary_source" if policy["_main_kind"] == "secondary" else "collected_text"
            result["warnings"].append(_warning(code, note["zh"], note["en"]))
        if policy["_budget"] and any(b["kind"] not in ("in_kind", "non_monetary") for b in measure["benefits"]):
            result["warnings"].append(_BUDGET)  # a yearly budget limits money, not a service or a space
        gate_failed = list(policy_gate[0]) + self._who_may_apply(measure, profile)
        gate_missing = list(policy_gate[1])
        result["failed"].extend(gate_failed)
        result["missing"].extend(gate_missing)
        # Each benefit term.
        eligible, unknown, outcomes = [], [], []
        for term in company:
            out = evaluate_term(term, profile)
            if "_entities" in term and out.status != "ineligible":
                failed = self._who_may_apply(term, profile)
                if failed:
                    out.failed.extend(failed)
                    out.status, out.amount, out.bound = "ineligible", None, None
            outcomes.append((term, out))
            result["benefits"].append({"id": term["id"], "label": term.get("label"), "kind": term["kind"],
                                       "award": term["award"], "status": out.status, "amount": out.amount,
                                       "bound": out.bound, "period": out.period, "years": out.years,
                                       "per": term.get("per", "enterprise")})
            if out.status == "eligible":
                eligible.append((term, out))
            elif out.status == "unknown":
                unknown.append((term, out))
        # A benefit the profile fails is explained only when no benefit of the measure is open:
        # otherwise its amounts and warnings would read as if they applied.
        open_terms = bool(eligible or unknown)
        requirements = list(policy["_requirements"]) + list(measure["_requirements"])
        for term, out in outcomes:
            if open_terms and out.status == "ineligible":
                continue
            self._explain_term(result, term, out)
            requirements.extend(term["_requirements"])
        if measure.get("note"):
            result["warnings"].append(_warning("note", measure["note"]["zh"], measure["note"]["en"]))
        result["requirements"] = _unique_requirements(requirements)
        # The measure's status.
        paid = [o for t, o in eligible if t["kind"] in MONETARY and o.amount is not None]
        open_money = [o for t, o in unknown if t["kind"] in MONETARY]
        if gate_failed:
            result["status"] = "ineligible"
        elif gate_missing or not eligible:
            result["status"] = "unknown" if (unknown or (gate_missing and eligible)) else "ineligible"
        elif open_money and not paid:
            result["status"] = "unknown"  # what is certain carries no amount; the money still depends on an answer
        else:
            result["status"] = "conditional" if result["requirements"] else "eligible"
        # The measure's amount, and where it counts.
        if result["status"] in OPEN:
            counted = eligible
            values = [(t, o.amount) for t, o in counted if t["kind"] in MONETARY and o.amount is not None]
        elif result["status"] == "unknown":
            counted = eligible + unknown
            values = [(t, o.amount if o.status == "eligible" else o.bound) for t, o in counted if t["kind"] in MONETARY]
            if any(v is None for _, v in values):
                values = []  # unbounded until answered
        else:
            counted, values = [], []
        if values:
            parts = self._parts(policy, measure, values, known, bool(policy["_requirements"] or measure["_requirements"]),
                                result, cite_base)
            result["max_amount"] = sum(parts.values())
            if result["status"] in OPEN:
                result["parts"] = parts
            else:  # needs answers: where its amount will count already known when the policy, not the company, decides
                result["apart"] = [b for b in parts if b in APART_WHATEVER_THE_ANSWERS]
        awards = {t["award"] for t, _ in counted}
        result["awards"] = [a for a in ("entitlement", "competitive", "pool", "in-kind", "non-monetary") if a in awards]
        periods = [o.period for t, o in counted if t["kind"] in MONETARY] or [o.period for t, o in counted]
        result["periods"] = [p for p in ("once", "per_year", "unstated") if p in periods]
        result["period"] = (result["periods"][0] if len(result["periods"]) == 1
                            else ("mixed" if result["periods"] else None))
        years = [o.years for t, o in counted if o.period == "per_year" and o.years]
        result["years"] = max(years) if years else None
        # 最高200万元…连续支持不超过2年: per year, or for the two years together? The reader is told.
        result["cap_scope_unstated"] = any(t.get("cap_scope") == "unstated" for t, o in counted
                                           if o.period == "per_year")
        if result["status"] in OPEN and result["max_amount"] is None:
            result["explanation"].append({"text": both("原文未写明可得金额：不计入合计。",
                                                       "The text states no amount one company can receive: not counted "
                                                       "in the total."), "cite": cite_base})
        if result["status"] in OPEN and open_money:
            self._hint_more(result, measure, paid, open_money)
        if result["status"] in ("ineligible", "not_in_force"):
            result["max_amount"] = None
        result["warnings"] = _unique(result["warnings"])
        return result

    @staticmethod
    def _explain_term(result, term, out):
        cite, label = term["_cite"], term.get("label")
        if out.applied:  # a variant's figures rest on its own words too
            cite = {**cite, "quote": "；".join([cite["quote"], *out.applied])}

        def add(step):
            text = step if label is None else both(f"【{label['zh']}】{step['zh']}", f"[{label['en']}] {step['en']}")
            result["explanation"].append({"text": text, "cite": cite})

        for step in out.steps:
            add(step)
        if term["award"] == "competitive":
            add(both("竞争性评选：只有入选者获得，上述金额是入选后的上限，并非应得。",
                     "A competitive award: only those selected receive it; the amount above is the most a selected "
                     "applicant may get, not a due."))
            result["warnings"].append(_COMPETITIVE)
            if term.get("places"):
                add(both(f"名额：{term['places']['quote']}", f"Places: {term['places']['en']}"))
        if term["award"] == "pool":
            pool = term["pool"]
            add(both(f"全市资金池：{pool['quote']}。这是全部申请者共享的总额，并非单个企业可得的金额。",
                     f"A city-wide pool: {pool['en']}. It is shared by every applicant; it is not one company's amount."))
            result["warnings"].append(_POOL)
        if term.get("note"):  # a caveat the reader needs: shown (and printed) with the warnings
            result["warnings"].append(_warning(f"note:{term['id']}", term["note"]["zh"], term["note"]["en"]))
        result["failed"].extend(out.failed)
        result["missing"].extend(out.missing)
        result["hints"].extend(out.hints)
        if term["kind"] in MONETARY and "_per_label" in term:
            per = term["_per_label"]
            result["warnings"].append(_warning(f"per_{term['per']}", f"金额按{per['zh']}计算（此处按一个计）。",
                                               f"The amount is {per['en']} (counted here for one)."))
        if term.get("rate_is_ceiling"):
            result["warnings"].append(_RATE_CEILING)

    def _parts(self, policy, measure, values, known, shared_requirements, result, cite_base):
        """The measure's amount split by where it counts (BUCKETS), after its claims and its cap.

        Terms that share a ``claim`` are alternatives for one project or loan: one of them is paid. A weaker
        kind of money then counts only what it would add to the stronger alternatives.
        """
        claims: dict[str, list] = {}
        for term, value in values:
            bucket = self._bucket(term, known, shared_requirements or bool(term["_requirements"]))
            claims.setdefault(term.get("claim") or f"#{term['id']}", []).append((term, bucket, value))
        parts: dict[str, int] = {}
        for items in claims.values():
            if len(items) > 1:
                best = max(v for _, _, v in items)
                result["explanation"].append({"text": both(
                    f"同一项目只能择一申报，取较高者：{' / '.join(number(v) for _, _, v in items)} → {money(best, 'zh')}",
                    f"One project, one claim: the higher of {' / '.join(number(v) for _, _, v in items)} → "
                    f"{money(best, 'en')}"), "cite": cite_base})
            given = 0
            for bucket in BUCKETS:
                rank = BUCKETS.index(bucket)
                best = max((v for _, b, v in items if BUCKETS.index(b) <= rank), default=0)
                if best > given:
                    parts[bucket] = parts.get(bucket, 0) + best - given
                    given = best
        together = sum(parts.values())
        if len(claims) > 1:
            result["explanation"].append({"text": both(
                f"合计：{' + '.join(number(v) for v in _claim_values(claims))} → {money(together, 'zh')}",
                f"Together: {' + '.join(number(v) for v in _claim_values(claims))} → {money(together, 'en')}"),
                "cite": cite_base})
        cap = measure.get("cap")
        if cap and together > cap["amount"]:
            result["explanation"].append({"text": both(
                f"本条合计 {number(together)} > 上限 {number(cap['amount'])}，按上限计（{cap['quote']}）",
                f"Together {number(together)} > this measure's cap of {number(cap['amount'])}, "
                f"so {money(cap['amount'], 'en')} ({cap['en']})"), "cite": {**cite_base, "quote": cap["quote"]}})
            excess = together - cap["amount"]
            for bucket in reversed(BUCKETS):  # the weakest money gives way first
                cut = min(excess, parts.get(bucket, 0))
                if cut:
                    parts[bucket] -= cut
                    excess -= cut
            parts = {b: a for b, a in parts.items() if a}
        return parts

    @staticmethod
    def _bucket(term, known, has_requirements):
        if term["_secondary"]:
            return "secondary_source"
        if not known:
            return "validity_unknown"
        if term["award"] == "competitive":
            return "competitive"
        if has_requirements:
            return "conditional"
        return "entitled"

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
        """A measure that may apply and could give more once the open questions are answered."""
        bounds = [o.bound for o in open_money]
        if None in bounds or result["max_amount"] is None:
            return
        most = sum(o.amount for o in paid) + sum(bounds)
        cap = (measure.get("cap") or {}).get("amount")
        most = min(most, cap) if cap else most
        if most > result["max_amount"]:
            result["hints"].append(both(f"回答“待回答的问题”后，本条最多可达 {money(most, 'zh')}。",
                                        f"Once the questions to answer are answered, this measure could give up to "
                                        f"{money(most, 'en')}."))

    # -- everything ----------------------------------------------------------
    def evaluate(self, raw_profile, today: str | None = None) -> dict:
        notices: list = []
        profile, errors = read_profile(raw_profile, today, notices)
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
            # _total marks rows (in_total, counted, notes on the total): on copies, so a remembered result
            # stays as it was.
            results = [dict(r) for r in results]
        total = self._total(results)
        questions, choices = self.questions(profile, with_choices=True)
        return {"as_of": profile["as_of"], "profile": profile, "notices": notices, "results": results, "total": total,
                "questions": questions, "choices": choices}

    def questions(self, profile: dict, with_choices: bool = False):
        """The questions whose answer can still change a result, given the answers that decide the most: the
        date, the district, the kind of organisation and the industry (a policy elsewhere, not in force, or
        whose industry or organisation fails, asks nothing more), in the order of the form. ``with_choices``:
        also, for each multiple-choice question, the choices that can still matter.

        >>> from calculator.bundle import default_bundle
        >>> asked = Calculator(default_bundle()).questions({"as_of": "2026-06-30", "district": "haidian",
        ...     "entity_kinds": ["enterprise"], "industry_code": "52"})
        >>> "compute_spend" in asked, "incubated_companies" in asked
        (False, False)
        """
        profile = {f["id"]: profile.get(f["id"]) for f in FIELDS} | {k: v for k, v in profile.items()}
        if profile.get("entity_kinds") is None:
            profile["entity_kinds"] = ["enterprise"]
        as_of = datetime.date.fromisoformat(profile["as_of"])
        wanted, choices = set(_DECISIVE), {}

        def take(record):
            wanted.update(record["_fields"])
            for field, values in record["_choices"].items():
                choices.setdefault(field, set()).update(values)

        for policy in self.policies:
            place = policy["jurisdiction"]
            if place != "beijing" and profile["district"] not in (None, place):
                continue
            if not self._in_force(policy, as_of)[0]:
                continue
            take(policy)
            if self._policy_gate(policy, profile)[0]:
                continue
            for measure in policy["measures"]:
                if not self._who_may_apply(measure, profile):
                    take(measure)
        asked = [f["id"] for f in FIELDS if f["id"] in wanted]
        if not with_choices:
            return asked
        order = {f["id"]: [v["id"] for v in f.get("values", ())] for f in FIELDS}
        return asked, {f: [v for v in order[f] if v in values] for f, values in sorted(choices.items())}

    def _total(self, results: list[dict]) -> dict:
        """The headline total (entitlements) and one sub-total per other kind of money, each after the 'not
        both' rules and shared caps."""
        policy_of = {p["id"]: p for p in self.policies}
        for r in results:
            r["in_total"] = False
            r["counted"] = {}
        done = []  # (row, bucket, amount counted)
        group_used: dict = {}
        sections = {}
        for bucket in BUCKETS:
            section = {"label": BUCKET_LABELS[bucket], "amount": 0, "counted": [], "excluded": [], "capped": []}
            here = []
            candidates = [r for r in results if r["status"] in OPEN and r["parts"].get(bucket)]
            for r in sorted(candidates, key=lambda r: -r["parts"][bucket]):
                amount = r["parts"][bucket]
                rivals = [(c, b, a) for c, b, a in done
                          if c is not r and self._not_both(policy_of[r["policy"]], policy_of[c["policy"]], r, c)]
                if rivals:
                    rival, rival_bucket, rival_amount = max(rivals, key=lambda x: x[2])
                    rule = self._rule_between(policy_of[r["policy"]], policy_of[rival["policy"]])
                    name = self.rule_names[rule["rule"]]
                    excess = amount - rival_amount if rival_bucket != bucket else 0
                    reason = both(
                        f"与 {rival['policy']}/{rival['measure']} 属同类支持，按“{name['zh']}”只计较高者"
                        f"（{rule['quote']}）" + (f"：此处只计高出的 {number(excess)}" if excess > 0 else ""),
                        f"Similar support to {rival['policy']}/{rival['measure']}; under “{name['en']}” only the "
                        f"higher counts ({rule['en']})" + (f": only the {number(excess)} above it counts here"
                                                          if excess > 0 else ""))
                    r["explanation"] = [*r["explanation"], {"text": reason, "cite": {"policy": rule["_policy"],
                                                                                   "quote": rule["quote"]}}]
                    if excess <= 0:
                        section["excluded"].append({"policy": r["policy"], "measure": r["measure"], "amount": amount,
                                                    "reason": reason})
                        continue
                    amount = excess
                here.append((r, amount))
                done.append((r, bucket, amount))
            total = sum(a for _, a in here)
            # Caps shared by a group of measures (per enterprise per year), across every kind of money.
            for policy in self.policies:
                for group in policy.get("groups", ()):
                    cap = group.get("cap")
                    if not cap:
                        continue
                    members = [(r, a) for r, a in here if r["policy"] == policy["id"]
                               and policy_of[r["policy"]]["_measure_group"].get(r["measure"]) == group["id"]]
                    together = sum(a for _, a in members)
                    key = (policy["id"], group["id"])
                    room = cap["amount"] - group_used.get(key, 0)
                    if together > room:
                        total -= together - room
                        note = both(f"{policy['id']} {group['number']['zh']}各条合计 {number(together)} > 共同上限 "
                                    f"{number(cap['amount'])}{'（已计入其他合计的部分已扣除）' if room < cap['amount'] else ''}，"
                                    f"按上限计（{cap['quote']}）",
                                    f"{policy['id']} {group['number']['en']}: together {number(together)} > shared cap "
                                    f"{number(cap['amount'])}" + (" (less what another total already counts)"
                                                                  if room < cap["amount"] else "") +
                                    f", counted at the cap ({cap['en']})")
                        section["capped"].append({"policy": policy["id"], "group": group["id"], "before": together,
                                                  "after": room, "reason": note})
                        for r, _ in members:
                            r["explanation"] = [*r["explanation"], {"text": note, "cite": {"policy": policy["id"],
                                                                                           "quote": cap["quote"]}}]
                    group_used[key] = group_used.get(key, 0) + min(together, room)
            for r, a in here:
                r["counted"] = {**r["counted"], bucket: a}
                if bucket == "entitled":
                    r["in_total"] = True
            section["amount"] = total
            section["counted"] = [f"{r['policy']}/{r['measure']}" for r, _ in here]
            sections[bucket] = section
        head = sections.pop("entitled")
        return {
            "amount": head["amount"],
            "upper_bound": True,
            "counted": head["counted"],
            "excluded": head["excluded"],
            "capped": head["capped"],
            **sections,
            "unknown": sum(1 for r in results if r["status"] == "unknown"),
            "note": both("合计只计按规定可得的金额：政策原文（官方发布或全文转载）所载、评估日期确知在有效期内、所列条件均已回答且满足、"
                         "并且没有本工具未询问的要求。竞争性评选、须满足未询问的要求、有效期未查到、金额仅见于第三方摘要的，分别另计，"
                         "不计入合计。所有金额都是上限估算，并非承诺：一次性支持计一次，按年支持计一年，已扣除共同上限和“从优不重复”，"
                         "须经申报和审核，且受年度预算限制。",
                         "The total counts only entitlements: amounts in the document's own wording (an official "
                         "publication or a full copy), of a policy known to be in force on the date of assessment, with "
                         "every stated condition answered and met and no requirement this checker does not ask. "
                         "Competitive awards, amounts that depend on requirements not asked, policies of unknown "
                         "validity and amounts known only from a secondary summary are shown apart, not in the total. "
                         "Every amount is an upper bound, not a promise: one-off support once, yearly support for one "
                         "year, after shared caps and “not both” rules; subject to application, checks and yearly "
                         "budgets."),
        }

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


# The questions asked first: they decide which policies and measures can apply at all.
_DECISIVE = ("as_of", "district", "entity_kinds", "industry_code")


def _term_conditions(term) -> list:
    conds = list(term.get("conditions", ())) + [v["when"] for v in term.get("variants", ())]
    return conds + [t["when"] for t in term.get("tiers", ()) if "when" in t]


def _fields_read(conditions, terms=()) -> tuple[set, dict]:
    """Every profile field some conditions and terms can read (bases, counts, tier keys), and for the
    multiple-choice ones the values they test."""
    fields, choices = set(), {}

    def walk(cond):
        if "any" in cond:
            for sub in cond["any"]:
                walk(sub)
            return
        fields.update(fields_of(cond))
        values = cond["value"] if isinstance(cond["value"], list) else [cond["value"]]
        if FIELD_BY_ID.get(cond["field"], {}).get("type") == "set":
            choices.setdefault(cond["field"], set()).update(values)

    for cond in conditions:
        walk(cond)
    for term in terms:
        for key in ("base", "count", "key", "prev"):
            if key in term:
                fields.update(fields_of({"field": term[key]}))
        if term.get("basis") == "value":  # tiers by a choice: every tier's value
            choices.setdefault(term["key"], set()).update(t["value"] for t in term["tiers"] if "value" in t)
        if "beneficiaries" in term:
            fields.add("entity_kinds")
    return fields, choices


def _claim_values(claims):
    return [max(v for _, _, v in items) for items in claims.values()]


def _unique_requirements(requirements):
    seen, out = set(), []
    for req in requirements:
        key = (req["label"]["zh"], req["quote"])
        if key not in seen:
            seen.add(key)
            out.append(req)
    return out


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
_RATE_CEILING = _warning("rate_ceiling", "原文比例为上限，实际比例可能更低。",
                         "The rate in the text is a maximum; the rate granted may be lower.")
_COMPETITIVE = _warning("competitive", "竞争性评选：只有入选者获得，金额不计入合计。",
                        "Competitive: only those selected receive it; not counted in the total.")
_POOL = _warning("pool", "全市资金池由全部申请者共享，原文未写明单个企业可得多少。",
                 "A city-wide pool shared by every applicant; the text does not say how much one company can get.")


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


def _name_codes(node, names: dict) -> None:
    """Give every condition on a code field the codes' names, so results say 软件和信息技术服务业（65）."""
    if isinstance(node, dict):
        if FIELD_BY_ID.get(node.get("field"), {}).get("type") == "code":
            node["_names"] = names
        for child in node.values():
            if child is not names:
                _name_codes(child, names)
    elif isinstance(node, list):
        for child in node:
            _name_codes(child, names)
