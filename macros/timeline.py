"""The history of a policy or a measure on its page: when it was first published here, when it last changed,
and what changed (the dates and lines come from macros.history; every line is escaped, as it quotes the data).
"""

from __future__ import annotations

from .render import MeasureRef, SiteModel, attr, bi, esc, lang_root, measure_path, t

NOT_COMMITTED = {"zh": "尚未出现在本站已提交的历史中（未合并的修改），因此还没有收录日期。",
                 "en": "Not in the committed history of this site yet (a change not merged), so it has no date of "
                       "publication yet."}
NOT_READ = {"zh": "本次构建未读取历史记录。", "en": "This build did not read the history."}


def _time(change, lang: str) -> str:
    return f'<time datetime="{attr(change.stamp)}">{esc(change.day)}</time>'


def _missing(site: SiteModel, record) -> dict | None:
    """Why no dates can be given, or None when they can."""
    if site.history is None:
        return NOT_READ
    if not site.history.available:
        return site.history.reason
    return NOT_COMMITTED if record is None else None


def dates_line(site: SiteModel, record, lang: str) -> str:
    """First published and last changed here, with a link to the history below; or why not known."""
    missing = _missing(site, record)
    if missing:
        return (f'<p class="bjp-history-dates bjp-unknown" data-history="none" data-search-exclude>{t(lang, "修改记录不可用：", "No history: ")}'
                f"{esc(missing[lang])}</p>\n\n")
    return (f'<p class="bjp-history-dates" data-search-exclude data-first="{attr(record.first.day)}" data-last="{attr(record.last.day)}">'
            f'{t(lang, "本站首次收录", "First published here")}{t(lang, "：", ": ")}{_time(record.first, lang)}'
            f'{t(lang, "；最近修改", "; last changed")}{t(lang, "：", ": ")}{_time(record.last, lang)} · '
            f'<a href="#history">{t(lang, "修改记录", "history of changes")}</a></p>\n\n')


def _change_item(change, body: str, lang: str) -> str:
    return (f'<li data-commit="{attr(change.commit)}">{_time(change, lang)} '
            f'<span class="bjp-note">{t(lang, "提交", "commit")} {esc(change.commit[:7])}</span>{body}</li>')


def _lines(lines, lang: str, ref: MeasureRef | None = None) -> str:
    return "<ul>" + "".join(f"<li>{esc(_told(line, lang, ref))}</li>" for line in lines) + "</ul>"


def _told(line, lang: str, ref: MeasureRef | None) -> str:
    """A line as make diff tells it; on its own measure's page, without the name of the measure it begins with
    (``ft-ai-2025/art-1 compute: cap …`` → ``compute: cap …``; ``丰台… 第一条 上限 …`` → ``上限 …``)."""
    text = getattr(line, lang)
    if ref is None or line.measure != ref.measure["id"] or line.previous:
        return text
    prefixes = ((f"{ref.key}: ", f"{ref.key} ") if lang == "en" else
                (f"{ref.policy['short_title']['zh']} {ref.measure['number']['zh']} ",))
    for prefix in prefixes:
        if text.startswith(prefix) and len(text) > len(prefix):
            return text[len(prefix):]
    return text


def _intro(lang: str) -> str:
    return (f'<p class="bjp-note">{t(lang, "每次修改本站数据的日期（北京时间，取自 git 历史）和所改内容，最新的在前。",
                                     "Each change to this site’s data, newest first, dated by the git history "
                                     "(Beijing time).")}</p>')


def measure_history(site: SiteModel, ref: MeasureRef, lang: str) -> str:
    """Every change of a measure: its own, its group's and its policy's, newest first."""
    record = site.history.measure(ref.key) if site.history else None
    if _missing(site, record):
        return dates_line(site, record, lang)
    items = [_change_item(c, _lines(c.lines, lang, ref) if c.lines else "", lang) for c in reversed(record.changes)]
    return _intro(lang) + f'<ol class="bjp-history" reversed>{"".join(items)}</ol>\n\n'


def policy_history(site: SiteModel, policy: dict, lang: str, page_path: str) -> str:
    """Every change of a policy, newest first: its own lines, and the measures that changed, linked."""
    from .pages import rel  # pages import this module
    record = site.history.policy(policy["id"]) if site.history else None
    if _missing(site, record):
        return dates_line(site, record, lang)
    items = []
    for change in reversed(record.changes):
        own, changed = [], {}  # lines told here; measures with lines of their own, and how many
        for line in change.lines:
            if line.measure and f"{policy['id']}/{line.measure}" in site.measures:
                changed[line.measure] = changed.get(line.measure, 0) + 1
            else:
                own.append(line)  # the policy's, a group's, or a measure's that is no longer published
        body = _lines(own, lang) if own else ""
        if changed:
            links = []
            for mid, count in changed.items():
                target = site.measures[f"{policy['id']}/{mid}"]
                href = rel(lang_root(lang) + page_path, lang_root(lang) + measure_path(policy["id"], mid))
                links.append(f'<a href="{attr(href)}#history">{esc(bi(target.measure["number"], lang))}</a>'
                             + t(lang, f"（{count} 处）", f" ({count} change{'s' if count > 1 else ''})"))
            body += (f'<p>{t(lang, "措施的修改：", "Measures changed: ")}'
                     f'{t(lang, "、", ", ").join(links)}</p>')
        items.append(_change_item(change, body, lang))
    return _intro(lang) + f'<ol class="bjp-history" reversed>{"".join(items)}</ol>\n\n'
