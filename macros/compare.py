"""The comparison page: one table per category across jurisdictions, and a category × jurisdiction matrix."""

from __future__ import annotations

from .pages import (
    CURRENT,
    _amount,
    _award,
    _rate,
    _variant,
    front_matter,
    rel,
    source_marks,
    translation_note,
)
from .render import (
    SiteModel,
    attr,
    bi,
    condition_text,
    esc,
    jurisdiction,
    lang_root,
    measure_path,
    money,
    money_awards,
    period_label,
    status_chip,
    t,
)

PATH = "compare/"
def _benefit_cells(site: SiteModel, ref, lang: str) -> list[str]:
    """Rate, amount, period, years, conditions and variants of a measure's benefits, one line per benefit."""
    cols = [[], [], [], [], []]
    for b in ref.measure["benefits"]:
        cols[0].append(_rate(b, lang))
        cols[1].append(_amount(b, lang) + "<br>" + _award(site, b, lang))
        cols[2].append(esc(period_label(b, lang)) + (
            t(lang, f"，{b['years']} 年", f", {b['years']} years") if b.get("years") else ""))
        cols[3].append("; ".join(esc(condition_text(c, lang)) for c in b.get("conditions", []) or []) or "—")
        cols[4].append("<br>".join(_variant(v, lang) for v in b.get("variants", []) or []) or "—")
    return ["<hr>".join(c) for c in cols]


def _table(site: SiteModel, category: str, lang: str) -> str:
    refs = [r for r in site.measures.values() if category in r.measure["categories"]]
    order = {j: i for i, j in enumerate(site.jurisdictions_in_use())}
    refs.sort(key=lambda r: (order[r.policy["jurisdiction"]], r.policy["id"]))
    head = [t(lang, "辖区", "Jurisdiction"), t(lang, "措施", "Measure"), t(lang, "比例", "Rate"),
            t(lang, "金额", "Amount"), t(lang, "周期与年限", "Period and years"), t(lang, "条件", "Conditions"),
            t(lang, "支持对象", "Who qualifies"), t(lang, "提高档（如工业智能企业）", "Higher variant (e.g. industrial AI)"),
            t(lang, "单项最高", "Largest"), t(lang, "状态", "Status")]
    rows = []
    for ref in refs:
        href = rel(lang_root(lang) + PATH, lang_root(lang) + measure_path(ref.policy["id"], ref.measure["id"]))
        rate, amount, period, conds, variants = _benefit_cells(site, ref, lang)
        top = ref.top
        status = site.status(ref.policy)
        who = t(lang, "、", ", ").join(esc(site.vocab("beneficiaries", b, lang)) for b in ref.measure["beneficiaries"])
        name = (f'<a href="{attr(href)}" data-measure="{attr(ref.key)}">{esc(bi(ref.measure["number"], lang))} '
                f'{esc(bi(ref.measure["title"], lang))}</a><br><small>{esc(bi(ref.policy["short_title"], lang))}</small>'
                + source_marks(site, ref, lang))
        cells = [
            (esc(jurisdiction(ref.policy["jurisdiction"], lang)), order[ref.policy["jurisdiction"]]),
            (name, ref.key), (rate, ""), (amount, top or 0), (period, ""), (conds, ""), (who, ""), (variants, ""),
            (esc(money(top, lang)) if top else "—", top or 0),
            (status_chip(status, lang), status.code),
        ]
        current = "yes" if status.code in CURRENT else "no"
        rows.append(f'<tr data-jurisdiction="{attr(ref.policy["jurisdiction"])}" data-current="{current}">'
                    + "".join(f'<td data-sort="{attr(k)}">{c}</td>' for c, k in cells) + "</tr>")
    return (f'<table data-bjp="compare" data-sortable data-category="{attr(category)}"><thead><tr>'
            + "".join(f"<th>{h}</th>" for h in head) + "</tr></thead><tbody>" + "".join(rows)
            + "</tbody></table>\n\n")


def _matrix(site: SiteModel, lang: str, current_only: bool = False) -> str:
    """The largest amount of each category in each jurisdiction (of measures in force today, or of all)."""
    juris = site.jurisdictions_in_use()
    head = [t(lang, "类别", "Category")] + [esc(jurisdiction(j, lang)) for j in juris]
    rows = []
    for c in site.categories_in_use():
        label = esc(site.vocab("categories", c, lang))
        cells = [f'<td data-sort="{attr(label)}"><a href="#{attr(c)}">{label}</a></td>']
        # by_category is largest first (a stable sort): the first of each jurisdiction is its largest.
        largest = {}
        for ref in site.by_category.get(c, []):
            if current_only and site.status(ref.policy).code not in CURRENT:
                continue
            largest.setdefault(ref.policy["jurisdiction"], ref)
        for j in juris:
            ref = largest.get(j)
            if ref is None:
                cells.append('<td data-sort="-1">—</td>')
                continue
            amount = ref.top
            href = rel(lang_root(lang) + PATH, lang_root(lang) + measure_path(ref.policy["id"], ref.measure["id"]))
            text = esc(money(amount, lang)) if amount else t(lang, "有措施，未载明金额", "measure, no amount stated")
            if amount and money_awards(ref.measure) == {"competitive"}:
                text += t(lang, "（竞争性评选）", " (competitive)")
            cells.append(f'<td data-sort="{amount or 0}"><a href="{attr(href)}">{text}</a>{source_marks(site, ref, lang)}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    view = "yes" if current_only else ""
    return (f'<table data-bjp="matrix" data-sortable data-view-current="{view}"><thead><tr>'
            + "".join(f"<th>{h}</th>" for h in head) + "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>\n\n")


def compare_page(site: SiteModel, lang: str) -> str:
    out = [front_matter(t(lang, "对比", "Compare"), hide=("navigation", "toc"))]
    out.append(f"# {t(lang, '各辖区政策对比', 'Compare jurisdictions')}\n\n")
    out.append(translation_note(lang, PATH))
    out.append("<p>" + t(
        lang,
        f"按类别对比北京市及各区的措施：比例、金额上限、周期、条件与提高档。金额为文本载明的单项最高额，"
        f"不代表实际可得金额。状态按 {site.today} 计算。点击表头可排序。",
        f"Measures of Beijing and its districts compared by category: rate, cap, period, conditions and higher "
        f"variants. Amounts are the largest single amounts the texts state, not what a company will get. Status "
        f"as of {site.today}. Click a column heading to sort.") + "</p>\n\n")
    out.append(f'<form class="bjp-filters" data-target-selector="table[data-bjp=compare]" hidden><label>'
               f'{t(lang, "显示", "Show")} <select name="current">'
               f'<option value="">{t(lang, "全部政策（标明已失效、未核实和第三方摘要）", "All policies (expired, unverified and summary-only marked)")}</option>'
               f'<option value="yes" selected>{t(lang, f"仅 {site.today} 有效的政策", f"Only policies in force on {site.today}")}</option>'
               f"</select></label></form>\n\n")
    out.append(f"## {t(lang, '类别 × 辖区：单项最高金额', 'Categories × jurisdictions: largest amount')} {{#matrix}}\n\n")
    out.append(_matrix(site, lang))
    out.append(f'<p data-view-current="yes">{t(lang, f"仅 {site.today} 有效的政策：", f"Policies in force on {site.today} only:")}</p>\n\n')
    out.append(_matrix(site, lang, current_only=True))
    for c in site.categories_in_use():
        out.append(f"## {esc(site.vocab('categories', c, lang))} {{#{c}}}\n\n")
        out.append(_table(site, c, lang))
    return "".join(out)
