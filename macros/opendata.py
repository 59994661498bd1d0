"""Open data: every policy and measure as JSON and CSV, one JSON file per measure (with its policy's key facts,
status and history), and the policy JSON Schema, under the site root."""

from __future__ import annotations

import csv
import io
import json
import pathlib
import shutil

from .loader import SCHEMA_DIR
from .render import SiteModel, joined, jurisdiction, lang_root, measure_path, policy_path, reference_key

FORMAT_VERSION = 1
# /data/measures/<policy>/<measure>.json: its own version, raised when a field is removed or changes meaning
# (adding a field does not); documented in docs/data.md and docs/data.en.md.
MEASURE_FORMAT_VERSION = 1
POLICY_FACTS = ("id", "title", "short_title", "jurisdiction", "issuers", "issuers_note", "document_number", "dates",
                "sources", "combination", "combination_note", "application", "eligibility", "verified_on")


def measures_records(site: SiteModel) -> list[dict]:
    return [measure_record(site, ref) for ref in site.measures.values()]


def measure_record(site: SiteModel, ref) -> dict:
    p, m = ref.policy, ref.measure
    return {
        "policy": p["id"],
        "id": m["id"],
        "key": ref.key,
        "jurisdiction": p["jurisdiction"],
        "group": m.get("group"),
        "number": m["number"],
        "title": m["title"],
        "text": m["text"],
        "categories": m["categories"],
        "beneficiaries": m["beneficiaries"],
        "responsible_units": m.get("responsible_units", []),
        # Targets qualified as policy/measure, whichever way the YAML wrote them.
        "references": [{**link, "measure": reference_key(p, link)} for link in m.get("references", [])],
        "cap": m.get("cap"),
        "requirements": m.get("requirements", []),
        "benefits": m["benefits"],
        "largest_amount": ref.top,
        "status": site.status(p).code,
        "url": {lang: lang_root(lang) + measure_path(p["id"], m["id"]) for lang in ("zh", "en")},
    }


def history_record(site: SiteModel, record) -> dict:
    """A history as data: newest change first; timestamps in UTC, days in Beijing, as the pages show them."""
    history = site.history
    if history is None or not history.available:
        return {"available": False, "reason": (history.reason if history else None)}
    if record is None:  # not committed yet
        return {"available": True, "first_published": None, "last_changed": None, "changes": []}
    return {"available": True, "first_published": record.first.stamp, "last_changed": record.last.stamp,
            "changes": [{"commit": c.commit, "date": c.stamp, "day": c.day,
                         "lines": [{"zh": line.zh, "en": line.en} for line in c.lines]}
                        for c in reversed(record.changes)]}


def measure_file(site: SiteModel, ref) -> dict:
    """Everything a district office or a program needs about one measure, as of the build."""
    from .embed import embed_path, snippet
    p = ref.policy
    status = site.status(p)
    policy = {k: p[k] for k in POLICY_FACTS if k in p}
    policy["jurisdiction_name"] = {lang: jurisdiction(p["jurisdiction"], lang) for lang in ("zh", "en")}
    policy["url"] = {lang: lang_root(lang) + policy_path(p["id"]) for lang in ("zh", "en")}
    return {
        "format_version": MEASURE_FORMAT_VERSION,
        "generated_on": site.today.isoformat(),
        "key": ref.key,
        "status": {"code": status.code, "as_of": site.today.isoformat(), "label": dict(status.text),
                   "dates_unverified": status.unverified},
        "measure": measure_record(site, ref),
        "policy": policy,
        "history": history_record(site, site.history.measure(ref.key) if site.history else None),
        "embed": {lang: {"url": lang_root(lang) + embed_path(p["id"], ref.measure["id"]), "snippet": snippet(site, ref, lang)}
                  for lang in ("zh", "en")},
    }


def policies_records(site: SiteModel) -> list[dict]:
    out = []
    for p in site.policies:
        record = {k: v for k, v in p.items() if k != "measures"}
        record["measures"] = [m["id"] for m in p["measures"]]
        record["status"] = site.status(p).code
        record["url"] = {lang: lang_root(lang) + policy_path(p["id"]) for lang in ("zh", "en")}
        out.append(record)
    return out


CSV_COLUMNS = ["policy", "id", "jurisdiction", "jurisdiction_zh", "number_zh", "number_en", "title_zh", "title_en",
               "categories", "beneficiaries", "largest_amount_yuan", "status", "text_zh", "text_en", "url_zh",
               "url_en"]


# A cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets (full-width
# forms too, in East Asian locales): `=HYPERLINK(…)` in a title would run when the file is opened.
_FORMULA_START = tuple("=+-@\t\r＝＋－＠")


def spreadsheet_safe(cell):
    """Text that a spreadsheet shows as text: a leading apostrophe before a formula's first character.

    >>> spreadsheet_safe("=1+1"), spreadsheet_safe(" @SUM(A1)"), spreadsheet_safe("-5 yuan"), spreadsheet_safe(30)
    ("'=1+1", "' @SUM(A1)", "'-5 yuan", 30)
    """
    if isinstance(cell, str) and cell.lstrip(" ").startswith(_FORMULA_START):
        return "'" + cell
    return cell


def measures_csv(records: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for r in records:
        writer.writerow([spreadsheet_safe(cell) for cell in (
            r["policy"], r["id"], r["jurisdiction"], jurisdiction(r["jurisdiction"], "zh"),
            r["number"]["zh"], r["number"]["en"], r["title"]["zh"], r["title"]["en"],
            " ".join(r["categories"]), " ".join(r["beneficiaries"]),
            "" if r["largest_amount"] is None else r["largest_amount"], r["status"],
            joined(r["text"]["zh"]), joined(r["text"]["en"]), r["url"]["zh"], r["url"]["en"])])
    return buffer.getvalue()


def _dump(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def write_open_data(site: SiteModel, root: pathlib.Path) -> list[str]:
    """Write data/*.json, data/measures.csv and schema/policy.schema.json under ``root``."""
    (root / "data").mkdir(parents=True, exist_ok=True)
    (root / "schema").mkdir(parents=True, exist_ok=True)
    measures = measures_records(site)
    meta = {"format_version": FORMAT_VERSION, "generated_on": site.today.isoformat()}
    (root / "data" / "policies.json").write_text(_dump({**meta, "policies": policies_records(site)}), encoding="utf-8")
    (root / "data" / "measures.json").write_text(_dump({**meta, "measures": measures}), encoding="utf-8")
    # A byte-order mark so that Excel reads the file as UTF-8.
    (root / "data" / "measures.csv").write_text(measures_csv(measures), encoding="utf-8-sig", newline="")
    shutil.copyfile(SCHEMA_DIR / "policy.schema.json", root / "schema" / "policy.schema.json")
    written = ["data/policies.json", "data/measures.json", "data/measures.csv", "schema/policy.schema.json"]
    for ref in site.measures.values():
        path = f"data/measures/{ref.policy['id']}/{ref.measure['id']}.json"
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(_dump(measure_file(site, ref)), encoding="utf-8")
        written.append(path)
    return written
