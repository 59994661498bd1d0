"""What a change does to the published data, as lines a reviewer reads in both languages.

``compare(base, head)`` takes two ``Side``s (the loaded policies, redirects and vocabulary of two
states of the repository) and returns ``Line``s, each an English and a Chinese sentence::

    ft-ai-2025/art-1 compute: cap 2,000,000 → 3,000,000 · 丰台人工智能若干措施 第一条 上限 2,000,000 → 3,000,000

The comparison is generic over the loaded data (any field that differs is a line, so a field added to
the data model shows up as a change rather than being missed), with human labels for the known ones.
Measures, groups and benefits are matched by id; a measure whose id disappears and is redirected in
policies/registry/published.yaml to one that appears is a rename, compared with its new self.
"""

from __future__ import annotations

import dataclasses
import datetime
import json

from .loader import load_vocabulary
from .render import KINDS, PERIODS, beijing_today, condition_text, field_label, policy_status

MISSING = object()

# Labels of known fields: en, zh.
LABELS = {
    "amount": ("amount", "金额"), "cap": ("cap", "上限"), "rate": ("rate", "比例"),
    "rate_is_ceiling": ("rate is a ceiling", "比例为上限"), "years": ("years", "年限"), "period": ("period", "期限"),
    "per": ("per", "计算单位"), "base": ("base", "计算基数"), "count": ("counted", "计数依据"),
    "key": ("tier key", "分档依据"), "basis": ("tier basis", "分档方式"), "prev": ("previous-year field", "上年字段"),
    "tiers": ("tiers", "档位"), "threshold": ("threshold", "门槛"), "amount_increment": ("increment", "每档增加"),
    "conditions": ("conditions", "条件"), "variants": ("variants", "特殊情形"), "when": ("when", "情形"),
    "quote": ("quote", "引文"), "kind": ("kind", "类型"), "review": ("after review", "经评审"),
    "label": ("label", "名称"), "description": ("description", "说明"), "quantity": ("quantity", "数量"),
    "unit": ("unit", "单位"), "source": ("source text", "来源文本"), "note": ("note", "说明"),
    "text": ("text", "原文"), "title": ("title", "标题"), "short_title": ("short title", "简称"),
    "number": ("number", "编号"), "group": ("group", "所属部分"), "categories": ("categories", "类别"),
    "beneficiaries": ("beneficiaries", "支持对象"), "responsible_units": ("responsible units", "责任单位"),
    "references": ("references", "关联措施"), "combine": ("how its benefits combine", "组合方式"),
    "jurisdiction": ("jurisdiction", "辖区"), "issuers": ("issuers", "发布机关"),
    "document_number": ("document number", "文号"), "value": ("value", "值"), "verified": ("verified", "已核实"),
    "date": ("date", "日期"), "issued": ("issue date", "成文日期"), "published": ("publication date", "发布日期"),
    "effective": ("effective date", "施行日期"), "expires": ("expiry date", "失效日期"), "dates": ("dates", "日期"),
    "sources": ("sources", "来源"), "source_texts": ("source texts", "原文文件"), "preamble": ("preamble", "序言"),
    "combination": ("combination rules", "叠加规则"), "application": ("application rules", "申报规则"),
    "eligibility": ("eligibility", "适用范围"), "verified_on": ("verified on", "核实日期"),
    "official": ("official", "官方标题"), "status": ("status", "状态"), "benefits": ("benefits", "支持条款"),
    "zh": ("Chinese", "中文"), "en": ("English", "英文"),
    "award": ("kind of award", "支持方式"), "requirements": ("requirements not asked", "未询问的要求"),
    "claim": ("one claim with", "择一申报"), "places": ("places", "名额"), "pool": ("city-wide pool", "资金池"),
    "not_before": ("not before", "不早于"), "derived": ("derived from", "推定依据"), "rule": ("rule", "规则"),
}
STATUS = {"in-force": ("in force", "有效"), "expiring": ("expiring", "即将到期"), "expired": ("expired", "已失效"),
          "not-yet": ("not yet in force", "尚未施行"), "unknown": ("unknown", "未知")}
_VOCABULARY = load_vocabulary()
# Fields whose values are ids, told by their labels (the public history shows these lines too): a kind is a
# benefit's, a source's or a requirement's (their ids do not overlap).
ENUMS = {"period": PERIODS, "per": _VOCABULARY["per_units"], "award": _VOCABULARY["award_kinds"],
         "kind": KINDS | _VOCABULARY["source_kinds"] | _VOCABULARY["requirement_kinds"],
         "rule": _VOCABULARY["date_rules"] | _VOCABULARY["combination_rules"] | _VOCABULARY["application_rules"],
         "categories": _VOCABULARY["categories"], "beneficiaries": _VOCABULARY["beneficiaries"],
         "relation": _VOCABULARY["relations"], "unit": _VOCABULARY["units"]}
PROFILE_FIELDS = ("base", "count", "key", "prev")  # a question of the checker, told by its label
NAMES = ("label", "title", "name", "description")  # what names a record ({zh, en}), in this order
SECTIONS = (("policies", "Policies", "政策"), ("measures", "Measures", "措施"),
            ("terms", "Terms, dates and facts", "条款、日期与信息"), ("vocabulary", "Vocabulary", "词表"),
            ("cases", "Rule cases whose results change", "结果变化的规则用例"))


@dataclasses.dataclass
class Side:
    policies: dict  # id → policy (as loaded)
    redirects: dict  # old id → new id (policies/registry/published.yaml)
    vocabulary: dict
    drafts: list = dataclasses.field(default_factory=list)  # ids of drafts (not published)


@dataclasses.dataclass
class Line:
    section: str
    en: str
    zh: str
    # What the line is about, for the public history (macros.history): a policy id, and a measure or a
    # group of it; ``previous`` is the old "policy/measure" of a rename. None: the whole data (vocabulary).
    policy: str | None = None
    measure: str | None = None
    group: str | None = None
    previous: str | None = None

    def __str__(self) -> str:
        return f"{self.en} · {self.zh}"


@dataclasses.dataclass(frozen=True)
class ById:
    """A path step into a list of records matched by id (measures, groups, benefits)."""

    id: str


# ── values as words ──────────────────────────────────────────────────────────────────────────────

def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def value_text(value, lang: str, field: str | None = None) -> str:
    """A value as a reviewer reads it: 2,000,000; yes/是; per year/每年; a condition in words."""
    zh = lang == "zh"
    if value is MISSING:
        return "—"
    if value is None:
        return "无" if zh else "none"
    if isinstance(value, bool):
        return ("是" if value else "否") if zh else ("yes" if value else "no")
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, str):
        if field in ENUMS and value in ENUMS[field]:
            return ENUMS[field][value][lang]
        if field in PROFILE_FIELDS:
            return field_label(value, lang)
        return _shorten(value)
    if isinstance(value, dict) and (set(value) >= {"field", "op"} or "any" in value):
        try:
            return condition_text(value, lang)
        except (KeyError, TypeError, AttributeError):
            pass
    if isinstance(value, dict) and set(value) <= {"zh", "en"} and isinstance(value.get(lang), str):
        return _shorten(value[lang])
    if isinstance(value, dict) and _name(value, lang):
        return _shorten(_name(value, lang))
    if isinstance(value, list) and all(isinstance(v, str | int) for v in value):
        return ("、" if zh else ", ").join(value_text(v, lang, field) for v in value) or ("无" if zh else "none")
    if isinstance(value, list) and all(isinstance(v, dict) for v in value) and field in ("conditions", "any"):
        return ("；" if zh else "; ").join(value_text(v, lang) for v in value) or ("无" if zh else "none")
    if isinstance(value, list) and value and all(isinstance(v, dict) and _name(v, lang) for v in value):
        return _shorten(("；" if zh else "; ").join(_name(v, lang) for v in value), 80)
    return _shorten(json.dumps(value, ensure_ascii=False, separators=(", ", ": ")), 80)


def _name(record: dict, lang: str) -> str | None:
    """What names a record (a requirement's label, a source's title…), else its quote; None if nothing does."""
    for key in NAMES:
        if isinstance(record.get(key), dict) and isinstance(record[key].get(lang), str):
            return record[key][lang]
    return record["quote"] if isinstance(record.get("quote"), str) else None


def excerpts(old: str, new: str, context: int = 10) -> tuple[str, str]:
    """The part of two long texts that differs, with a little context.

    >>> excerpts("按照20%给予最高200万元支持，连续支持不超过2年", "按照20%给予最高300万元支持，连续支持不超过2年")
    ('按照20%给予最高200万元支持，连续支…', '按照20%给予最高300万元支持，连续支…')
    """
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end = 0
    while end < min(len(old), len(new)) - start and old[-1 - end] == new[-1 - end]:
        end += 1
    begin = max(0, start - context)

    def cut(text):
        stop = len(text) - max(0, end - context)
        return ("…" if begin else "") + text[begin:stop] + ("…" if stop < len(text) else "")

    return cut(old), cut(new)


# ── paths as labels ──────────────────────────────────────────────────────────────────────────────

def path_label(path: tuple, lang: str, record: dict | None = None) -> str:
    """``("benefits", ById("compute"), "variants", 0, "cap")`` → ``“Industrial-AI” cap`` / ``「工业智能企业」 上限``.

    The measure and the benefit are named by the line's prefix; ``record`` is the record that holds the
    path, to name variants by their label.

    >>> path_label(("tiers", 1, "threshold"), "en"), path_label(("tiers", 1, "threshold"), "zh")
    ('tier 2 threshold', '第2档 门槛')
    >>> path_label(("dates", "expires", "date"), "en"), path_label(("text", "zh"), "zh")
    ('expiry date', '原文（中文）')
    """
    zh = lang == "zh"
    words, node = [], record
    for i, step in enumerate(path):
        parent = path[i - 1] if i else None
        if isinstance(step, ById):
            if parent != "benefits":
                words.append(step.id)
            node = next((r for r in (node or []) if isinstance(r, dict) and r.get("id") == step.id), None)
        elif isinstance(step, int):
            item = node[step] if isinstance(node, list) and step < len(node) else None
            name = {"tiers": ("tier", "第{}档"), "variants": ("variant", "特殊情形{}"),
                    "conditions": ("condition", "条件{}")}.get(parent)
            if parent == "variants" and isinstance(item, dict) and isinstance(item.get("label"), dict):
                words[-1:] = [f"「{item['label'].get('zh')}」" if zh else f"“{item['label'].get('en')}”"]
            elif name:
                words[-1:] = [name[1].format(step + 1) if zh else f"{name[0]} {step + 1}"]
            else:
                words.append(str(step + 1))
            node = item
        else:
            en, zh_label = LABELS.get(step, (step, step))
            if step in ("zh", "en") and words:
                words[-1] = f"{words[-1]}（{zh_label}）" if zh else f"{words[-1]} ({en})"
            elif not (step == "dates" or step == "date" and parent in ("issued", "published", "effective", "expires")
                      or step == "value" and parent == "document_number"):
                words.append(zh_label if zh else en)
            node = node.get(step) if isinstance(node, dict) else None
    return " ".join(words)


# ── the comparison ───────────────────────────────────────────────────────────────────────────────

def _keyed(items) -> dict | None:
    """A list of records with unique ids, as a dict; None for any other list."""
    if not isinstance(items, list) or not all(isinstance(i, dict) and isinstance(i.get("id"), str) for i in items):
        return None
    out = {i["id"]: i for i in items}
    return out if len(out) == len(items) else None


def walk(old, new, path=()):
    """Every (path, old, new) where two loaded values differ, as deep as their shapes match."""
    if old == new:
        return
    if isinstance(old, dict) and isinstance(new, dict):
        for key in list(old) + [k for k in new if k not in old]:
            yield from walk(old.get(key, MISSING), new.get(key, MISSING), path + (key,))
        return
    if isinstance(old, list) and isinstance(new, list):
        a, b = _keyed(old), _keyed(new)
        if a is not None and b is not None and (old or new):
            for key in list(a) + [k for k in b if k not in a]:
                yield from walk(a.get(key, MISSING), b.get(key, MISSING), path + (ById(key),))
            return
        if len(old) == len(new) and any(isinstance(v, dict) for v in old + new):
            for i, (x, y) in enumerate(zip(old, new, strict=True)):
                yield from walk(x, y, path + (i,))
            return
    yield path, old, new


def _change_line(section, prefix_en, prefix_zh, path, old, new, record_old, record_new) -> Line:
    field = next((s for s in reversed(path) if isinstance(s, str) and s not in ("zh", "en")), None)
    label_en = path_label(path, "en", record_new if new is not MISSING else record_old)
    label_zh = path_label(path, "zh", record_new if new is not MISSING else record_old)
    if isinstance(old, str) and isinstance(new, str) and max(len(old), len(new)) > 60:
        o, n = excerpts(old, new)
        return Line(section, f"{prefix_en}: {label_en}: {o} → {n}", f"{prefix_zh} {label_zh}：{o} → {n}")
    if old is MISSING and new is not MISSING:
        return Line(section, f"{prefix_en}: {label_en} added: {value_text(new, 'en', field)}",
                    f"{prefix_zh} 新增 {label_zh}：{value_text(new, 'zh', field)}")
    if new is MISSING:
        return Line(section, f"{prefix_en}: {label_en} removed (was {value_text(old, 'en', field)})",
                    f"{prefix_zh} 删除 {label_zh}（原为 {value_text(old, 'zh', field)}）")
    return Line(section, f"{prefix_en}: {label_en} {value_text(old, 'en', field)} → {value_text(new, 'en', field)}",
                f"{prefix_zh} {label_zh} {value_text(old, 'zh', field)} → {value_text(new, 'zh', field)}")


def _short(policy: dict) -> str:
    for key in ("short_title", "title"):
        value = policy.get(key)
        if isinstance(value, dict) and isinstance(value.get("zh"), str):
            return value["zh"]
    return str(policy.get("id"))


def _number(record: dict, lang: str) -> str:
    number = record.get("number")
    return number.get(lang, "") if isinstance(number, dict) else str(record.get("id"))


def _title(record: dict, lang: str) -> str:
    title = record.get("title")
    return title.get(lang, "") if isinstance(title, dict) else ""


def _measure_lines(pid: str, policy_zh: str, old: dict, new: dict) -> list[Line]:
    """The changes of one measure (old and new may carry different ids: a rename)."""
    lines = []
    mid = new.get("id")
    benefits = {"old": _keyed(old.get("benefits")) or {}, "new": _keyed(new.get("benefits")) or {}}
    several = len(benefits["new"]) > 1 or len(benefits["old"]) > 1
    for path, a, b in walk({k: v for k, v in old.items() if k != "id"}, {k: v for k, v in new.items() if k != "id"}):
        prefix_en, prefix_zh = f"{pid}/{mid}", f"{policy_zh} {_number(new, 'zh')}"
        if len(path) >= 2 and path[0] == "benefits" and isinstance(path[1], ById):
            bid = path[1].id
            benefit = benefits["new"].get(bid) or benefits["old"].get(bid) or {}
            if len(path) == 2:  # a whole benefit added or removed
                what = value_text(benefit.get("label"), "en") if benefit.get("label") else bid
                kind_en = value_text(benefit.get("kind"), "en", "kind")
                kind_zh = value_text(benefit.get("kind"), "zh", "kind")
                if a is MISSING:
                    lines.append(Line("terms", f"{prefix_en}: benefit {bid} added ({kind_en}): {_quote(b)}",
                                      f"{prefix_zh} 新增支持条款（{kind_zh}）：{_quote(b)}"))
                else:
                    lines.append(Line("terms", f"{prefix_en}: benefit {what} removed ({kind_en})",
                                      f"{prefix_zh} 删除支持条款（{kind_zh}）：{_quote(a)}"))
                continue
            prefix_en += f" {bid}"
            if several:
                label = benefit.get("label")
                prefix_zh += f" {label['zh'] if isinstance(label, dict) and 'zh' in label else bid}"
            path = path[2:]
            record_old, record_new = benefits["old"].get(bid), benefits["new"].get(bid)
        else:
            record_old, record_new = old, new
        lines.append(_change_line("terms", prefix_en, prefix_zh, path, a, b, record_old, record_new))
    return lines


def _quote(benefit) -> str:
    quote = benefit.get("quote") if isinstance(benefit, dict) else None
    if isinstance(quote, list):
        quote = "".join(q.get("text", "") for q in quote if isinstance(q, dict))
    return _shorten(quote) if isinstance(quote, str) else ""


def _status(policy: dict, today: datetime.date):
    try:
        return policy_status(policy, today).code
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def _about(lines: list[Line], **subject) -> list[Line]:
    """The lines, each said to be about ``subject`` (policy, measure, group, previous)."""
    return [dataclasses.replace(line, **subject) for line in lines]


def compare(base: Side, head: Side, today: datetime.date | None = None, *, statuses: bool = True) -> list[Line]:
    """Every change from ``base`` to ``head``, in the order of SECTIONS.

    ``statuses``: also a line per policy whose status on ``today`` differs (make diff); the public
    history leaves them out, since they say what a change means on one day, not what changed.
    """
    today = today or beijing_today()
    lines: list[Line] = []
    added = [p for p in head.policies if p not in base.policies]
    removed = [p for p in base.policies if p not in head.policies]
    pairs = [(p, p) for p in base.policies if p in head.policies]
    for pid in removed:
        target = head.redirects.get(pid)
        if target in added:
            added.remove(target)
            pairs.append((pid, target))
            lines.append(Line("policies", f"{pid} → {target}: policy renamed (redirect in published.yaml)",
                              f"政策改号 {_short(base.policies[pid])}：{pid} → {target}（published.yaml 中已设跳转）",
                              policy=target, previous=pid))
        elif target:
            lines.append(Line("policies", f"{pid}: policy removed; its address redirects to {target}",
                              f"删除政策 {_short(base.policies[pid])}（{pid}），原地址跳转至 {target}", policy=pid))
        else:
            lines.append(Line("policies", f"{pid}: policy removed, with no redirect (make validate fails)",
                              f"删除政策 {_short(base.policies[pid])}（{pid}），未设跳转（make validate 将报错）", policy=pid))
    for pid in added:
        policy = head.policies[pid]
        lines.append(Line("policies", f"{pid}: policy added, {len(policy.get('measures', []))} measures: "
                                      f"{_title(policy, 'en')}",
                          f"新增政策 {_short(policy)}（{pid}），{len(policy.get('measures', []))} 条措施：{_title(policy, 'zh')}",
                          policy=pid))
    for pid in head.drafts:
        if pid not in base.drafts:
            lines.append(Line("policies", f"{pid}: a draft (not published, not compared; make validate fails "
                                          "while it remains)", f"草稿 {pid}：不发布、不比较（草稿存在时 make validate 报错）"))
    for old_pid, new_pid in pairs:
        lines += _policy_lines(old_pid, new_pid, base, head, today if statuses else None)
    lines += [Line("vocabulary", f"vocabulary: {path_label(p, 'en')} {value_text(a, 'en')} → {value_text(b, 'en')}",
                   f"词表 {path_label(p, 'zh')} {value_text(a, 'zh')} → {value_text(b, 'zh')}")
              for p, a, b in walk(base.vocabulary, head.vocabulary)]
    order = {name: i for i, (name, _, _) in enumerate(SECTIONS)}
    return sorted(lines, key=lambda line: order.get(line.section, len(order)))


def _policy_lines(old_pid: str, pid: str, base: Side, head: Side, today: datetime.date | None) -> list[Line]:
    """The changes of one policy, each line about it (and its measure or group); ``today``: its status too."""
    old, new = base.policies[old_pid], head.policies[pid]
    zh = _short(new)
    lines = []
    skip = ("id", "measures", "groups")
    for path, a, b in walk({k: v for k, v in old.items() if k not in skip},
                           {k: v for k, v in new.items() if k not in skip}):
        lines.append(_change_line("terms", pid, zh, path, a, b, old, new))
    status = (_status(old, today), _status(new, today)) if today else (None, None)
    if status[0] != status[1] and None not in status:
        lines.append(Line("terms", f"{pid}: status on {today}: {STATUS.get(status[0], (status[0],))[0]} → "
                                   f"{STATUS.get(status[1], (status[1],))[0]}",
                          f"{zh} {today} 的状态：{STATUS.get(status[0], (0, status[0]))[1]} → "
                          f"{STATUS.get(status[1], (0, status[1]))[1]}"))
    old_groups, new_groups = _keyed(old.get("groups", [])) or {}, _keyed(new.get("groups", [])) or {}
    for gid in list(old_groups) + [g for g in new_groups if g not in old_groups]:
        a, b = old_groups.get(gid, MISSING), new_groups.get(gid, MISSING)
        group = b if b is not MISSING else a
        prefix_en, prefix_zh = f"{pid} part {gid}", f"{zh} {_number(group, 'zh')}"
        if a is MISSING or b is MISSING:
            verb = ("added", "新增") if a is MISSING else ("removed", "删除")
            lines.append(Line("measures", f"{prefix_en}: {verb[0]}: {_title(group, 'en')}",
                              f"{verb[1]}部分 {prefix_zh}：{_title(group, 'zh')}", group=gid))
            continue
        lines += _about([_change_line("terms", prefix_en, prefix_zh, p, x, y, a, b) for p, x, y in walk(a, b)],
                        group=gid)
    lines += _measures(old_pid, pid, old, new, base, head)
    return _about(lines, policy=pid)


def _measures(old_pid: str, pid: str, old: dict, new: dict, base: Side, head: Side) -> list[Line]:
    zh = _short(new)
    before = _keyed(old.get("measures", [])) or {}
    after = _keyed(new.get("measures", [])) or {}
    appeared = [m for m in after if m not in before]
    lines = []
    for mid, measure in before.items():
        if mid in after:
            lines += _about(_measure_lines(pid, zh, measure, after[mid]), measure=mid)
            continue
        target = head.redirects.get(f"{old_pid}/{mid}")
        t_pid, _, t_mid = (target or "").partition("/")
        if t_pid == pid and t_mid in appeared:
            appeared.remove(t_mid)
            renamed = after[t_mid]
            numbers = dict.fromkeys([_number(measure, "zh"), _number(renamed, "zh")])  # once when unchanged
            lines.append(Line("measures", f"{old_pid}/{mid} → {target}: measure renamed (redirect in published.yaml)",
                              f"措施改号 {zh} {' → '.join(numbers)}：{old_pid}/{mid} → {target}"
                              "（published.yaml 中已设跳转）", measure=t_mid, previous=f"{old_pid}/{mid}"))
            lines += _about(_measure_lines(pid, zh, measure, renamed), measure=t_mid)
        elif target:
            lines.append(Line("measures", f"{old_pid}/{mid}: measure removed; its address redirects to {target}",
                              f"删除措施 {zh} {_number(measure, 'zh')}（{old_pid}/{mid}），原地址跳转至 {target}",
                              measure=mid))
        else:
            lines.append(Line("measures", f"{old_pid}/{mid}: measure removed, with no redirect (make validate fails)",
                              f"删除措施 {zh} {_number(measure, 'zh')}（{old_pid}/{mid}），未设跳转（make validate 将报错）",
                              measure=mid))
    for mid in appeared:
        measure = after[mid]
        lines.append(Line("measures", f"{pid}/{mid}: measure added: {_number(measure, 'en')} “{_title(measure, 'en')}”",
                          f"新增措施 {zh} {_number(measure, 'zh')}「{_title(measure, 'zh')}」", measure=mid))
    return lines
