"""Markdown of the generated policy pages: the list, one page per policy, one per measure.

Pages are written as Markdown headings (for the table of contents and search
sections) around raw HTML blocks; every value from the YAML goes through
``render.esc`` so it can never be read as HTML, Markdown or a template.
"""

from __future__ import annotations

import html
import json
import pathlib
import posixpath

from calculator.fields import DISTRICTS

from .render import (
    DATE_KINDS,
    KINDS,
    NOT_FOUND,
    PERIODS,
    ROLES,
    STATUS_LABELS,
    UNVERIFIED,
    MeasureRef,
    SiteModel,
    attr,
    bi,
    condition_text,
    date_text,
    esc,
    field_label,
    jurisdiction,
    lang_root,
    main_source_kind,
    measure_path,
    money,
    money_awards,
    period_label,
    policy_path,
    reference_key,
    status_chip,
    t,
    zh_quote,
)
from .search_terms import measure_tags
from .timeline import dates_line, measure_history, policy_history


def rel(from_path: str, to_path: str) -> str:
    """Relative URL between two site paths (directory URLs, '' is the root)."""
    target, _, anchor = to_path.partition("#")
    start = "/" + from_path.rstrip("/")
    out = posixpath.relpath("/" + target.rstrip("/"), start) if target.strip("/") else posixpath.relpath("/", start)
    out = "" if out == "." else out + "/"
    return out + ("#" + anchor if anchor else "")


def front_matter(title: str, hide=("navigation",), **meta) -> str:
    # The title is plain text in <title> and the nav: HTML-escaped, JSON-quoted (valid YAML).
    lines = ["---", f"title: {json.dumps(html.escape(title), ensure_ascii=False)}", "render_macros: false",
             f"hide: {json.dumps(list(hide))}"]
    lines += [f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in meta.items()]
    return "\n".join(lines + ["---", ""])


# Search ranks what a company can act on first: an expired document or a secondary summary below the others
# (Material's page boost; a stronger lift of documents in force outranked better matches of their words).
SEARCH_BOOST = {"in-force": 1, "expiring": 1, "not-yet": 1, "unknown": 1, "expired": 0.5}


def search_boost(site: SiteModel, p: dict) -> dict:
    main = main_source_kind(p)
    boost = SEARCH_BOOST[site.status(p).code]
    return {"boost": min(boost, 0.5) if main == "secondary" else boost}


def translation_note(lang: str, page_path: str) -> str:
    """English pages: the translation is unofficial; link to the Chinese original."""
    if lang == "zh":
        return ""
    href = rel("en/" + page_path, page_path)
    return (f'<div class="admonition info bjp-translation" data-search-exclude><p class="admonition-title">Unofficial translation</p>'
            f'<p>English texts on this site are unofficial translations; only the Chinese text is authoritative. '
            f'<a href="{href}" hreflang="zh" lang="zh">阅读中文原文 (Chinese original)</a>.</p></div>\n\n')


def paragraphs(text) -> str:
    parts = text if isinstance(text, list) else [text]
    if isinstance(text, list):
        return "".join(f'<p class="bjp-excerpt">…{esc(p)}…</p>' for p in parts)
    return "".join(f"<p>{esc(p)}</p>" for p in parts)


# ── terms ────────────────────────────────────────────────────────────────────────────────────────

def _rate(b: dict, lang: str) -> str:
    if "rate" in b and b["rate"] is None:
        return t(lang, "一定比例（未公布）", "a share, rate not published")
    if not b.get("rate"):
        return "—"
    return (t(lang, "不超过", "up to ") if b.get("rate_is_ceiling") else "") + esc(b["rate"])


def _tiers(b: dict, lang: str) -> str:
    items = []
    for tier in b.get("tiers", []):
        if "threshold" in tier:
            when = f"{field_label(b['key'], lang)} ≥ {money(tier['threshold'], lang)}"
        elif "value" in tier:
            when = condition_text({"field": b["key"], "op": "eq", "value": tier["value"]}, lang)
        else:
            when = condition_text(tier["when"], lang)
        what = money(tier["amount"], lang) if tier.get("amount") is not None else tier.get("rate", "")
        items.append(f"<li>{esc(when)} → {esc(what)}</li>")
    basis = {"first_reach": t(lang, "首次达到", "first reached"), "reached": t(lang, "达到", "reached"),
             "value": ""}.get(b.get("basis"), "")
    return (f"<span>{esc(basis)}</span>" if basis else "") + f'<ul class="bjp-tiers">{"".join(items)}</ul>'


def _amount(b: dict, lang: str) -> str:
    kind = b["kind"]
    if kind == "share":
        return (t(lang, "最高", "up to ") + esc(money(b["cap"], lang))) if b.get("cap") is not None else t(
            lang, "文本未载明上限", "no cap stated")
    if kind == "fixed":
        return t(lang, "最高", "up to ") + esc(money(b["amount"], lang))
    if kind == "per_unit":
        out = esc(money(b["amount"], lang)) + t(lang, " × ", " × ") + esc(field_label(b["count"], lang))
        if b.get("cap") is not None:
            out += t(lang, "，最高", ", up to ") + esc(money(b["cap"], lang))
        return out
    if kind == "tiers":
        out = _tiers(b, lang)
        if b.get("cap") is not None:
            out += t(lang, "最高", "up to ") + esc(money(b["cap"], lang))
        return out
    out = esc(bi(b.get("description"), lang))  # in kind, or anything else the text describes
    if b.get("pool"):
        pool = b["pool"]
        out += (f'<br><span class="bjp-pool">{t(lang, "全市资金池", "City-wide pool")} {esc(money(pool["amount"], lang))}'
                f'{t(lang, "，由全部申请者共享，并非单个企业的金额", ", shared by every applicant: not one company’s amount")}'
                "</span>")
    return out


def _variant(v: dict, lang: str) -> str:
    changes = []
    if v.get("rate"):
        changes.append(t(lang, "比例 ", "rate ") + esc(v["rate"]))
    if v.get("cap") is not None:
        changes.append(t(lang, "上限 ", "cap ") + esc(money(v["cap"], lang)))
    if v.get("amount") is not None:
        changes.append(t(lang, "金额 ", "amount ") + esc(money(v["amount"], lang)))
    if v.get("amount_increment") is not None:
        changes.append(t(lang, "每档提高 ", "each tier + ") + esc(money(v["amount_increment"], lang)))
    if v.get("years") is not None:
        changes.append(t(lang, f"{v['years']} 年", f"{v['years']} years"))
    sep = "，" if lang == "zh" else ", "
    return f"<strong>{esc(bi(v.get('label'), lang))}</strong>: {sep.join(changes)}"


def _award(site: SiteModel, b: dict, lang: str) -> str:
    """The kind of award, with the number of places where the text gives it."""
    out = f'<span class="bjp-award bjp-award-{attr(b["award"])}">{esc(site.vocab("award_kinds", b["award"], lang))}</span>'
    if b.get("places"):
        out += f'<br><span class="bjp-note">{t(lang, "名额", "Places")}{t(lang, "：", ": ")}' + (
            f'{zh_quote(b["places"]["quote"])}' if lang == "zh" else esc(b["places"]["en"])) + "</span>"
    return out


def terms_table(site: SiteModel, measure: dict, lang: str) -> str:
    head = [t(lang, "支持事项", "Support"), t(lang, "比例", "Rate"), t(lang, "金额", "Amount"),
            t(lang, "周期", "Period"), t(lang, "年限", "Years"), t(lang, "条件", "Conditions"),
            t(lang, "提高档", "Higher variant"), t(lang, "支持方式", "Kind of award")]
    rows, notes = [], []
    for b in measure["benefits"]:
        name = esc(bi(b["label"], lang)) if b.get("label") else esc(KINDS[b["kind"]][lang])
        if b.get("note"):
            # Caveats go under the table: in a cell they would squeeze the columns.
            notes.append(esc(bi(b["note"], lang)))
            name += f"<sup>{len(notes)}</sup>"
        rate = _rate(b, lang)
        period = period_label(b, lang)
        if b.get("per") and b["per"] != "enterprise":
            period += t(lang, "，", ", ") + site.vocab("per_units", b["per"], lang)
        if b.get("years") is not None:
            years = t(lang, f"{b['years']} 年", f"{b['years']}")
        else:
            years = t(lang, "未载明", "not stated") if b["period"] == "per_year" else "—"
        conds = [esc(condition_text(c, lang)) for c in b.get("conditions", []) or []]
        if b.get("beneficiaries"):
            conds.insert(0, t(lang, "仅限", "Only for ") + t(lang, "、", ", ").join(
                esc(site.vocab("beneficiaries", x, lang)) for x in b["beneficiaries"]))
        conds = "<br>".join(conds) or "—"
        variants = "<br>".join(_variant(v, lang) for v in b.get("variants", []) or []) or "—"
        cells = [name, rate, _amount(b, lang), esc(period), esc(years), conds, variants, _award(site, b, lang)]
        # data-label: on a phone each term is a card, each cell under its column's name (bjp.css).
        rows.append("<tr>" + "".join(f'<td data-label="{attr(h)}">{c}</td>' for h, c in zip(head, cells, strict=True))
                    + "</tr>")
    return ('<table data-bjp="terms">'
            "<thead><tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr></thead>"
            "<tbody>" + "".join(rows) + "</tbody></table>"
            + "".join(f'<p class="bjp-note"><sup>{i}</sup> {note}</p>' for i, note in enumerate(notes, 1)))


def requirements_list(site: SiteModel, measure: dict, lang: str) -> str:
    """Every requirement the text states that the checker does not ask, with the text's own words."""
    items = []
    for owner, reqs in [(None, measure.get("requirements", []))] + [(b, b.get("requirements", []))
                                                                     for b in measure["benefits"]]:
        for r in reqs:
            quote = r["quote"] if isinstance(r["quote"], str) else "；".join(q["text"] for q in r["quote"])
            whose = f'【{esc(bi(owner["label"], lang))}】' if owner is not None and owner.get("label") else ""
            items.append(f'<li data-requirement="{attr(r["id"])}"><span class="bjp-chip">'
                         f'{esc(site.vocab("requirement_kinds", r["kind"], lang))}</span> {whose}{esc(bi(r["label"], lang))}'
                         f' — {zh_quote(quote)}</li>')
    if not items:
        return ""
    return (f'<div class="bjp-requirements"><p><strong>{t(lang, "另须满足（计算器不询问，由主管部门审核）", "Also required (not asked by the checker; the office decides)")}'
            f'</strong></p><ul>{"".join(items)}</ul></div>')


def other_sources(policy: dict, measure: dict, lang: str) -> str:
    """The words a term's figures come from when they are not in the measure's own text (e.g. a guide)."""
    described = {s["id"]: s for s in policy["source_texts"]}
    items = []
    for b in measure["benefits"]:
        quotes = b["quote"] if isinstance(b["quote"], list) else [{"source": b.get("source", "main"), "text": b["quote"]}]
        for q in quotes:
            if q["source"] != "main":
                where = described[q["source"]].get("description")
                items.append(f'<li>{esc(bi(where, lang)) if where else esc(q["source"])}{t(lang, "：", ": ")}'
                             f'{zh_quote(q["text"])}</li>')
    if not items:
        return ""
    return (f'<div class="bjp-other-sources"><p><strong>{t(lang, "金额和比例所依据的其他文本原话", "The words the figures come from, in other texts")}'
            f'</strong></p><ul>{"".join(items)}</ul></div>')


# What a measure's text is, said where it is shown: a summary is never called the original.
TEXT_KIND = {
    "secondary": {"zh": "以下为第三方摘要或解读的摘录，并非政策原文；请以官方原文为准。",
                  "en": "Excerpts of a third-party summary or analysis, not the text of the document; the official text prevails.",
                  "summary_en": "Chinese words of the third-party summary (not the original)"},
    "collected": {"zh": "以下为收集的全文，其发布网页未记录，尚未与官方发布核对。",
                  "en": "The full text as collected; the page that published it was not recorded and it has not been checked against an official publication.",
                  "summary_en": "Chinese text as collected (not checked against an official publication)"},
}


def _cap_line(cap: dict | None, lang: str, whose: dict) -> str:
    if not cap:
        return ""
    period = f" ({PERIODS[cap['period']][lang]})" if cap["period"] != "unstated" else ""
    return (f'<p class="bjp-cap"><strong>{esc(whose[lang])}</strong>: {esc(money(cap["amount"], lang))}'
            f'{esc(period)} — {zh_quote(cap["quote"])}</p>')


def measure_text(ref: MeasureRef, lang: str) -> str:
    """A measure's own words (and what kind of text they are): first on its page, so that a search result
    shows them rather than the page's frame."""
    m = ref.measure
    parts = []
    kind = main_source_kind(ref.policy)
    if lang == "zh":
        parts.append(f'<div class="bjp-text" lang="zh">{paragraphs(m["text"]["zh"])}</div>')
    else:
        summary = TEXT_KIND[kind]["summary_en"] if kind in TEXT_KIND else "Chinese original (authoritative)"
        parts.append(f'<div class="bjp-text" lang="en">{paragraphs(m["text"]["en"])}</div>'
                     f'<details class="bjp-original"><summary>{esc(summary)}</summary>'
                     f'<div lang="zh">{paragraphs(m["text"]["zh"])}</div></details>')
    if kind in TEXT_KIND:  # after the words: they are what a search result shows
        parts.append(f'<p class="bjp-text-kind" data-text-kind="{attr(kind)}">{esc(TEXT_KIND[kind][lang])}</p>')
    return "\n".join(parts) + "\n"


def measure_body(site: SiteModel, ref: MeasureRef, lang: str, page_path: str, with_text: bool = True) -> str:
    """Everything about one measure, shared by the policy page and the measure page (which shows the text
    first, above its frame)."""
    m = ref.measure
    parts = [measure_text(ref, lang)] if with_text else []
    cats = " ".join(f'<span class="bjp-chip">{esc(site.vocab("categories", c, lang))}</span>'
                    for c in m["categories"])
    bens = t(lang, "、", ", ").join(esc(site.vocab("beneficiaries", b, lang)) for b in m["beneficiaries"])
    parts.append(f'<p class="bjp-meta"><strong>{t(lang, "类别", "Categories")}</strong>: {cats}<br>'
                 f'<strong>{t(lang, "支持对象", "Who may apply")}</strong>: {bens}</p>')
    parts.append(terms_table(site, m, lang))
    parts.append(requirements_list(site, m, lang))
    parts.append(other_sources(ref.policy, m, lang))
    parts.append(_cap_line(m.get("cap"), lang, {"zh": "本条总上限", "en": "Cap for this measure"}))
    if ref.group:
        parts.append(_cap_line(ref.group.get("cap"), lang, {"zh": "所在部分共用上限", "en": "Cap shared by its part"}))
    units = m.get("responsible_units") or []
    units_text = t(lang, "、", "; ").join(esc(bi(u, lang)) for u in units) or t(
        lang, "文本未载明", "not stated in the text")
    parts.append(f'<p class="bjp-units"><strong>{t(lang, "责任单位", "Responsible units")}</strong>: {units_text}</p>')
    links = []
    for link in m.get("references", []) or []:
        key = reference_key(ref.policy, link)
        target = site.measures.get(key)
        relation = esc(site.vocab("relations", link["relation"], lang))
        note = f' — {esc(bi(link["note"], lang))}' if link.get("note") else ""
        if target:
            href = rel(lang_root(lang) + page_path, lang_root(lang) + measure_path(*key.split("/")))
            links.append(f'<li>{relation}: <a href="{attr(href)}">{esc(measure_name(target, lang))}</a>{note}</li>')
        else:
            links.append(f"<li>{relation}: {esc(key)}{note}</li>")
    if links:
        parts.append(f'<p><strong>{t(lang, "关联措施", "Related measures")}</strong></p><ul>{"".join(links)}</ul>')
    return "\n".join(p for p in parts if p) + "\n"


def measure_name(ref: MeasureRef, lang: str) -> str:
    return f"{bi(ref.policy['short_title'], lang)} {bi(ref.measure['number'], lang)} {bi(ref.measure['title'], lang)}"


# ── the policy page ──────────────────────────────────────────────────────────────────────────────

def status_banner(site: SiteModel, policy: dict, lang: str) -> str:
    status = site.status(policy)
    kind = {"in-force": "success", "expiring": "warning", "expired": "failure", "not-yet": "note",
            "unknown": "warning"}[status.code]  # unknown is never drawn as good news
    title = t(lang, f"状态（按 {site.today} 计算）", f"Status (as of {site.today})")
    return (f'<div class="admonition {kind} bjp-status" data-status="{status.code}" data-search-exclude>'
            f'<p class="admonition-title">{esc(title)}</p><p>{esc(status.label(lang))}</p></div>\n\n')


def _facts(site: SiteModel, p: dict, lang: str) -> str:
    rows = []

    def row(label, value):
        rows.append(f"<tr><th>{label}</th><td>{value}</td></tr>")

    title = esc(bi(p["title"], lang))
    if not p["title"].get("official", True) or p["title"].get("note"):
        title += f' <span class="bjp-note">{esc(bi(p["title"].get("note"), lang))}</span>'
    row(t(lang, "标题", "Title"), title)
    if lang == "en":
        row("Chinese title", f'<span lang="zh">{esc(p["title"]["zh"])}</span>')
    row(t(lang, "辖区", "Jurisdiction"), esc(jurisdiction(p["jurisdiction"], lang)))
    issuers = []
    for issuer in p.get("issuers", []):
        one = f"{esc(bi(issuer['name'], lang))} ({esc(ROLES.get(issuer['role'], {lang: issuer['role']})[lang])})"
        if not issuer.get("verified", False):
            one += f' <span class="bjp-unverified">{UNVERIFIED[lang]}</span>'
        if issuer.get("note"):
            one += f' <span class="bjp-note">{esc(bi(issuer["note"], lang))}</span>'
        issuers.append(one)
    if not issuers:
        issuers.append(f'<span class="bjp-unknown">{NOT_FOUND[lang]}</span>')
    if p.get("issuers_note"):
        issuers.append(f'<span class="bjp-note">{esc(bi(p["issuers_note"], lang))}</span>')
    row(t(lang, "发布机关", "Issued by"), "<br>".join(issuers))
    number = p.get("document_number") or {}
    value = esc(number["value"]) if number.get("value") else f'<span class="bjp-unknown">{NOT_FOUND[lang]}</span>'
    if number.get("value") and not number.get("verified"):
        value += f' <span class="bjp-unverified">{UNVERIFIED[lang]}</span>'
    if number.get("note"):
        value += f' <span class="bjp-note">{esc(bi(number["note"], lang))}</span>'
    row(t(lang, "发文字号", "Document number"), value)
    for key, label in DATE_KINDS:
        row(label[lang], date_text(p["dates"].get(key), lang, site.vocabulary["date_rules"]))
    row(t(lang, "最近核对", "Last checked"), esc(p.get("verified_on", "")))
    return f'<table data-bjp="facts"><tbody>{"".join(rows)}</tbody></table>\n\n'


def sources_in_order(p: dict) -> list[dict]:
    """The page the quoted text comes from first: a policy known from a summary does not open its list of
    sources with an official page whose text is not here."""
    main = main_source_kind(p)
    return sorted(p.get("sources", []), key=lambda s_: s_["kind"] != main)


def source_chip(site: SiteModel, p: dict, source: dict, lang: str) -> str:
    """The kind of a source; an official page is drawn green only when the text quoted here is the official one."""
    main = main_source_kind(p)
    kind = esc(site.vocab("source_kinds", source["kind"], lang))
    if source["kind"] == "official" and main != "official":
        return (f'<span class="bjp-chip bjp-source-official-elsewhere">{kind}</span> <span class="bjp-note">'
                + t(lang, "（本站文字并非取自此页）", "(the text here is not taken from it)") + "</span>")
    return f'<span class="bjp-chip bjp-source-{attr(source["kind"])}">{kind}</span>'


def _sources(site: SiteModel, p: dict, lang: str) -> str:
    items = []
    for s in sources_in_order(p):
        note = f'<br><span class="bjp-note">{esc(bi(s["note"], lang))}</span>' if s.get("note") else ""
        url = s.get("url")
        name = esc(bi(s.get("title"), lang)) or esc(url)
        link = f'<a href="{attr(url)}" rel="noopener" class="bjp-external">{name}</a>' if url else name
        items.append(f'<li>{source_chip(site, p, s, lang)} {link}{note}</li>')
    out = f'<ul class="bjp-sources">{"".join(items)}</ul>\n'
    if p.get("source_note"):
        out += f'<p class="bjp-note">{esc(bi(p["source_note"], lang))}</p>\n'
    return out + "\n"


def _rules(site: SiteModel, p: dict, lang: str) -> str:
    out = []
    comb = [f'<li><strong>{esc(site.vocab("combination_rules", c["rule"], lang))}</strong>'
            f' ({esc(t(lang, "区内" if c["scope"] == "district" else "市级", c["scope"]))}): '
            f'{zh_quote(c["quote"])}' + (f" — {esc(c['en'])}" if lang == "en" else "") + "</li>"
            for c in p.get("combination", [])]
    if p.get("combination_note"):
        comb.append(f'<li class="bjp-note">{esc(bi(p["combination_note"], lang))}</li>')
    if not comb:
        comb.append(f"<li>{t(lang, '文本未载明', 'Not stated in the text')}</li>")
    out.append(f'<p><strong>{t(lang, "与其他政策的叠加", "Combination with other support")}</strong></p>'
               f'<ul>{"".join(comb)}</ul>')
    app = [f'<li><strong>{esc(site.vocab("application_rules", a["rule"], lang))}</strong>: '
           f'{zh_quote(a["quote"])}' + (f" — {esc(a['en'])}" if lang == "en" else "") + "</li>"
           for a in p.get("application", [])]
    if app:
        out.append(f'<p><strong>{t(lang, "申报规则", "Applying")}</strong></p><ul>{"".join(app)}</ul>')
    if p.get("eligibility"):
        e = p["eligibility"]
        conds = "; ".join(condition_text(c, lang) for c in e.get("conditions", []))
        out.append(f'<p><strong>{t(lang, "适用范围", "Who is covered")}</strong>: {zh_quote(e["quote"])}'
                   + (f" — {esc(e['en'])}" if lang == "en" else "")
                   + (f'<br><span class="bjp-note">{esc(conds)}</span>' if conds else "") + "</p>")
    return "\n".join(out) + "\n\n"


def policy_page(site: SiteModel, p: dict, lang: str) -> str:
    path = policy_path(p["id"])
    out = [front_matter(bi(p["short_title"], lang), policy=p["id"], search=search_boost(site, p))]
    out.append(f"# {esc(bi(p['short_title'], lang))}\n")
    out.append(translation_note(lang, path))
    out.append(status_banner(site, p, lang))
    out.append(dates_line(site, site.history.policy(p["id"]) if site.history else None, lang))
    out.append(f"## {t(lang, '基本信息', 'Facts')} {{#facts}}\n\n")
    out.append(_facts(site, p, lang))
    out.append(f"## {t(lang, '来源', 'Sources')} {{#sources}}\n\n")
    out.append(_sources(site, p, lang))
    out.append(f"## {t(lang, '叠加与申报规则', 'Combination and application rules')} {{#rules}}\n\n")
    out.append(_rules(site, p, lang))
    if p.get("preamble"):
        text = p["preamble"][lang]
        out.append(f'<div class="bjp-preamble"><p>{esc(text)}</p></div>\n\n')
    current = None
    for measure in p["measures"]:
        ref = site.measures[f"{p['id']}/{measure['id']}"]
        level = "##"
        if measure.get("group"):
            level = "###"
            if measure["group"] != current:
                g = ref.group
                out.append(f"## {esc(bi(g['number'], lang))} {esc(bi(g['title'], lang))} {{#group-{g['id']}}}\n\n")
                if g.get("text"):
                    out.append(f'<div class="bjp-text">{paragraphs(g["text"][lang])}</div>\n')
                out.append(_cap_line(g.get("cap"), lang, {"zh": "本部分共用上限", "en": "Cap shared by this part"})
                           + "\n\n")
        current = measure.get("group")
        out.append(f"{level} {esc(bi(measure['number'], lang))} {esc(bi(measure['title'], lang))} "
                   f"{{#{measure['id']}}}\n\n")
        href = rel(lang_root(lang) + path, lang_root(lang) + measure_path(p["id"], measure["id"]))
        out.append(measure_body(site, ref, lang, path))
        out.append(f'<p class="bjp-permalink"><a href="{attr(href)}">{t(lang, "本措施单独页面", "Page of this measure")}'
                   f"</a></p>\n\n")
    out.append(f"## {t(lang, '修改记录', 'History of changes')} {{#history data-search-exclude}}\n\n")
    out.append(policy_history(site, p, lang, path))
    return "".join(out)


CURRENT = ("in-force", "expiring")  # in force on the build date


SECONDARY_MARK = {"zh": "仅见第三方摘要", "en": "secondary summary only"}


def source_marks(site: SiteModel, ref, lang: str) -> str:
    """What the reader must know of a cell's source, in the cell itself: not in force, unverified, a summary."""
    status = site.status(ref.policy)
    marks = []
    if status.code not in CURRENT:
        marks.append((status.code, STATUS_LABELS[status.code][lang]))
    elif status.unverified:
        marks.append(("unverified", t(lang, "日期未经核实", "dates unverified")))
    kind = main_source_kind(ref.policy)
    if kind == "secondary":
        marks.append(("secondary", SECONDARY_MARK[lang]))
    return "".join(f' <span class="bjp-mark bjp-mark-{attr(code)}">{esc(text)}</span>' for code, text in marks)


# ── the measure page ─────────────────────────────────────────────────────────────────────────────

def _measure_list(site: SiteModel, refs, lang: str, page_path: str, extra=None) -> str:
    items = []
    for i, ref in enumerate(refs):
        href = rel(lang_root(lang) + page_path, lang_root(lang) + measure_path(ref.policy["id"], ref.measure["id"]))
        top = ref.top
        amount = f" — {t(lang, '最高', 'up to ')}{esc(money(top, lang))}" if top else ""
        if top and money_awards(ref.measure) == {"competitive"}:
            amount += t(lang, "（竞争性评选）", " (competitive)")
        amount += source_marks(site, ref, lang)
        more = extra[i] if extra else ""
        items.append(f'<li><span class="bjp-chip">{esc(jurisdiction(ref.policy["jurisdiction"], lang))}</span> '
                     f'<a href="{attr(href)}">{esc(measure_name(ref, lang))}</a>{amount}{more}</li>')
    return f'<ul class="bjp-related">{"".join(items)}</ul>\n\n'


def how_to_apply(site: SiteModel, ref: MeasureRef, lang: str, page_path: str) -> str:
    """Next steps as far as the sources say: the call and budget rules, whom to ask, and the official source.
    Nothing is invented: an unknown fact is said to be unknown."""
    p, m = ref.policy, ref.measure
    out = []
    rules = [f'<li><strong>{esc(site.vocab("application_rules", a["rule"], lang))}</strong>{t(lang, "：", ": ")}'
             f'{zh_quote(a["quote"])}' + (f" — {esc(a['en'])}" if lang == "en" else "") + "</li>"
             for a in p.get("application", [])]
    out.append(f'<p><strong>{t(lang, "申报方式", "How applications are made")}</strong></p>'
               + (f'<ul>{"".join(rules)}</ul>' if rules else
                  f'<p class="bjp-unknown">{t(lang, "文本未载明申报方式和时间；请关注发布机关的申报通知。", "The text says nothing of how or when to apply; watch for the issuing body’s call for applications.")}</p>'))
    units = m.get("responsible_units") or []
    issuers = [i for i in p.get("issuers", []) if i["role"] in ("issuer", "co-issuer")]
    if units:
        who = t(lang, "、", "; ").join(esc(bi(u, lang)) for u in units)
        whom = f'{who} <span class="bjp-note">{t(lang, "（本条载明的责任单位）", "(the responsible units this measure names)")}</span>'
    elif issuers:
        names = []
        for i in issuers:
            name = esc(bi(i["name"], lang))
            if not i.get("verified"):
                name += f' <span class="bjp-unverified">{UNVERIFIED[lang]}</span>'
            names.append(name)
        whom = t(lang, "、", "; ").join(names) + (
            f' <span class="bjp-note">{t(lang, "（本条未载明责任单位；此为发布机关）", "(this measure names no responsible unit; this is the issuing body)")}</span>')
    else:
        whom = f'<span class="bjp-unknown">{t(lang, "未查到：本条未载明责任单位，发布机关也未查到", "not found: the measure names no responsible unit and the issuing body is not known")}</span>'
    out.append(f'<p><strong>{t(lang, "咨询与受理", "Whom to ask")}</strong>{t(lang, "：", ": ")}{whom}</p>')
    links = []
    for s_ in sources_in_order(p):
        name = esc(bi(s_.get("title"), lang))
        if s_.get("url"):
            name = f'<a href="{attr(s_["url"])}" rel="noopener" class="bjp-external">{name}</a>'
        else:
            name += f' <span class="bjp-unknown">{t(lang, "（网址未记录）", "(address not recorded)")}</span>'
        links.append(f'<li>{source_chip(site, p, s_, lang)} {name}</li>')
    if not any(s_["kind"] == "official" and s_.get("url") for s_ in p.get("sources", [])):
        links.append(f'<li class="bjp-unknown">{t(lang, "未找到官方发布页面。", "No official page of this document has been found.")}</li>')
    out.append(f'<p><strong>{t(lang, "来源", "Sources")}</strong></p><ul class="bjp-sources">{"".join(links)}</ul>')
    checker = rel(lang_root(lang) + page_path, lang_root(lang) + "checker/")
    out.append(f'<p><a href="{attr(checker)}">{t(lang, "用资格自查估算本企业可能适用的金额", "Estimate what may apply to your organisation with the checker")}</a></p>')
    return "\n".join(out) + "\n\n"


def measure_page(site: SiteModel, ref: MeasureRef, lang: str) -> str:
    p, m = ref.policy, ref.measure
    path = measure_path(p["id"], m["id"])
    title = f"{bi(m['number'], lang)} {bi(m['title'], lang)}"
    tags = measure_tags([site.vocabulary["categories"][c] for c in m["categories"]],
                        jurisdiction(p["jurisdiction"], lang), lang)
    out = [front_matter(f"{title} · {bi(p['short_title'], lang)}", policy=p["id"], measure=m["id"], tags=tags,
                        search=search_boost(site, p))]
    out.append(f"# {esc(title)}\n\n")
    out.append(measure_text(ref, lang) + "\n")
    policy_href = rel(lang_root(lang) + path, lang_root(lang) + policy_path(p["id"]))
    out.append(f'<p class="bjp-breadcrumb" data-search-exclude>{t(lang, "出自", "From")} <a href="{attr(policy_href)}">'
               f'{esc(bi(p["title"], lang))}</a>'
               + (f' (<a href="{attr(policy_href)}#{attr(m["id"])}">{esc(bi(m["number"], lang))}</a>)') + "</p>\n\n")
    out.append(translation_note(lang, path))
    out.append(status_banner(site, p, lang))
    out.append(dates_line(site, site.history.measure(ref.key) if site.history else None, lang))
    out.append(f'<p class="bjp-copy" data-search-exclude><code class="bjp-permalink-url">/{esc(lang_root(lang) + path)}</code> '
               f'<button type="button" class="md-button bjp-copy-link" hidden '
               f'data-copied="{t(lang, "已复制", "Copied")}">{t(lang, "复制链接", "Copy link")}</button></p>\n\n')
    out.append(f"## {t(lang, '条款与要求', 'Terms and requirements')} {{#terms}}\n\n")
    out.append(measure_body(site, ref, lang, path, with_text=False))
    out.append(f"\n## {t(lang, '如何申报', 'How to apply')} {{#apply}}\n\n")
    out.append(how_to_apply(site, ref, lang, path))
    out.append(f"\n## {t(lang, '其他辖区的同类措施', 'Similar measures elsewhere')} {{#similar data-search-exclude}}\n\n")
    similar, count = site.similar(ref)
    out.append(_measure_list(site, similar, lang, path) if similar else
               f"<p>{t(lang, '其他辖区暂无同类措施。', 'No measure of this category in other jurisdictions yet.')}</p>\n\n")
    if count > len(similar):
        main = m["categories"][0]
        compare = rel(lang_root(lang) + path, lang_root(lang) + "compare/")
        out.append(f'<p><a href="{attr(compare)}#{attr(main)}">'
                   + t(lang, f"在对比表中查看全部 {count} 条", f"All {count} in the comparison table") + "</a></p>\n\n")
    out.append(f"## {t(lang, '引用本措施的措施', 'Referenced by')} {{#referenced-by data-search-exclude}}\n\n")
    backlinks = site.referenced_by.get(ref.key, [])
    if backlinks:
        extra = [f" ({esc(site.vocab('relations', link['relation'], lang))})" for _, link in backlinks]
        out.append(_measure_list(site, [r for r, _ in backlinks], lang, path, extra))
    else:
        out.append(f"<p>{t(lang, '暂无其他措施引用本措施。', 'No other measure refers to this one.')}</p>\n\n")
    out.append(f"## {t(lang, '修改记录', 'History of changes')} {{#history data-search-exclude}}\n\n")
    out.append(measure_history(site, ref, lang))
    from .embed import snippet_section  # the embeds are drawn with this module's terms
    out.append(f"## {t(lang, '嵌入本措施', 'Embed this measure')} {{#embed data-search-exclude}}\n\n")
    out.append(snippet_section(site, ref, lang, path))
    return "".join(out)


# ── the list of policies ─────────────────────────────────────────────────────────────────────────

def policies_index(site: SiteModel, lang: str) -> str:
    path = "policies/"
    out = [front_matter(t(lang, "政策", "Policies"))]
    out.append(f"# {t(lang, '政策一览', 'All policies')}\n\n")
    out.append(translation_note(lang, path))
    out.append(f"<p>{t(lang, f'共 {len(site.policies)} 项政策、{len(site.measures)} 条措施。状态按 {site.today} 计算。',
                       f'{len(site.policies)} policies with {len(site.measures)} measures. Status as of {site.today}.')}"
               "</p>\n\n")
    out.append(coverage_note(site, lang))
    # Filters are shown by the script only; without it the full table stays readable.
    juris = "".join(f'<option value="{attr(j)}">{esc(jurisdiction(j, lang))}</option>'
                    for j in site.jurisdictions_in_use())
    cats = "".join(f'<option value="{attr(c)}">{esc(site.vocab("categories", c, lang))}</option>'
                   for c in site.categories_in_use())
    stats = "".join(f'<option value="{code}">{esc(label[lang])}</option>' for code, label in STATUS_LABELS.items())
    everything = t(lang, "全部", "All")
    out.append(f'<form class="bjp-filters" data-target="bjp-policies" hidden>'
               f'<label>{t(lang, "辖区", "Jurisdiction")} <select name="jurisdiction"><option value="">{everything}'
               f'</option>{juris}</select></label> '
               f'<label>{t(lang, "类别", "Category")} <select name="categories"><option value="">{everything}'
               f'</option>{cats}</select></label> '
               f'<label>{t(lang, "状态", "Status")} <select name="status"><option value="">{everything}'
               f'</option>{stats}</select></label></form>\n\n')
    # The status right after the title: on a phone the first columns are the ones in view.
    head = [t(lang, "政策", "Policy"), t(lang, "状态", "Status"), t(lang, "辖区", "Jurisdiction"),
            t(lang, "发布机关", "Issuer"), t(lang, "发布日期", "Published"), t(lang, "失效日期", "Expires"),
            t(lang, "措施数", "Measures"), t(lang, "单项最高金额", "Largest amount")]
    rows = []
    for p in site.policies:
        href = rel(lang_root(lang) + path, lang_root(lang) + policy_path(p["id"]))
        status = site.status(p)
        cats_attr = " ".join(sorted({c for m in p["measures"] for c in m["categories"]}))
        names = [bi(i["name"], lang) for i in p.get("issuers", []) if i["role"] != "approver"]
        issuer = (f'<span title="{attr("; ".join(names))}">{esc(names[0])}'
                  + (t(lang, " 等", " et al.") if len(names) > 1 else "") + "</span>") if names else (
            f'<span class="bjp-unknown">{NOT_FOUND[lang]}</span>')
        amounts = [a for a in (site.measures[f"{p['id']}/{m['id']}"].top for m in p["measures"]) if a]
        top = max(amounts) if amounts else None
        published = p["dates"].get("published", {})
        expires = p["dates"].get("expires", {})
        secondary = main_source_kind(p) == "secondary"
        top_cell = esc(money(top, lang)) if top else "—"
        if top and secondary:  # an amount read in a summary, never the document's own
            top_cell += (' <span class="bjp-mark bjp-mark-secondary">'
                         + SECONDARY_MARK[lang] + "</span>")
        cells = [
            (f'<a href="{attr(href)}">{esc(bi(p["short_title"], lang))}</a>', bi(p["short_title"], lang)),
            (status_chip(status, lang)
             + (f' <span class="bjp-unverified">{UNVERIFIED[lang]}</span>' if status.unverified else ""), status.code),
            (esc(jurisdiction(p["jurisdiction"], lang)), p["jurisdiction"]),
            (issuer, ""),
            (_short_date(published, lang), published.get("date") or ""),
            (_short_date(expires, lang), expires.get("date") or "9999"),
            (str(len(p["measures"])), len(p["measures"])),
            (top_cell, top or 0),
        ]
        rows.append(f'<tr data-jurisdiction="{attr(p["jurisdiction"])}" data-categories="{attr(cats_attr)}" '
                    f'data-status="{status.code}">'
                    + "".join(f'<td data-sort="{attr(key)}">{cell}</td>' for cell, key in cells) + "</tr>")
    out.append('<table data-bjp="policies" data-sortable id="bjp-policies"><thead><tr>'
               + "".join(f"<th>{h}</th>" for h in head) + "</tr></thead><tbody>" + "".join(rows)
               + "</tbody></table>\n")
    return "".join(out)


def coverage_note(site: SiteModel, lang: str) -> str:
    """Which jurisdictions have documents here, which do not, what the others can use today, and when the data
    was last checked (a district without its own documents is pointed to the city's only if one is in force)."""
    places = site.jurisdictions_in_use()
    covered = t(lang, "、", ", ").join(esc(jurisdiction(j, lang)) for j in places)
    missing = [d for d, _, _ in DISTRICTS if d not in places]
    checked = max(p["verified_on"] for p in site.policies)
    city = [p for p in site.policies if p["jurisdiction"] == "beijing"]
    in_force = [p for p in city if site.status(p).code in ("in-force", "expiring")]
    if in_force:
        others = t(lang, f"这些区的企业可参考今日有效的 {len(in_force)} 项全市政策。",
                   f"their organisations can use the {len(in_force)} city-wide policies in force today.")
    else:
        others = t(lang, f"收录的 {len(city)} 项全市政策今日均不在有效期内。",
                   f"none of the {len(city)} city-wide policies here is in force today.")
    return (f'<p class="bjp-coverage" data-coverage="{attr(" ".join(places))}">'
            + t(lang, f"本站收录：{covered}。其余 {len(missing)} 个区尚无本区政策收录；{others}数据最近核对：{checked}。",
                f"Covered here: {covered}. The other {len(missing)} districts have no policy of their own here yet; "
                f"{others} Data last checked: {checked}.")
            + "</p>\n\n")


def _short_date(entry: dict, lang: str) -> str:
    if not entry or not entry.get("date"):
        return f'<span class="bjp-unknown">{NOT_FOUND[lang]}</span>'
    out = esc(entry["date"])
    if not entry.get("verified"):
        out += f' <span class="bjp-unverified" title="{UNVERIFIED[lang]}">?</span>'
    return out


def write_pages(site: SiteModel, docs: pathlib.Path) -> None:
    """Write every generated page in both languages under ``docs``."""

    def write(rel_path: str, text: str):
        target = docs / rel_path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")

    for lang in ("zh", "en"):
        suffix = "" if lang == "zh" else ".en"
        write(f"policies/index{suffix}.md", policies_index(site, lang))
        for p in site.policies:
            write(f"policies/{p['id']}/index{suffix}.md", policy_page(site, p, lang))
            for m in p["measures"]:
                ref = site.measures[f"{p['id']}/{m['id']}"]
                write(f"policies/{p['id']}/{m['id']}{suffix}.md", measure_page(site, ref, lang))
