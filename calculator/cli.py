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
    "zh": {"eligible": "可能适用", "unknown": "待补充信息", "ineligible": "不符合", "not_in_force": "不在有效期"},
    "en": {"eligible": "may apply", "unknown": "needs answers", "ineligible": "not met", "not_in_force": "not in force"},
}
_PERIOD = {
    "zh": {"once": "一次性", "per_year": "每年", "mixed": "一次性及每年", "unstated": "未写明", None: ""},
    "en": {"once": "once", "per_year": "per year", "mixed": "once and yearly", "unstated": "not stated", None: ""},
}


def period_text(row: dict, lang: str) -> str:
    text = _PERIOD[lang][row["period"]]
    if row["period"] == "per_year" and row["years"]:
        text += f"，最多{row['years']}年" if lang == "zh" else f", up to {row['years']} years"
    return text


def table(report: dict, lang: str) -> str:
    heads = ("措施", "状态", "最高金额（元）", "期限") if lang == "zh" else ("Measure", "Status", "Most (yuan)", "Period")
    rows = [(f"{r['policy']}/{r['measure']}", _STATUS[lang][r["status"]],
             f"{r['max_amount']:,}" if r["max_amount"] is not None else "—", period_text(r, lang))
            for r in report["results"]]
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(heads)] if rows else [len(h) for h in heads]
    lines = ["  ".join(h.ljust(w) for h, w in zip(heads, widths))]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)) for row in rows]
    total = report["total"]
    label = "合计（上限估算，并非承诺）" if lang == "zh" else "Total (an upper bound, not a promise)"
    lines += ["", f"{label}: {total['amount']:,}", total["note"][lang] if isinstance(total["note"], dict) else total["note"]]
    return "\n".join(lines)


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
