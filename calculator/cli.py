"""``python -m calculator evaluate PROFILE.json [--as-of DATE] [--lang zh|en] [--format json|table]``.

Exit status 0 on success; 2 when the profile (or the command line) is malformed,
with one message per bad field on standard error.
"""

from __future__ import annotations

import argparse
import json
import sys

from .bundle import BundleMissing, default_bundle, load_bundle
from .engine import Calculator, localize
from .profile import MAX_PROFILE_CHARS, ProfileError, parse_json, profile_schema

_STATUS = {
    "zh": {"eligible": "可能适用", "conditional": "可能适用，但须满足下列要求", "unknown": "待补充信息", "ineligible": "不符合",
           "not_in_force": "不在有效期", "programme": "政府工作，企业无需申请"},
    "en": {"eligible": "may apply", "conditional": "may apply if the requirements listed are met", "unknown": "needs answers",
           "ineligible": "not met", "not_in_force": "not in force", "programme": "government programme, not applied for"},
}
_PERIOD = {
    "zh": {"once": "一次性", "per_year": "每年", "unstated": "期限未写明", None: ""},
    "en": {"once": "once", "per_year": "per year", "unstated": "period not stated", None: ""},
}
_AWARD = {
    "zh": {"competitive": "竞争性评选", "pool": "全市资金池", "in-kind": "实物", "non-monetary": "非资金"},
    "en": {"competitive": "competitive", "pool": "city-wide pool", "in-kind": "in kind", "non-monetary": "non-monetary"},
}


def period_text(row: dict, lang: str) -> str:
    """The periods of a row's amounts: "once", "per year, up to 2 years", "once (another part: period not
    stated)"; a per-year cap the text may mean for the whole run says so."""
    parts = []
    for period in row.get("periods") or ([row["period"]] if row["period"] not in (None, "mixed") else []):
        text = _PERIOD[lang][period]
        if period == "per_year" and row.get("cap_scope_unstated"):
            text += "（或为合计，原文未说明）" if lang == "zh" else " (or in all: the text does not say)"
        if period == "per_year" and row["years"]:
            text += f"，最多{row['years']}年" if lang == "zh" else f", up to {row['years']} years"
        parts.append(text)
    if len(parts) < 2:
        return "".join(parts)
    if lang == "zh":
        return parts[0] + "".join(f"（另有部分{p}）" for p in parts[1:])
    return parts[0] + "".join(f" (another part: {p})" for p in parts[1:])


def _cell(row: dict, lang: str) -> str:
    amount = f"{row['max_amount']:,}" if row["max_amount"] is not None else "—"
    kinds = [_AWARD[lang][a] for a in row.get("awards", ()) if a in _AWARD[lang]]
    return amount + (f" ({', '.join(kinds)})" if kinds else "")


def table(report: dict, lang: str) -> str:
    """The report as text: one line per measure with its title, then what a conditional row still needs, and
    the totals (the headline counts only entitlements; every other kind of money on its own line)."""
    zh = lang == "zh"
    heads = ("措施", "状态", "最高金额（元）", "期限") if zh else ("Measure", "Status", "Most (yuan)", "Period")
    rows, notes = [], []
    for r in report["results"]:
        rows.append((f"{r['policy']}/{r['measure']} {r['number'][lang]} {r['title'][lang]}", _STATUS[lang][r["status"]],
                     _cell(r, lang), period_text(r, lang)))
        if r["status"] == "conditional":
            wanted = "; ".join(q["label"][lang] for q in r["requirements"])
            notes.append(f"  {r['policy']}/{r['measure']}: {'须满足' if zh else 'requires'} {wanted}")
    widths = [max(_width(h), *(_width(row[i]) for row in rows)) for i, h in enumerate(heads)] if rows \
        else [_width(h) for h in heads]
    lines = ["  ".join(_pad(h, w) for h, w in zip(heads, widths))]
    lines += ["  ".join(_pad(c, w) for c, w in zip(row, widths)) for row in rows]
    if notes:
        lines += ["", "可能适用的前提（本工具未询问）：" if zh else "May apply if (not asked by this checker):", *notes]
    total = report["total"]
    label = "合计（按规定可得，上限估算，并非承诺）" if zh else "Total (entitlements; an upper bound, not a promise)"
    lines += ["", f"{label}: {total['amount']:,}"]
    for key in ("conditional", "competitive", "validity_unknown", "secondary_source"):
        part = total[key]
        if part["amount"] and key == "secondary_source":  # amounts read in a blog: counted, never added up
            n = len(part["counted"])
            lines.append(f"  另计：金额仅见于第三方摘要的措施 {n} 项（不加总）" if zh else
                         f"  apart: {n} measures whose amounts are only in a secondary summary (not added up)")
        elif part["amount"]:
            lines.append(f"  {'另计' if zh else 'apart'}: {part['label'][lang]}: {part['amount']:,}")
    lines.append(total["note"][lang])
    for notice in report.get("notices", ()):
        lines.append(notice["text"][lang])
    return "\n".join(lines)


def _width(text: str) -> int:
    """Columns a string takes in a terminal: CJK characters take two."""
    return sum(2 if "\u2e80" <= ch <= "\uffef" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _read_json(path: str):
    """The profile in a file (or standard input), read strictly (calculator.profile.parse_json); at most
    one character more than a profile may hold is read, so a huge or endless input costs nothing."""
    try:
        with (sys.stdin if path == "-" else open(path, encoding="utf-8")) as handle:
            text = handle.read(MAX_PROFILE_CHARS + 1)
        return parse_json(text)
    except OSError as err:
        raise ProfileError([f"(file): cannot read {path}: {err.strerror}"]) from None
    except json.JSONDecodeError as err:
        raise ProfileError([f"(file): {path} is not valid JSON: {err.msg} at line {err.lineno}"]) from None
    except UnicodeDecodeError:
        raise ProfileError([f"(file): {path} is not UTF-8 text"]) from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m calculator", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    ev = sub.add_parser("evaluate", help="evaluate a profile (JSON) against every measure")
    ev.add_argument("profile", help="the profile as a JSON file, or - for standard input")
    ev.add_argument("--as-of", help="date of assessment, YYYY-MM-DD (overrides the profile's as_of)")
    ev.add_argument("--lang", choices=("zh", "en"), help="one language only (default: both in JSON, zh in tables)")
    ev.add_argument("--format", choices=("json", "table"), default="json")
    ev.add_argument("--bundle", help="a data bundle other than the packaged one")
    sub.add_parser("schema", help="print the profile questions as JSON")
    args = parser.parse_args(argv)
    if args.command == "schema":
        json.dump(profile_schema(), sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    try:
        raw = _read_json(args.profile)
        if args.as_of is not None and isinstance(raw, dict):
            raw = {**raw, "as_of": args.as_of}
        bundle = load_bundle(args.bundle) if args.bundle else default_bundle()
        report = Calculator(bundle).evaluate(raw)
    except ProfileError as err:
        for message in err.errors:
            print(f"{args.profile}: {message}", file=sys.stderr)
        return 2
    except BundleMissing as err:
        print(err, file=sys.stderr)
        return 1
    if args.format == "table":
        print(table(report, args.lang or "zh"))
    else:
        json.dump(localize(report, args.lang) if args.lang else report, sys.stdout, ensure_ascii=False, indent=2)
        print()
    return 0
