"""Subscriptions: an Atom feed per language (policies, measures, expiry) and an iCalendar of expiry dates.

Links are relative to the feed (Atom resolves them against the feed's own URL), so
no site address has to be assumed; ids are tag: URIs that never change.
"""

from __future__ import annotations

import datetime
import pathlib
from xml.sax.saxutils import escape, quoteattr

from .render import SiteModel, bi, joined, lang_root, measure_path, policy_path, t

TAG = "tag:bj-ai-policy-navigator,2026:"
FEED_TITLE = {"zh": "北京人工智能政策导航：政策与措施", "en": "Beijing AI Policy Navigator: policies and measures"}


def _stamp(day: str | datetime.date) -> str:
    return f"{day}T00:00:00Z"


def feed_entries(site: SiteModel, lang: str) -> list[dict]:
    root = "../" + lang_root(lang)
    entries = []
    for p in site.policies:
        checked = p.get("verified_on") or site.today.isoformat()
        status = site.status(p)
        entries.append({"id": f"{TAG}policy/{p['id']}", "updated": checked,
                        "title": t(lang, "政策：", "Policy: ") + bi(p["short_title"], lang),
                        "link": root + policy_path(p["id"]),
                        "summary": f"{bi(p['title'], lang)} — {status.label(lang)}"})
        if status.code in ("expiring", "expired"):
            end = datetime.date.fromisoformat(p["dates"]["expires"]["date"])
            since = end if status.code == "expired" else end - datetime.timedelta(days=90)
            entries.append({"id": f"{TAG}policy/{p['id']}/{status.code}/{end}", "updated": since.isoformat(),
                            "title": t(lang, "到期提醒：", "Expiry: ") + bi(p["short_title"], lang),
                            "link": root + policy_path(p["id"]), "summary": status.label(lang)})
        for m in p["measures"]:
            entries.append({"id": f"{TAG}measure/{p['id']}/{m['id']}", "updated": checked,
                            "title": f"{bi(p['short_title'], lang)} {bi(m['number'], lang)} {bi(m['title'], lang)}",
                            "link": root + measure_path(p["id"], m["id"]),
                            "summary": joined(m["text"][lang])})
    entries.sort(key=lambda e: (e["updated"], e["id"]), reverse=True)
    return entries


def atom(site: SiteModel, lang: str) -> str:
    entries = feed_entries(site, lang)
    updated = max(e["updated"] for e in entries) if entries else site.today.isoformat()
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{"zh-CN" if lang == "zh" else "en"}">',
           f"<id>{TAG}feed/{lang}</id>", f"<title>{escape(FEED_TITLE[lang])}</title>",
           f"<updated>{_stamp(updated)}</updated>",
           f'<link rel="alternate" type="text/html" href="../{lang_root(lang)}"/>',
           f'<link rel="self" href="{lang}.atom"/>',
           f"<author><name>{escape(t(lang, '北京人工智能政策导航维护者', 'Beijing AI Policy Navigator maintainers'))}</name>"
           + "</author>"]
    for e in entries:
        out += ["<entry>", f"<id>{escape(e['id'])}</id>", f"<title>{escape(e['title'])}</title>",
                f"<updated>{_stamp(e['updated'])}</updated>", f"<link href={quoteattr(e['link'])}/>",
                f"<summary>{escape(e['summary'])}</summary>", "</entry>"]
    out.append("</feed>")
    return "\n".join(out) + "\n"


def _ics_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> list[str]:
    """RFC 5545: lines of at most 75 octets, continued with a leading space."""
    out, current = [], ""
    for ch in line:
        if len((current + ch).encode("utf-8")) > (75 if not out else 74):
            out.append(current)
            current = ""
        current += ch
    out.append(current)
    return [out[0]] + [" " + rest for rest in out[1:]]


def icalendar(site: SiteModel) -> str:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Beijing AI Policy Navigator//expiry dates//ZH",
             "CALSCALE:GREGORIAN", "X-WR-CALNAME:北京人工智能政策到期日 · Beijing AI policy expiry dates"]
    stamp = site.today.strftime("%Y%m%dT000000Z")
    for p in site.policies:
        expires = p["dates"].get("expires") or {}
        if not expires.get("date"):
            continue  # unknown stays unknown: no invented date
        day = datetime.date.fromisoformat(expires["date"])
        flag = "" if expires.get("verified") else "（未经核实 unverified）"
        summary = f"{p['short_title']['zh']} 到期 · {p['short_title']['en']} expires{flag}"
        desc = (f"{p['title']['zh']}\n{p['title']['en']}\n"
                f"{policy_path(p['id'])} · en/{policy_path(p['id'])}")
        lines += ["BEGIN:VEVENT", f"UID:{p['id']}-expires@bj-ai-policy-navigator", f"DTSTAMP:{stamp}",
                  f"DTSTART;VALUE=DATE:{day:%Y%m%d}", f"DTEND;VALUE=DATE:{day + datetime.timedelta(days=1):%Y%m%d}",
                  f"SUMMARY:{_ics_text(summary)}", f"DESCRIPTION:{_ics_text(desc)}", "TRANSP:TRANSPARENT",
                  "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(part + "\r\n" for line in lines for part in _fold(line))


def write_feeds(site: SiteModel, root: pathlib.Path) -> list[str]:
    (root / "feeds").mkdir(parents=True, exist_ok=True)
    for lang in ("zh", "en"):
        (root / "feeds" / f"{lang}.atom").write_text(atom(site, lang), encoding="utf-8")
    (root / "feeds" / "expiry.ics").write_bytes(icalendar(site).encode("utf-8"))
    return ["feeds/zh.atom", "feeds/en.atom", "feeds/expiry.ics"]
