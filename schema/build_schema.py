"""Writes schema/policy.schema.json. Edit this file, run it, commit both: tests/test_validation.py checks they agree."""
import json
import pathlib
bi = {"$ref": "#/$defs/bilingual"}
def obj(props, required=(), extra=False):
    o = {"type": "object", "properties": props, "additionalProperties": extra}
    if required: o["required"] = list(required)
    return o
nn = lambda t: {"type": [t, "null"]}
date_or_null = {"type": ["string", "null"], "pattern": r"^\d{4}-\d{2}-\d{2}$"}
amount = {"type": "integer", "minimum": 0, "maximum": 10_000_000_000}
rate = {"type": "string", "pattern": r"^(100|[0-9]{1,2})(\.[0-9]+)?%$", "description": "An exact percentage, e.g. \"20%\" or \"2.5%\"."}
ident = {"type": "string", "pattern": r"^[a-z0-9]+(-[a-z0-9]+)*$"}
period = {"enum": ["once", "per_year", "unstated"]}
per = {"enum": ["enterprise", "project", "model", "standard", "event"], "description": "The unit a cap or amount applies to (per_units in schema/vocabulary.yaml)."}
field_id = {"type": "string", "pattern": r"^[a-z][a-z0-9_]*$"}
quote_item = obj({"source": ident, "text": {"type": "string", "minLength": 1}}, ["source", "text"])
schema = {
 "$schema": "https://json-schema.org/draft/2020-12/schema",
 "$id": "https://bj-ai-policy.github.io/schema/policy.schema.json",
 "title": "Beijing AI policy document",
 "description": "One policy document of the Beijing AI Policy Navigator: its facts and every measure, verbatim Chinese beside the structured terms. See policies/README.md.",
 "$defs": {
  "bilingual": obj({"zh": {"type": "string", "minLength": 1}, "en": {"type": "string", "minLength": 1}}, ["zh", "en"]),
  "bilingual_text": {"oneOf": [
      obj({"zh": {"type": "string", "minLength": 1}, "en": {"type": "string", "minLength": 1}}, ["zh", "en"]),
      obj({"zh": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}},
           "en": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}}}, ["zh", "en"])]},
  "dated": obj({"date": date_or_null, "verified": {"type": "boolean"}, "note": bi,
                "not_before": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$", "description": "An unknown date that cannot be earlier than this (derived.rule says why)."},
                "derived": {"$ref": "#/$defs/derivation"}}, ["date", "verified"]),
  "derivation": obj({"rule": {"type": "string"}, "quote": {"type": "string", "minLength": 1}, "source": ident, "en": {"type": "string", "minLength": 1}},
                    ["rule", "quote", "en"]),
  "requirement": obj({"id": ident, "kind": {"type": "string"}, "quote": {"$ref": "#/$defs/quote"}, "label": bi, "note": bi},
                     ["id", "kind", "quote", "label"]),
  "requirements": {"type": "array", "items": {"$ref": "#/$defs/requirement"}},
  "quote": {"oneOf": [{"type": "string", "minLength": 1}, {"type": "array", "minItems": 1, "items": quote_item}]},
  "condition": {"oneOf": [
      obj({"field": field_id, "op": {"enum": ["eq", "ne", "gt", "gte", "lt", "lte", "in", "contains"]},
           "value": {"type": ["string", "number", "boolean", "array"]}}, ["field", "op", "value"]),
      obj({"any": {"type": "array", "minItems": 2, "items": {"$ref": "#/$defs/condition"}}}, ["any"])]},
  "cap": obj({"amount": amount, "period": period, "per": per,
              "quote": {"type": "string", "minLength": 1}, "en": {"type": "string", "minLength": 1}},
             ["amount", "period", "quote", "en"]),
  "tier": obj({"threshold": amount, "value": {"type": "string"}, "when": {"$ref": "#/$defs/condition"},
               "amount": amount, "rate": rate}),
  "variant": obj({"when": {"$ref": "#/$defs/condition"}, "label": bi, "quote": {"type": "string", "minLength": 1},
                  "rate": rate, "cap": amount, "years": {"type": "integer", "minimum": 1, "maximum": 20},
                  "amount": amount, "amount_increment": amount}, ["when", "label", "quote"]),
  "benefit": obj({
      "id": ident, "kind": {"enum": ["share", "fixed", "tiers", "per_unit", "in_kind", "non_monetary", "unspecified"]},
      "award": {"type": "string", "description": "What kind of money it is: award_kinds in schema/vocabulary.yaml."},
      "places": obj({"quote": {"type": "string", "minLength": 1}, "en": {"type": "string", "minLength": 1}}, ["quote", "en"]),
      "pool": obj({"amount": amount, "period": period, "quote": {"type": "string", "minLength": 1}, "en": {"type": "string", "minLength": 1}},
                  ["amount", "period", "quote", "en"]),
      "requirements": {"$ref": "#/$defs/requirements"},
      "claim": ident,
      "beneficiaries": {"type": "array", "minItems": 1, "uniqueItems": True, "items": {"type": "string"},
                        "description": "Where one term of a measure is for narrower recipients than the measure."},
      "label": bi, "quote": {"$ref": "#/$defs/quote"}, "source": ident,
      "period": period, "years": {"type": ["integer", "null"], "minimum": 1, "maximum": 20},
      "cap_scope": {"enum": ["unstated"], "description": "per_year only: the text does not say whether the cap is per year or for the whole run of years (read as per year; shown as unstated)."},
      "per": per,
      "base": field_id, "rate": {"oneOf": [rate, {"type": "null", "description": "给予一定比例: the rate is not published"}]}, "rate_is_ceiling": {"type": "boolean"}, "cap": {"type": ["integer", "null"], "minimum": 0, "maximum": 10_000_000_000},
      "amount": amount, "count": field_id,
      "key": field_id, "basis": {"enum": ["first_reach", "reached", "value"]}, "prev": field_id,
      "tiers": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/tier"}},
      "quantity": {"type": "number", "exclusiveMinimum": 0}, "unit": {"type": "string"},
      "description": bi, "note": bi,
      "conditions": {"type": "array", "items": {"$ref": "#/$defs/condition"}},
      "variants": {"type": "array", "items": {"$ref": "#/$defs/variant"}}},
      ["id", "kind", "award", "quote", "period"]),
  "reference": obj({"measure": {"type": "string", "pattern": r"^([a-z0-9-]+/)?[a-z0-9-]+$"},
                    "relation": {"type": "string"}, "note": bi}, ["measure", "relation"]),
  "group": obj({"id": ident, "number": bi, "title": bi, "text": {"$ref": "#/$defs/bilingual_text"}, "cap": {"$ref": "#/$defs/cap"}},
               ["id", "number", "title"]),
  "measure": obj({"id": {"type": "string", "pattern": r"^(art|sec|item)(-[0-9]+)+$"},
      "group": {"type": ["string", "null"]}, "number": bi, "title": bi,
      "text": {"$ref": "#/$defs/bilingual_text"},
      "categories": {"type": "array", "minItems": 1, "uniqueItems": True, "items": {"type": "string"}},
      "beneficiaries": {"type": "array", "minItems": 1, "uniqueItems": True, "items": {"type": "string"}},
      "responsible_units": {"type": "array", "items": bi},
      "references": {"type": "array", "items": {"$ref": "#/$defs/reference"}},
      "cap": {"oneOf": [{"$ref": "#/$defs/cap"}, {"type": "null"}]},
      "requirements": {"$ref": "#/$defs/requirements"},
      "note": bi,
      "benefits": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/benefit"}}},
      ["id", "number", "title", "text", "categories", "beneficiaries", "benefits"]),
 },
 "type": "object", "additionalProperties": False,
 "required": ["id", "title", "jurisdiction", "issuers", "document_number", "dates", "sources", "source_texts",
              "combination", "application", "verified_on", "measures"],
 "properties": {
  "id": {"type": "string", "pattern": r"^[a-z0-9]+(-[a-z0-9]+)*$"},
  "title": obj({"zh": {"type": "string", "minLength": 1}, "en": {"type": "string", "minLength": 1},
                "official": {"type": "boolean"}, "note": bi}, ["zh", "en", "official"]),
  "short_title": bi,
  "jurisdiction": {"type": "string", "pattern": r"^[a-z]+$"},
  "issuers": {"type": "array", "items": obj({"name": bi, "role": {"enum": ["issuer", "co-issuer", "approver"]},
                                            "verified": {"type": "boolean"}, "note": bi}, ["name", "role", "verified"])},
  "issuers_note": bi,
  "document_number": obj({"value": {"type": ["string", "null"], "minLength": 1}, "verified": {"type": "boolean"}, "note": bi},
                         ["value", "verified"]),
  "dates": obj({k: {"$ref": "#/$defs/dated"} for k in ("issued", "published", "effective", "expires")},
               ["issued", "effective", "expires"]),
  "sources": {"type": "array", "minItems": 1, "items": obj({
      "kind": {"enum": ["official", "repost", "collected", "secondary"]}, "url": {"type": ["string", "null"], "pattern": "^https://"},
      "title": bi, "note": bi, "date": date_or_null}, ["kind", "url", "title"])},
  "source_texts": {"type": "array", "minItems": 1, "items": obj({
      "id": ident, "file": {"type": "string", "pattern": r"^sources/[A-Za-z0-9._-]+\.txt$"},
      "kind": {"enum": ["official", "repost", "collected", "secondary"]}, "description": bi}, ["id", "file", "kind"])},
  "source_note": bi,
  "preamble": {"$ref": "#/$defs/bilingual_text"},
  "combination": {"type": "array", "items": obj({"rule": {"type": "string"}, "scope": {"enum": ["district", "city"]},
                                                 "quote": {"type": "string", "minLength": 1}, "en": {"type": "string", "minLength": 1}},
                                                ["rule", "scope", "quote", "en"])},
  "combination_note": bi,
  "application": {"type": "array", "items": obj({"rule": {"type": "string"}, "quote": {"type": "string", "minLength": 1},
                                                 "en": {"type": "string", "minLength": 1}}, ["rule", "quote", "en"])},
  "eligibility": obj({"quote": {"type": "string", "minLength": 1}, "en": {"type": "string", "minLength": 1},
                      "conditions": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/condition"}},
                      "requirements": {"$ref": "#/$defs/requirements"}},
                     ["quote", "en"]),
  "verified_on": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
  "groups": {"type": "array", "items": {"$ref": "#/$defs/group"}},
  "measures": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/measure"}},
 },
}
# Codes are quoted strings: unquoted, `[63, 64, 65]` are numbers that never equal a profile's "63" (the
# fields of type `code` in calculator/fields.py; tests/test_validation.py checks that the two agree).
code = {"type": "string", "pattern": r"^[0-9]{2}$", "description": "A code, quoted: \"65\"."}
schema["$defs"]["condition"]["oneOf"][0]["allOf"] = [{
  "if": {"properties": {"field": {"enum": ["industry_code"]}}, "required": ["field"]},
  "then": {"properties": {"value": {"type": ["string", "array"], "pattern": code["pattern"], "items": code}}}}]
# Drafts written by `make new-policy` (macros/draft.py): never published; macros/todo.py lists what remains.
schema["properties"]["draft"] = {"const": True, "description": "A draft: not published. make validate lists what "
                                 "remains to be done; delete this line once nothing does."}
candidate = obj({"amount": {"type": ["integer", "null"]}, "rate": rate, "written": {"type": "string"},
                 "clause": {"type": "string"}}, ["written", "clause"])
for name in ("measure", "group"):
    schema["$defs"][name]["properties"]["candidates"] = {
        "type": "array", "items": candidate,
        "description": "Draft only: every amount and rate of the text, to be written as benefit terms and deleted."}
TEXT = json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
if __name__ == "__main__":
    (pathlib.Path(__file__).parent / "policy.schema.json").write_text(TEXT, encoding="utf-8")
