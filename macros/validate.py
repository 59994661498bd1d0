"""Validation of policies/*.yaml: the JSON Schema, then what a schema cannot say.

Run as ``python -m macros.validate [FOLDER]``: one line per problem,
``file:line: field: message``, and exit status 1 when there is any.
``load_policies()`` is what the site and the data bundle call: it returns the
validated policies or raises ``InvalidPolicies`` with every problem, so a
broken file never yields a partial site.
"""

from __future__ import annotations

import datetime
import json
import pathlib
import re
import sys

import jsonschema
from jsonschema.exceptions import best_match

from calculator.fields import DERIVED, FIELD_BY_ID

from . import guards
from .amounts import find_amounts
from .loader import (
    POLICY_DIR,
    SCHEMA_DIR,
    InvalidVocabulary,
    PolicyDocument,
    Problem,
    field_name,
    industry_names,
    load_vocabulary,
    misnamed_policy_files,
    policy_files,
    read_policy_file,
)
from .todo import is_draft, leftovers, placeholders, todo_problems, under

SCHEMA = json.loads((SCHEMA_DIR / "policy.schema.json").read_text(encoding="utf-8"))
_VALIDATOR = jsonschema.validators.extend(jsonschema.Draft202012Validator, type_checker=guards.STRICT_TYPES)(SCHEMA)

_RATE = re.compile(r"(\d+(?:\.\d+)?)\s*%")
_YEARLY_CAP = re.compile(r"每年|年度|按年")


_SINGULAR = {"categories": "category", "beneficiaries": "beneficiary", "source_kinds": "source kind",
             "relations": "relation", "combination_rules": "combination rule", "application_rules": "application rule",
             "units": "unit", "award_kinds": "kind of award", "requirement_kinds": "kind of requirement",
             "date_rules": "date rule"}

# What each kind of term may be (award_kinds in schema/vocabulary.yaml): a term's kind and its kind of award
# must tell the same story.
_AWARDS_OF_KIND = {
    "share": {"entitlement", "competitive"}, "fixed": {"entitlement", "competitive"},
    "tiers": {"entitlement", "competitive"}, "per_unit": {"entitlement", "competitive"},
    "in_kind": {"in-kind"}, "non_monetary": {"non-monetary", "programme"},
    "unspecified": {"entitlement", "competitive", "pool"},
}


class InvalidPolicies(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def yuan_amounts(text: str) -> set[int]:
    """The amounts a Chinese text states, in yuan.

    >>> sorted(yuan_amounts("最高200万元，单个项目最高5000万元，总额不超过1亿元"))
    [2000000, 50000000, 100000000]
    >>> sorted(yuan_amounts("最高0.57亿元"))  # exact: float arithmetic gives 56999999.99999999
    [57000000]
    """
    return {a.yuan for a in find_amounts(text) if a.yuan is not None}


def stated_rates(text: str) -> set[str]:
    return {f"{n}%" for n in _RATE.findall(text)}


def _best_context(error):
    """Of a oneOf between shapes of object (a condition or an `any`), the errors of the shape the value
    has: the alternative whose errors all lie inside the value. best_match alone may pick the other."""
    branches: dict = {}
    for sub in error.context:
        branches.setdefault(sub.relative_schema_path[0], []).append(sub)
    inside = [errors for errors in branches.values() if all(sub.path for sub in errors)]
    return best_match(inside[0] if len(inside) == 1 else error.context)


def _schema_message(error) -> tuple[tuple, str]:
    if error.context:
        error = _best_context(error)
    path = tuple(error.absolute_path)
    if error.validator == "required":
        missing = re.findall(r"'([^']+)' is a required property", error.message)
        name = missing[0] if missing else "?"
        return path + (name,), "required field is missing"
    if error.validator == "additionalProperties":
        extra = re.findall(r"'([^']+)'", error.message)
        return path + (extra[0] if extra else "?",), f"unknown field (not in {SCHEMA_DIR.name}/policy.schema.json)"
    if error.validator == "minLength" and error.instance == "":
        return path, "empty string; both languages must be filled in"
    if error.validator == "type" and "integer" in str(error.validator_value):
        return path, f"{error.instance!r} is not a whole number (write yuan as an integer: 50万元 → 500000)"
    if path and path[-1] == "rate":
        return path, f"{error.instance!r} is not a percentage from 0% to 100% such as \"20%\""
    if error.validator == "maximum":
        return path, f"{error.instance} is larger than the largest plausible amount ({error.validator_value})"
    if error.validator == "minimum":
        return path, f"{error.instance} is negative or below {error.validator_value}"
    if error.validator == "type" and error.validator_value == "string" and isinstance(error.instance, (int, float)) \
            and not isinstance(error.instance, bool):
        return path, f"{error.instance!r} is a number here; write it as a quoted string: \"{error.instance}\""
    return path, error.message


class _Checker:
    """Semantic checks of one document; ``known`` holds every policy's measure ids."""

    def __init__(self, doc: PolicyDocument, vocabulary: dict, known: dict, folder: pathlib.Path):
        self.doc, self.vocab, self.known, self.folder = doc, vocabulary, known, folder
        self.data = doc.data
        self.sources: dict[str, str] = {}
        self.unread = False  # a source text could not be read

    def problem(self, path, message):
        self.doc.problems.append(Problem(self.doc.path, self.doc.line_of(path), field_name(path), message))

    def run(self):
        data = self.data
        stem = pathlib.Path(self.doc.path).stem
        if data["id"] != stem:
            self.problem(("id",), f"id '{data['id']}' differs from the file name '{stem}.yaml'")
        self.check_bilingual((), data)
        self.check_sources()
        if self.unread:
            return  # every quote would be "not found": the source text is the one problem to fix
        self.check_dates()
        if data["jurisdiction"] != "beijing" and data["jurisdiction"] not in _districts():
            self.problem(("jurisdiction",), f"unknown jurisdiction '{data['jurisdiction']}' (beijing or a district id)")
        for i, rule in enumerate(data["combination"]):
            self.check_vocab(("combination", i, "rule"), rule["rule"], "combination_rules")
            self.check_quote(("combination", i, "quote"), rule["quote"], [self.main_text])
        for i, rule in enumerate(data["application"]):
            self.check_vocab(("application", i, "rule"), rule["rule"], "application_rules")
            self.check_quote(("application", i, "quote"), rule["quote"], [self.main_text])
        if "eligibility" in data:
            self.check_quote(("eligibility", "quote"), data["eligibility"]["quote"], [self.main_text])
            for j, cond in enumerate(data["eligibility"].get("conditions", [])):
                self.check_condition(("eligibility", "conditions", j), cond)
            self.check_requirements(("eligibility", "requirements"), data["eligibility"].get("requirements", []),
                                    list(self.sources.values()))
            if not data["eligibility"].get("conditions") and not data["eligibility"].get("requirements"):
                self.problem(("eligibility",), "eligibility needs conditions, requirements or both")
        if "preamble" in data:
            self.check_verbatim(("preamble", "zh"), data["preamble"]["zh"])
        groups = {}
        for i, group in enumerate(data.get("groups", [])):
            path = ("groups", i)
            if group["id"] in groups:
                self.problem(path + ("id",), f"duplicate group id '{group['id']}'")
            groups[group["id"]] = group
            if "text" in group:
                self.check_verbatim(path + ("text", "zh"), group["text"]["zh"])
            if "cap" in group:
                self.check_cap(path + ("cap",), group["cap"], [_joined(group.get("text", {}).get("zh", ""))])
        seen = set()
        for i, measure in enumerate(data["measures"]):
            path = ("measures", i)
            if measure["id"] in seen:
                self.problem(path + ("id",), f"duplicate measure id '{measure['id']}'")
            seen.add(measure["id"])
            group = None
            if measure.get("group") is not None:
                group = groups.get(measure["group"])
                if group is None:
                    self.problem(path + ("group",), f"unknown group '{measure['group']}'")
            self.check_measure(path, measure, group)

    # -- helpers -----------------------------------------------------------
    @property
    def main_text(self) -> str:
        return self.sources.get("main", "")

    def check_bilingual(self, path, value):
        if isinstance(value, dict):
            if "zh" in value and "en" in value:
                zh, en = value["zh"], value["en"]
                if isinstance(zh, list) and isinstance(en, list) and len(zh) != len(en):
                    self.problem(path + ("en",), f"{len(en)} English excerpts for {len(zh)} Chinese ones")
                for lang, text in (("zh", zh), ("en", en)):
                    for part in text if isinstance(text, list) else [text]:
                        if isinstance(part, str) and not part.strip():
                            self.problem(path + (lang,), "blank text; both languages must be filled in")
                if isinstance(en, str) and guards.untranslated(en):
                    self.problem(path + ("en",), "English text is mostly Chinese: translation missing")
            for key, child in value.items():
                self.check_bilingual(path + (key,), child)
        elif isinstance(value, list):
            for i, child in enumerate(value):
                self.check_bilingual(path + (i,), child)

    def check_sources(self):
        ids = set()
        for i, source in enumerate(self.data["source_texts"]):
            path = ("source_texts", i)
            if source["id"] in ids:
                self.problem(path + ("id",), f"duplicate source text id '{source['id']}'")
            ids.add(source["id"])
            file = self.folder / source["file"]
            if not file.is_file():
                self.problem(path + ("file",), f"source text file '{source['file']}' not found")
                self.unread = True
                continue
            text = guards.source_text(file, self.folder)
            if isinstance(text, Exception):
                self.problem(path + ("file",), f"source text '{source['file']}' {text}")
                self.unread = True
                continue
            self.sources[source["id"]] = squash(text)
        if "main" not in ids:
            self.problem(("source_texts",), "no source text with id 'main'")
        for i, source in enumerate(self.data["sources"]):
            self.check_vocab(("sources", i, "kind"), source["kind"], "source_kinds")

    def check_dates(self):
        dates = self.data["dates"]
        parsed = {}
        for key, entry in dates.items():
            path = ("dates", key)
            if entry["date"] is not None:
                try:
                    parsed[key] = datetime.date.fromisoformat(entry["date"])
                except ValueError:
                    self.problem(path + ("date",), f"'{entry['date']}' is not a valid date")
            if (entry["date"] is None or not entry["verified"]) and "note" not in entry:
                self.problem(path + ("note",), "a date that is unknown or unverified needs a note saying why")
            if "not_before" in entry:
                try:
                    datetime.date.fromisoformat(entry["not_before"])
                except ValueError:
                    self.problem(path + ("not_before",), f"'{entry['not_before']}' is not a valid date")
                if entry["date"] is not None:
                    self.problem(path + ("not_before",), "not_before bounds an unknown date: the date must be null")
            derived = entry.get("derived")
            if ("not_before" in entry or derived) and not (derived and "not_before" in entry or derived and entry["date"]):
                self.problem(path + ("derived",), "a derived date or bound needs both 'derived' (the rule and the "
                                                  "words it rests on) and the date or not_before it gives")
            if derived:
                self.check_vocab(path + ("derived", "rule"), derived["rule"], "date_rules")
                if entry["verified"]:
                    self.problem(path + ("verified",), "a derived date is not stated by a source: verified must be false")
                source = derived.get("source")
                if source is not None and source not in self.sources:
                    self.problem(path + ("derived", "source"), f"unknown source text '{source}'")
                elif not any(squash(derived["quote"]) in text for key, text in self.sources.items()
                             if source in (None, key)):
                    self.problem(path + ("derived", "quote"),
                                 f"quote not found in the source texts: '{derived['quote'][:30]}…'")
        order = ["issued", "published", "effective", "expires"]
        for later_index, later in enumerate(order):
            for earlier in order[:later_index]:
                if {earlier, later} == {"published", "effective"}:
                    continue  # a text may take effect on issue, before it is published online
                if earlier in parsed and later in parsed and parsed[later] < parsed[earlier]:
                    self.problem(("dates", later, "date"), f"{later} {parsed[later]} is before {earlier} {parsed[earlier]}")
                    break
        try:
            datetime.date.fromisoformat(self.data["verified_on"])
        except ValueError:
            self.problem(("verified_on",), f"'{self.data['verified_on']}' is not a valid date")
        number = self.data["document_number"]
        if (number["value"] is None or not number["verified"]) and "note" not in number:
            self.problem(("document_number", "note"), "an unknown or unverified document number needs a note")
        title = self.data["title"]
        if not title["official"] and "note" not in title:
            self.problem(("title", "note"), "an unofficial title needs a note saying so")
        if not self.data["issuers"] and "issuers_note" not in self.data:
            self.problem(("issuers",), "no issuer: add issuers_note saying it is not known")
        if not self.data["combination"] and "combination_note" not in self.data:
            self.problem(("combination",), "no combination rule: add combination_note saying the text states none")

    def check_vocab(self, path, value, kind):
        if value not in self.vocab[kind]:
            self.problem(path, f"unknown {_SINGULAR[kind]} '{value}' (not in {kind} of schema/vocabulary.yaml)")

    def check_verbatim(self, path, zh):
        for i, part in enumerate(zh if isinstance(zh, list) else [zh]):
            if not any(squash(part) in text for text in self.sources.values()):
                where = path + (i,) if isinstance(zh, list) else path
                self.problem(where, f"text not found in the source text: '{part[:30]}…'")

    def check_quote(self, path, quote, texts, source=None):
        """A quote is verbatim from one of ``texts`` (or from the named source text)."""
        items = quote if isinstance(quote, list) else [{"source": source, "text": quote}]
        for i, item in enumerate(items):
            where = path + (i, "text") if isinstance(quote, list) else path
            if item["source"] is not None:
                if item["source"] not in self.sources:
                    self.problem(where, f"unknown source text '{item['source']}'")
                    continue
                pool = [self.sources[item["source"]]]
            else:
                pool = [squash(t) for t in texts]
            if not any(squash(item["text"]) in text for text in pool):
                self.problem(where, f"quote not found in the text it cites: '{item['text'][:30]}…'")

    def check_numbers(self, path, numbers, quote, rates=()):
        """Every amount and rate of a term must be stated in its quote."""
        text = _joined([q["text"] for q in quote] if isinstance(quote, list) else quote)
        stated = yuan_amounts(text)
        for key, value in numbers:
            if value is not None and value not in stated:
                self.problem(path + key, f"{value:,} yuan is not stated in the quote ('{text[:30]}…')")
        for key, rate in rates:
            if rate is not None and rate not in stated_rates(text):
                self.problem(path + key, f"rate {rate} is not stated in the quote ('{text[:30]}…')")

    def check_cap(self, path, cap, texts):
        self.check_quote(path + ("quote",), cap["quote"], texts)
        self.check_numbers(path, [(("amount",), cap["amount"])], cap["quote"])

    def check_field(self, path, field, types=None):
        if field in DERIVED:
            ftype = "yuan"
        elif field in FIELD_BY_ID:
            ftype = FIELD_BY_ID[field]["type"]
        else:
            self.problem(path, f"unknown profile field '{field}' (calculator/fields.py)")
            return None
        if types and ftype not in types:
            self.problem(path, f"field '{field}' is of type {ftype}; expected {' or '.join(types)}")
        return ftype

    def check_condition(self, path, cond):
        if "any" in cond:
            for i, sub in enumerate(cond["any"]):
                self.check_condition(path + ("any", i), sub)
            return
        ftype = self.check_field(path + ("field",), cond["field"])
        if ftype is None:
            return
        op, value = cond["op"], cond["value"]
        numeric = ftype in ("yuan", "count")
        if op in ("gt", "gte", "lt", "lte") and not (numeric and isinstance(value, int) and not isinstance(value, bool)):
            self.problem(path + ("op",), f"'{op}' needs a numeric field and a whole-number value")
        if op == "contains" and ftype != "set":
            self.problem(path + ("op",), f"'contains' needs a set field; '{cond['field']}' is {ftype}")
        if op == "in" and not isinstance(value, list):
            self.problem(path + ("value",), "'in' needs a list of values")
        if ftype == "bool" and op in ("eq", "ne") and not isinstance(value, bool):
            self.problem(path + ("value",), f"'{cond['field']}' is yes/no: the value must be true or false")
        allowed = {v["id"] for v in FIELD_BY_ID.get(cond["field"], {}).get("values", [])}
        if ftype == "code":  # the only code is the industry: a major group of GB/T 4754—2017
            allowed = set(industry_names())
        if allowed:
            for v in value if isinstance(value, list) else [value]:
                if v not in allowed:
                    self.problem(path + ("value",), f"'{v}' is not a value of '{cond['field']}'")

    def check_measure(self, path, measure, group):
        self.check_verbatim(path + ("text", "zh"), measure["text"]["zh"])
        texts = [_joined(measure["text"]["zh"])]
        if group is not None and "text" in group:
            texts.append(_joined(group["text"]["zh"]))
        for i, cat in enumerate(measure["categories"]):
            self.check_vocab(path + ("categories", i), cat, "categories")
        for i, ben in enumerate(measure["beneficiaries"]):
            self.check_vocab(path + ("beneficiaries", i), ben, "beneficiaries")
        for i, ref in enumerate(measure.get("references", [])):
            self.check_vocab(path + ("references", i, "relation"), ref["relation"], "relations")
            target = ref["measure"] if "/" in ref["measure"] else f"{self.data['id']}/{ref['measure']}"
            policy, _, mid = target.partition("/")
            if mid not in self.known.get(policy, set()):
                self.problem(path + ("references", i, "measure"), f"unknown measure '{target}'")
        if measure.get("cap"):
            self.check_cap(path + ("cap",), measure["cap"], texts)
        self.check_requirements(path + ("requirements",), measure.get("requirements", []), texts)
        claims: dict[str, list] = {}
        for j, benefit in enumerate(measure["benefits"]):
            if "claim" in benefit:
                claims.setdefault(benefit["claim"], []).append(j)
        for claim, members in claims.items():
            if len(members) < 2:
                self.problem(path + ("benefits", members[0], "claim"),
                             f"claim '{claim}' names alternatives, but no other benefit of this measure shares it")
        ids = set()
        for j, benefit in enumerate(measure["benefits"]):
            bpath = path + ("benefits", j)
            if benefit["id"] in ids:
                self.problem(bpath + ("id",), f"duplicate benefit id '{benefit['id']}'")
            ids.add(benefit["id"])
            selection = any(r["kind"] == "selection" for r in measure.get("requirements", []))
            self.check_benefit(bpath, benefit, texts, len(measure["benefits"]) > 1, selection)

    def check_requirements(self, path, requirements, texts):
        """Each requirement the checker does not ask: a kind from the vocabulary, and the text's own words."""
        ids = set()
        for i, req in enumerate(requirements):
            rpath = path + (i,)
            if req["id"] in ids:
                self.problem(rpath + ("id",), f"duplicate requirement id '{req['id']}'")
            ids.add(req["id"])
            self.check_vocab(rpath + ("kind",), req["kind"], "requirement_kinds")
            self.check_quote(rpath + ("quote",), req["quote"], texts)

    def check_award(self, path, b, measure_selection):
        """The kind of award agrees with the term's kind and with the words of the text."""
        award, kind = b["award"], b["kind"]
        self.check_vocab(path + ("award",), award, "award_kinds")
        if award in self.vocab["award_kinds"] and award not in _AWARDS_OF_KIND[kind]:
            self.problem(path + ("award",), f"a '{kind}' term cannot be a '{award}' award "
                                            f"(one of {', '.join(sorted(_AWARDS_OF_KIND[kind]))})")
        selection = measure_selection or any(r["kind"] == "selection" for r in b.get("requirements", []))
        if award == "competitive" and not selection:
            self.problem(path + ("requirements",), "a competitive award needs a 'selection' requirement quoting how "
                                                   "recipients are chosen (揭榜挂帅, 择优, 遴选, 以赛代评…)")
        if "places" in b and award != "competitive":
            self.problem(path + ("places",), "places are given only for a competitive award")
        if ("pool" in b) != (award == "pool"):
            self.problem(path + ("pool",), "a pool award, and only a pool award, states its 'pool' (the total shared "
                                           "by every applicant)")
        quote = _joined([q["text"] for q in b["quote"]] if isinstance(b["quote"], list) else b["quote"])
        if kind == "share" and "rate" in b and b["rate"] is None and not re.search(r"一定比例|按实际投入", quote):
            self.problem(path + ("rate",), "rate null means the text pays an unpublished share of the base (给予一定比例, "
                                           "按实际投入), but the quote does not say so")

    def check_benefit(self, path, b, texts, several, measure_selection=False):
        kind = b["kind"]
        for i, ben in enumerate(b.get("beneficiaries", [])):
            self.check_vocab(path + ("beneficiaries", i), ben, "beneficiaries")
        self.check_quote(path + ("quote",), b["quote"], texts, b.get("source"))
        self.check_award(path, b, measure_selection)
        self.check_requirements(path + ("requirements",), b.get("requirements", []),
                                texts + ([self.sources[b["source"]]] if b.get("source") in self.sources else []))
        if "places" in b:
            self.check_quote(path + ("places", "quote"), b["places"]["quote"], texts, b.get("source"))
        if "pool" in b:
            self.check_quote(path + ("pool", "quote"), b["pool"]["quote"], texts, b.get("source"))
            self.check_numbers(path + ("pool",), [(("amount",), b["pool"]["amount"])], b["pool"]["quote"])
        need = {
            "share": ["base", "rate", "cap"], "fixed": ["amount"], "tiers": ["key", "basis", "tiers"],
            "per_unit": ["count", "amount", "cap"], "in_kind": ["quantity", "unit", "description"],
            "non_monetary": ["description"], "unspecified": ["description"],
        }[kind]
        for key in need:
            if key not in b:
                self.problem(path + (key,), f"required for a '{kind}' benefit"
                             + (" (write null only if the text gives no cap)" if key == "cap" else ""))
        if several and "label" not in b:
            self.problem(path + ("label",), "a measure with several benefits needs a label on each")
        if b["period"] == "per_year" and "years" not in b and kind not in ("non_monetary", "unspecified"):
            self.problem(path + ("years",), "a yearly benefit needs 'years' (null where the text sets no limit)")
        if "cap_scope" in b and (b["period"] != "per_year" or b.get("cap") is None):
            self.problem(path + ("cap_scope",), "'cap_scope' is for a yearly benefit with a cap (period: per_year)")
        if (b["period"] == "per_year" and b.get("cap") is not None and "cap_scope" not in b
                and not _YEARLY_CAP.search(_joined([q["text"] for q in b["quote"]] if isinstance(b["quote"], list)
                                                   else b["quote"]))):
            # 最高200万元支持,连续支持不超过2年 does not say the cap is per year: the reader must be told.
            self.problem(path + ("cap_scope",), "the quote does not say the cap is per year (每年, 年度, 按年): "
                         "write 'cap_scope: unstated'")
        if "base" in b:
            self.check_field(path + ("base",), b["base"], ["yuan"])
        if "count" in b:
            self.check_field(path + ("count",), b["count"], ["count"])
        quote = b["quote"] if isinstance(b["quote"], str) else ""
        if kind in ("share", "per_unit") and b.get("cap") is None and "cap" in b and re.search(r"最高|不超过\d|上限", quote):
            self.problem(path + ("cap",), "the quote states a maximum but cap is null")
        if kind == "in_kind" and "unit" in b and b["unit"] not in self.vocab["units"]:
            self.problem(path + ("unit",), f"unknown unit '{b['unit']}' (schema/vocabulary.yaml units)")
        for i, cond in enumerate(b.get("conditions", [])):
            self.check_condition(path + ("conditions", i), cond)
        numbers = [(("amount",), b.get("amount")), (("cap",), b.get("cap"))]
        rates = [(("rate",), b.get("rate"))]
        if kind == "tiers":
            self.check_tiers(path, b, numbers, rates)
        self.check_numbers(path, numbers, b["quote"], rates)
        for i, variant in enumerate(b.get("variants", [])):
            vpath = path + ("variants", i)
            self.check_condition(vpath + ("when",), variant["when"])
            self.check_quote(vpath + ("quote",), variant["quote"], texts)
            self.check_numbers(vpath, [((k,), variant.get(k)) for k in ("cap", "amount", "amount_increment")],
                               variant["quote"], [(("rate",), variant.get("rate"))])

    def check_tiers(self, path, b, numbers, rates):
        if "key" not in b:
            return
        ftype = self.check_field(path + ("key",), b["key"])
        basis = b.get("basis")
        if basis == "first_reach":
            if "prev" not in b:
                self.problem(path + ("prev",), "first_reach tiers need 'prev', the field of the year before")
            else:
                self.check_field(path + ("prev",), b["prev"], ["yuan"])
        if basis in ("first_reach", "reached") and ftype not in (None, "yuan", "count"):
            self.problem(path + ("key",), f"'{basis}' tiers need a numeric key; '{b['key']}' is {ftype}")
        has_rates = any("rate" in t for t in b.get("tiers", []))
        if has_rates and ("base" not in b or "cap" not in b):
            self.problem(path + ("base",), "rate tiers need 'base' and 'cap'")
        previous = None
        for i, tier in enumerate(b.get("tiers", [])):
            tpath = path + ("tiers", i)
            keys = [k for k in ("threshold", "value", "when") if k in tier]
            if len(keys) != 1:
                self.problem(tpath, "a tier needs exactly one of threshold, value, when")
            if ("amount" in tier) == ("rate" in tier):
                self.problem(tpath, "a tier needs exactly one of amount, rate")
            if "when" in tier:
                self.check_condition(tpath + ("when",), tier["when"])
            if "value" in tier and ftype is not None:
                allowed = {v["id"] for v in FIELD_BY_ID.get(b["key"], {}).get("values", [])}
                if tier["value"] not in allowed:
                    self.problem(tpath + ("value",), f"'{tier['value']}' is not a value of '{b['key']}'")
            if "threshold" in tier:
                if previous is not None and tier["threshold"] >= previous:
                    self.problem(tpath + ("threshold",), "tiers must be listed highest threshold first")
                previous = tier["threshold"]
                numbers.append((("tiers", i, "threshold"), tier["threshold"]))
            numbers.append((("tiers", i, "amount"), tier.get("amount")))
            rates.append((("tiers", i, "rate"), tier.get("rate")))


def _joined(zh) -> str:
    return "".join(zh) if isinstance(zh, list) else zh


def _districts() -> set[str]:
    return {v["id"] for v in FIELD_BY_ID["district"]["values"]}


def validate_folder(folder: pathlib.Path = POLICY_DIR) -> tuple[list[PolicyDocument], list[Problem]]:
    """Every policy file of ``folder``, each checked; returns the documents and all problems."""
    try:
        vocabulary = load_vocabulary()
    except InvalidVocabulary as err:  # it comes from pull requests too
        return [], err.problems
    docs = [doc for doc in (read_policy_file(path, folder) for path in policy_files(folder))
            if not is_draft(doc)]  # drafts: validate_drafts()
    misnamed = misnamed_policy_files(folder)
    if not docs:
        return docs, misnamed + [Problem(str(folder), 1, "(folder)", "no policy files")]
    schema_ok = []
    for doc in docs:
        if doc.data is None or doc.problems:
            if doc.data is None and not doc.problems:
                doc.problems.append(Problem(doc.path, 1, "(document)", "empty file"))
            continue
        for error in _VALIDATOR.iter_errors(doc.data):
            path, message = _schema_message(error)
            doc.problems.append(Problem(doc.path, doc.line_of(path), field_name(path), message))
        doc.problems.extend(leftovers(doc))
        if not doc.problems:
            schema_ok.append(doc)
    known: dict[str, set] = {}
    for doc in schema_ok:
        if doc.data["id"] in known:
            doc.problems.append(Problem(doc.path, doc.line_of(("id",)), "id", f"duplicate policy id '{doc.data['id']}'"))
        known.setdefault(doc.data["id"], set()).update(m["id"] for m in doc.data["measures"])
    for doc in schema_ok:
        _Checker(doc, vocabulary, known, folder).run()
    guards.check_documents(schema_ok, vocabulary)
    problems = sorted(misnamed + [p for doc in docs for p in doc.problems], key=lambda p: (p.file, p.line, p.field))
    return docs, problems


def validate_drafts(folder: pathlib.Path = POLICY_DIR) -> tuple[list[PolicyDocument], list[Problem]]:
    """The drafts of ``folder`` (``draft: true``) and what remains to be done in each.

    While a draft holds a TODO or candidates, these are listed with what the schema says of the rest; once
    none remains, it gets every check of a published file. A draft is never among the published policies.
    """
    vocabulary = load_vocabulary()
    docs = [read_policy_file(path, folder) for path in policy_files(folder)]
    known = {d.data["id"]: {m.get("id") for m in d.data.get("measures", []) if isinstance(m, dict)}
             for d in docs if isinstance(d.data, dict) and isinstance(d.data.get("measures"), list)}
    drafts = [doc for doc in docs if is_draft(doc)]
    problems = []
    for doc in drafts:
        todo = todo_problems(doc)
        pending = [path for path, _ in placeholders(doc)]
        for error in _VALIDATOR.iter_errors(doc.data):
            path, message = _schema_message(error)
            if not under(path, pending) and path != ("draft",):
                doc.problems.append(Problem(doc.path, doc.line_of(path), field_name(path), message))
        if not pending and not doc.problems:
            _Checker(doc, vocabulary, known, folder).run()
        problems += sorted(doc.problems, key=lambda p: (p.line, p.field)) + todo
    return drafts, problems


def load_policies(folder: pathlib.Path = POLICY_DIR) -> list[dict]:
    """The validated policies, sorted by id; raises InvalidPolicies on any problem."""
    docs, problems = validate_folder(folder)
    if problems:
        raise InvalidPolicies(problems)
    return sorted((doc.data for doc in docs), key=lambda d: d["id"])


def main(argv: list[str]) -> int:
    folder = pathlib.Path(argv[0]) if argv else POLICY_DIR
    docs, problems = validate_folder(folder)
    if not problems and folder == POLICY_DIR:
        from .registry import check_registry  # published ids never disappear

        problems = check_registry(sorted((d.data for d in docs), key=lambda d: d["id"]))
    if folder == POLICY_DIR:
        from .registry import check_history  # nor does a line of the registry, since the last commit

        history, note = check_history()
        problems = problems + history
        print(note)
    drafts, todo = validate_drafts(folder)
    for problem in problems + todo:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) in {len(docs)} policy file(s)", file=sys.stderr)
    else:
        measures = sum(len(d.data["measures"]) for d in docs)
        print(f"{len(docs)} policies, {measures} measures: no problem")
    for doc in drafts:  # a draft must not be merged silently: CI fails while one remains
        left = sum(1 for p in todo if p.file == doc.path) - 1
        print(f"{doc.path}: draft, not published: {left} line(s) above to deal with, then delete "
              f"`draft: true` (line {doc.line_of(('draft',))})", file=sys.stderr)
    return 1 if problems or drafts else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
