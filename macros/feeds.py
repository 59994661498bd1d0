"""Subscriptions: an Atom feed per language (policies, measures, their changes, expiry) and an iCalendar of
expiry dates.

Links are relative to the feed (Atom resolves them against the feed's own URL), so
no site address has to be assumed; ids are tag: URIs that never change. A change is one entry per commit and
policy, or per commit and measure (macros.history), dated by its commit: ``change/<commit>/<policy>[/<measure>]``.
"""

from __future__ import annotations

import datetime
import pathlib
from xml.sax.saxutils import escape, quoteattr

from .render import SiteModel, bi, joined, lang_root, measure_path, policy_path, t

TAG = "tag:bj-ai-policy-navigator,2026:"
FEED_TITLE = {"zh": "北京人工智能政策导航：政策与措施", "en": "Beijing AI Policy Navigator: policies and measures"}


LINES_PER_ENTRY = 20  # a change entry's summary lists this many lines at most, then how many more
# The newest change entries only, so that the feed does not grow with the years (every change stays on the pages
# and in /data/measures/).
CHANGE_ENTRIES = 300


def _stamp(day: str | datetime.date) -> str:
    return f"{day}T00:00:00Z"


def _summary(lines, lang: str) -> str:
    told = [getattr(line, lang) for line in lines[:LINES_PER_ENTRY]]
    more = len(lines) - len(told)
    if more > 0:
        told.append(t(lang, f"……另有 {more} 处修改，见网页。", f"… and {more} more changes: see the page."))
    return "\n".join(told)


def change_entries(site: SiteModel, lang: str) -> list[dict]:
    """Every change of the history: per commit, one entry per measure that changed and one for the rest of
    its policy (the policy's own lines, its groups', and those of measures no longer published)."""
    history, root, entries = site.history, "../" + lang_root(lang), []
    if history is None or not history.available:
        return entries  # no history, no invented dates
    for p in site.policies:
        record = history.policy(p["id"])
        for change in record.changes if record else []:
            about: dict[str | None, list] = {}
            for line in change.lines:
                key = line.measure if line.measure and f"{p['id']}/{line.measure}" in site.measures else None
                about.setdefault(key, []).append(line)
            for mid, lines in about.items():
                pid = lines[0].policy or p["id"]  # the id at that commit: the entry's id never changes
                if mid:
                    ref = site.measures[f"{p['id']}/{mid}"]
                    first = history.measure(ref.key) and history.measure(ref.key).first.commit == change.commit
                    name = f"{bi(p['short_title'], lang)} {bi(ref.measure['number'], lang)} {bi(ref.measure['title'], lang)}"
                    link, entry_id = root + measure_path(p["id"], mid) + "#history", f"change/{change.commit}/{pid}/{mid}"
                else:
                    first = record.first.commit == change.commit
                    name = bi(p["short_title"], lang)
                    link, entry_id = root + policy_path(p["id"]) + "#history", f"change/{change.commit}/{pid}"
                verb = t(lang, "收录：", "Published: ") if first else t(lang, "修改：", "Changed: ")
                entries.append({"id": TAG + entry_id, "updated": change.stamp, "title": verb + name, "link": link,
                                "summary": _summary(lines, lang)})
    return sorted(entries, key=lambda e: (e["updated"], e["id"]), reverse=True)[:CHANGE_ENTRIES]


def feed_entries(site: SiteModel, lang: str) -> list[dict]:
    root = "../" + lang_root(lang)
    entries = []
    history = site.history if site.history and site.history.available else None

    def updated(checked: str, record) -> str:
        """The later of the day the facts were checked and the last change."""
        return max(_stamp(checked), record.last.stamp) if record else _stamp(checked)

    for p in site.policies:
        checked = p.get("verified_on") or site.today.isoformat()
        status = site.status(p)
        entries.append({"id": f"{TAG}policy/{p['id']}", "updated": updated(checked, history and history.policy(p["id"])),
                        "title": t(lang, "政策：", "Policy: ") + bi(p["short_title"], lang),
                        "link": root + policy_path(p["id"]),
                        "summary": f"{bi(p['title'], lang)} — {status.label(lang)}"})
        if status.code in ("expiring", "expired"):
            end = datetime.date.fromisoformat(p["dates"]["expires"]["date"])
            since = end if status.code == "expired" else end - datetime.timedelta(days=90)
            entries.append({"id": f"{TAG}policy/{p['id']}/{status.code}/{end}", "updated": _stamp(since),
                            "title": t(lang, "到期提醒：", "Expiry: ") + bi(p["short_title"], lang),
                            "link": root + policy_path(p["id"]), "summary": status.label(lang)})
        for m in p["measures"]:
            record = history and history.measure(f"{p['id']}/{m['id']}")
            entries.append({"id": f"{TAG}measure/{p['id']}/{m['id']}", "updated": updated(checked, record),
                            "title": f"{bi(p['short_title'], lang)} {bi(m['number'], lang)} {bi(m['title'], lang)}",
                            "link": root + measure_path(p["id"], m["id"]),
                            "summary": joined(m["text"][lang])})
    entries += change_entries(site, lang)
    entries.sort(key=lambda e: (e["updated"], e["id"]), reverse=True)
    return entries


def atom(site: SiteModel, lang: str) -> str:
    entries = feed_entries(site, lang)
    updated = max(e["updated"] for e in entries) if entries else _stamp(site.today)
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{"zh-CN" if lang == "zh" else "en"}">',
           f"<id>{TAG}feed/{lang}</id>", f"<title>{escape(FEED_TITLE[lang])}</title>",
           f"<updated>{updated}</updated>",
           f'<link rel="alternate" type="text/html" href="../{lang_root(lang)}"/>',
           f'<link rel="self" href="{lang}.atom"/>',
           f"<author><name>{escape(t(lang, '北京人工智能政策导航维护者', 'Beijing AI Policy Navigator maintainers'))}</name>"
           + "</author>"]
    for e in entries:
        out += ["<entry>", f"<id>{escape(e['id'])}</id>", f"<title>{escape(e['title'])}</title>",
                f"<updated>{e['updated']}</updated>", f"<link href={quoteattr(e['link'])}/>",
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
