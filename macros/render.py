"""Shared pieces of the generated pages: escaping, labels, amounts, status, URLs.

Every string from the YAML goes through ``esc`` before it reaches a page, so that
HTML, Markdown and template syntax in the data render as plain text.
"""

from __future__ import annotations

import dataclasses
import datetime
import html

from calculator.fields import DERIVED, DISTRICTS, FIELD_BY_ID

from .loader import industry_names, load_vocabulary

# Characters that Markdown, attr_list or Jinja could read as syntax, as numeric entities.
_MD_ENTITIES = {c: f"&#{ord(c)};" for c in "\\`*_{}[]#|<>~^$"}
_MD_ENTITIES.update({"&": "&amp;", '"': "&quot;", "'": "&#39;"})
_MD_TABLE = str.maketrans(_MD_ENTITIES)


def esc(text) -> str:
    """Text from the data, safe in HTML and in Markdown (entities only, so it reads the same)."""
    if text is None:
        return ""
    text = str(text).translate(_MD_TABLE)
    # Line breaks would end a raw HTML block or a table row.
    return " ".join(text.split("\n"))


def attr(text) -> str:
    """A value for an HTML attribute."""
    return html.escape(str(text), quote=True).replace("{", "&#123;").replace("}", "&#125;")


def main_source_kind(policy: dict) -> str:
    """The kind of the text the measures are quoted from (official, collected, repost, secondary)."""
    return next(s["kind"] for s in policy["source_texts"] if s["id"] == "main")


def zh_quote(text: str) -> str:
    """The Chinese text quoted, as ``<q lang="zh">``. A quote that holds “…” itself is drawn between 「」
    (class ``bjp-q-inner``): the browser's own “ would double the text's opening mark (““首方案”…).

    >>> zh_quote("最高100万元")
    '<q lang="zh">最高100万元</q>'
    >>> zh_quote("“首方案”奖励")
    '<q lang="zh" class="bjp-q-inner">“首方案”奖励</q>'
    """
    inner = ' class="bjp-q-inner"' if "“" in text else ""
    return f'<q lang="zh"{inner}>{esc(text)}</q>'


def t(lang: str, zh: str, en: str) -> str:
    return zh if lang == "zh" else en


def bi(value, lang: str) -> str:
    """One language of a ``{zh, en}`` value."""
    if value is None:
        return ""
    return value[lang]


JURISDICTIONS = {"beijing": {"zh": "北京市", "en": "Beijing (city-wide)"}}
JURISDICTIONS.update({d: {"zh": zh, "en": en} for d, zh, en in DISTRICTS})


def jurisdiction(jid: str, lang: str) -> str:
    return JURISDICTIONS.get(jid, {"zh": jid, "en": jid})[lang]


def money(amount: int, lang: str) -> str:
    if lang == "zh":
        if amount and amount % 100_000_000 == 0:
            return f"{amount // 100_000_000:,}亿元"
        if amount % 10000 == 0:
            return f"{amount // 10000:,}万元"
        return f"{amount:,}元"
    return f"{amount:,} yuan"


NOT_FOUND = {"zh": "未查到", "en": "not found"}
UNVERIFIED = {"zh": "未经核实", "en": "unverified"}

PERIODS = {"once": {"zh": "一次性", "en": "once"}, "per_year": {"zh": "每年", "en": "per year"},
           "unstated": {"zh": "未载明", "en": "not stated"}}
CAP_SCOPE_UNSTATED = {"zh": "（或为合计，原文未说明）", "en": " (or in all: the text does not say)"}


def period_label(term: dict, lang: str) -> str:
    """A term's period; a yearly cap the text may mean for the whole run of years says so."""
    label = PERIODS[term["period"]][lang]
    return label + CAP_SCOPE_UNSTATED[lang] if term.get("cap_scope") == "unstated" else label


KINDS = {"share": {"zh": "按比例", "en": "share"}, "fixed": {"zh": "定额", "en": "fixed"},
         "tiers": {"zh": "分档", "en": "tiers"}, "per_unit": {"zh": "按数量", "en": "per unit"},
         "in_kind": {"zh": "实物/空间", "en": "in kind"}, "non_monetary": {"zh": "非资金支持", "en": "non-monetary"},
         "unspecified": {"zh": "金额未载明", "en": "amount not stated"}}
ROLES = {"issuer": {"zh": "发布机关", "en": "issuer"}, "co-issuer": {"zh": "联合发布", "en": "co-issuer"},
         "approver": {"zh": "批准机关", "en": "approver"}}
DATE_KINDS = (("issued", {"zh": "成文日期", "en": "Issued"}), ("published", {"zh": "发布日期", "en": "Published"}),
              ("effective", {"zh": "施行日期", "en": "Effective"}), ("expires", {"zh": "失效日期", "en": "Expires"}))
OPS = {"eq": "=", "ne": "≠", "gt": ">", "gte": "≥", "lt": "<", "lte": "≤"}


def field_label(fid: str, lang: str) -> str:
    field = FIELD_BY_ID.get(fid) or DERIVED.get(fid)
    return field["label"][lang] if field else fid


def _value_text(fid: str, value, lang: str) -> str:
    field = FIELD_BY_ID.get(fid) or DERIVED.get(fid) or {}
    if isinstance(value, bool):
        return t(lang, "是", "yes") if value else t(lang, "否", "no")
    if field.get("type") == "code":  # an industry by name (its names hold 、, so codes join by semicolons)
        names = industry_names()
        codes = value if isinstance(value, list) else [value]
        return t(lang, "；", "; ").join(
            f"{names[c][lang]}{t(lang, '（', ' (')}{c}{t(lang, '）', ')')}" if c in names else str(c) for c in codes)
    if isinstance(value, list):
        return "、".join(_value_text(fid, v, lang) for v in value) if lang == "zh" else ", ".join(
            _value_text(fid, v, lang) for v in value)
    for option in field.get("values", []) or []:
        if option["id"] == value:
            return option[lang]
    if isinstance(value, int) and field.get("unit") == "yuan":
        return money(value, lang) if value else "0"  # "> 0", not "> 0万元"
    return str(value)


def condition_text(cond: dict, lang: str) -> str:
    """A condition as words (plain text; escape it before use)."""
    if "any" in cond:
        sep = t(lang, " 或 ", " or ")
        return "(" + sep.join(condition_text(c, lang) for c in cond["any"]) + ")"
    fid, op, value = cond["field"], cond["op"], cond["value"]
    label = field_label(fid, lang)
    if op == "eq" and value is True:
        return label
    if op == "eq" and value is False:
        return t(lang, "非：", "not: ") + label
    if op == "in":
        return f"{label}{t(lang, '属于', ' is one of ')}{_value_text(fid, value, lang)}"
    if op == "contains":
        return f"{label}{t(lang, '：', ': ')}{_value_text(fid, value, lang)}"
    return f"{label} {OPS.get(op, op)} {_value_text(fid, value, lang)}"


DERIVED_DATE = {"zh": "推定", "en": "derived"}


def date_text(entry: dict | None, lang: str, rules: dict | None = None) -> str:
    """A date fact as escaped HTML: the date or 'not found' (with the earliest it can be), flagged when derived
    (with the rule and the words it rests on) or unverified."""
    if not entry or entry.get("date") is None:
        out = f'<span class="bjp-unknown">{NOT_FOUND[lang]}</span>'
        if entry and entry.get("not_before"):
            out += esc(t(lang, f"（不早于 {entry['not_before']}）", f" (not before {entry['not_before']})"))
    else:
        out = esc(entry["date"])
    derived = (entry or {}).get("derived")
    if derived:
        rule = (rules or {}).get(derived["rule"], {"zh": derived["rule"], "en": derived["rule"]})
        out += (f' <span class="bjp-derived">{DERIVED_DATE[lang]}</span> <span class="bjp-note">{esc(rule[lang])}'
                f'{t(lang, "：", ": ")}{zh_quote(derived["quote"])}</span>')
    if entry and not entry.get("verified", False):
        out += f' <span class="bjp-unverified">{UNVERIFIED[lang]}</span>'
    if entry and entry.get("note"):
        out += f' <span class="bjp-note">{esc(bi(entry["note"], lang))}</span>'
    return out


# ── status against the build date ────────────────────────────────────────────────────────────────

# The policies are Beijing's: their dates, the build's date and the days of the history are Beijing's
# (UTC+8, no daylight saving time). A build on a UTC machine just after midnight in Beijing says a policy
# that expired the day before is expired.
BEIJING = datetime.timezone(datetime.timedelta(hours=8), "Asia/Shanghai")


def beijing_today() -> datetime.date:
    return datetime.datetime.now(BEIJING).date()


@dataclasses.dataclass
class Status:
    code: str  # in-force | expiring | expired | not-yet | unknown
    text: dict
    unverified: bool

    def label(self, lang: str) -> str:
        return self.text[lang]


STATUS_LABELS = {"in-force": {"zh": "有效", "en": "In force"}, "expiring": {"zh": "即将到期", "en": "Expiring soon"},
                 "expired": {"zh": "已失效", "en": "Expired"}, "not-yet": {"zh": "尚未施行", "en": "Not yet in force"},
                 "unknown": {"zh": "有效期未查到", "en": "Validity not found"}}


def _date(entry):
    if entry and entry.get("date"):
        return datetime.date.fromisoformat(entry["date"])
    return None


def policy_status(policy: dict, today: datetime.date) -> Status:
    dates = policy["dates"]
    start = _date(dates.get("effective")) or _date(dates.get("published")) or _date(dates.get("issued"))
    end = _date(dates.get("expires"))
    unverified = not all(dates.get(k, {}).get("verified") for k in ("effective", "expires"))
    derived = any(dates.get(k, {}).get("derived") for k in ("effective", "expires"))
    not_before = max((datetime.date.fromisoformat(d["not_before"]) for d in dates.values() if d.get("not_before")),
                      default=None)
    if start and today < start:
        code = "not-yet"
        text = {"zh": f"尚未施行：自 {start} 起施行", "en": f"Not yet in force: takes effect on {start}"}
    elif not start and not_before and today < not_before:
        code = "not-yet"
        text = {"zh": f"尚未施行：不早于 {not_before}", "en": f"Not yet in force: not before {not_before}"}
    elif end and today > end:
        code = "expired"
        text = {"zh": f"已失效：{end} 到期", "en": f"Expired on {end}"}
    elif end and (end - today).days <= 90:
        code = "expiring"
        text = {"zh": f"有效，将于 {end} 到期（{(end - today).days} 天内）",
                "en": f"In force; expires on {end} (within {(end - today).days} days)"}
    elif end:
        code = "in-force"
        text = {"zh": f"有效，至 {end}", "en": f"In force until {end}"}
    else:
        code = "unknown"
        text = {"zh": "有效期未查到，请以发布机关的最新公告为准",
                "en": "The period of validity was not found; check the issuing body's latest notices"}
    if derived:
        text = {"zh": text["zh"] + "（日期系推定，未经核实）", "en": text["en"] + " (dates derived, unverified)"}
    elif unverified:
        text = {"zh": text["zh"] + "（日期未经核实）", "en": text["en"] + " (dates unverified)"}
    return Status(code, text, unverified)


# ── amounts ──────────────────────────────────────────────────────────────────────────────────────

def benefit_max(benefit: dict) -> int | None:
    """The largest yuan amount a benefit's text states, its variants included; None when none."""
    def one(b, increment=0):
        kind = b.get("kind")
        if kind == "share":
            return b.get("cap")
        if kind == "fixed":
            return b.get("amount")
        if kind == "per_unit":
            return b.get("cap") or b.get("amount")
        if kind == "tiers":
            amounts = [tier["amount"] + increment for tier in b.get("tiers", []) if tier.get("amount") is not None]
            if b.get("cap") is not None:
                amounts.append(b["cap"])
            return max(amounts) if amounts else None
        return None

    values = [one(benefit)]
    for variant in benefit.get("variants", []) or []:
        merged = {**benefit, **{k: v for k, v in variant.items() if k not in ("when", "label", "quote")}}
        values.append(one(merged, variant.get("amount_increment", 0)))
    values = [v for v in values if v is not None]
    return max(values) if values else None


def status_chip(status: Status, lang: str) -> str:
    """A policy's status as a small labelled chip (policy list, comparison tables)."""
    return (f'<span class="bjp-status-chip bjp-status-{status.code}" title="{attr(status.label(lang))}">'
            f'{esc(STATUS_LABELS[status.code][lang])}</span>')


def joined(text) -> str:
    """A measure's text, one string: its excerpts, when it has several, joined by an ellipsis."""
    return " … ".join(text) if isinstance(text, list) else text


def money_awards(measure: dict) -> set[str]:
    """The kinds of award of a measure's terms that state an amount (competitive, entitlement…)."""
    return {b["award"] for b in measure["benefits"] if benefit_max(b) is not None}


def measure_max(measure: dict, group: dict | None = None) -> int | None:
    values = [v for v in (benefit_max(b) for b in measure["benefits"]) if v is not None]
    if not values:
        return None
    best = max(values)
    for cap in ((measure.get("cap") or {}).get("amount"), ((group or {}).get("cap") or {}).get("amount")):
        if cap is not None:
            best = min(best, cap)
    return best


# ── the model the pages are made from ────────────────────────────────────────────────────────────

def policy_path(pid: str) -> str:
    """URL path of a policy page relative to the language root, with a trailing slash."""
    return f"policies/{pid}/"


def measure_path(pid: str, mid: str) -> str:
    return f"policies/{pid}/{mid}/"


def lang_root(lang: str) -> str:
    return "" if lang == "zh" else "en/"


def reference_key(policy: dict, link: dict) -> str:
    """A reference's target as 'policy/measure'; a bare measure id is one of the same policy."""
    target = link["measure"]
    return target if "/" in target else f"{policy['id']}/{target}"


@dataclasses.dataclass
class MeasureRef:
    policy: dict
    measure: dict
    group: dict | None
    top: int | None = dataclasses.field(init=False)  # the largest single amount (measure_max), once

    def __post_init__(self):
        self.top = measure_max(self.measure, self.group)

    @property
    def key(self) -> str:
        return f"{self.policy['id']}/{self.measure['id']}"


class SiteModel:
    """The validated policies with the indexes the pages need."""

    def __init__(self, policies: list[dict], today: datetime.date, history=None):
        self.policies = policies
        self.today = today
        self.history = history  # macros.history.History; None: not read (the pages say so)
        self.statuses = {p["id"]: policy_status(p, today) for p in policies}
        self.vocabulary = load_vocabulary()
        self.measures: dict[str, MeasureRef] = {}
        for policy in policies:
            groups = {g["id"]: g for g in policy.get("groups", [])}
            for measure in policy["measures"]:
                ref = MeasureRef(policy, measure, groups.get(measure.get("group")))
                self.measures[ref.key] = ref
        # Measures by category, largest amount first (for "similar measures elsewhere").
        self.by_category: dict[str, list[MeasureRef]] = {}
        for ref in self.measures.values():
            for category in ref.measure["categories"]:
                self.by_category.setdefault(category, []).append(ref)
        for refs in self.by_category.values():
            refs.sort(key=lambda r: -(r.top or 0))
        self.referenced_by: dict[str, list[tuple[MeasureRef, dict]]] = {}
        for ref in self.measures.values():
            for link in ref.measure.get("references", []) or []:
                self.referenced_by.setdefault(reference_key(ref.policy, link), []).append((ref, link))

    def vocab(self, kind: str, key: str, lang: str) -> str:
        entry = self.vocabulary.get(kind, {}).get(key)
        return entry[lang] if entry else key

    def status(self, policy: dict) -> Status:
        return self.statuses[policy["id"]]

    SIMILAR_PER_PLACE = 3

    def similar(self, ref: MeasureRef) -> tuple[list[MeasureRef], int]:
        """Measures of other jurisdictions that share this measure's main category: the largest few of
        each jurisdiction, and how many there are in all (the comparison page lists every one).

        Capped so that a measure page stays the same size however many policies there are: listing them
        all made the build grow with the square of the data.
        """
        place = ref.policy["jurisdiction"]
        others = [o for o in self.by_category.get(ref.measure["categories"][0], [])
                  if o.policy["jurisdiction"] != place]
        shown, per_place = [], {}
        for other in others:
            where = other.policy["jurisdiction"]
            if per_place.get(where, 0) < self.SIMILAR_PER_PLACE:
                per_place[where] = per_place.get(where, 0) + 1
                shown.append(other)
        return shown, len(others)

    def categories_in_use(self) -> list[str]:
        used = {c for ref in self.measures.values() for c in ref.measure["categories"]}
        return [c for c in self.vocabulary["categories"] if c in used]

    def jurisdictions_in_use(self) -> list[str]:
        used = {p["jurisdiction"] for p in self.policies}
        order = ["beijing"] + [d for d, _, _ in DISTRICTS]
        return [j for j in order if j in used]

    def status_counts(self) -> dict[str, tuple[int, int]]:
        """Status code → (policies, measures) today."""
        counts: dict[str, tuple[int, int]] = {}
        for policy in self.policies:
            code = self.status(policy).code
            n, m = counts.get(code, (0, 0))
            counts[code] = (n + 1, m + len(policy["measures"]))
        return counts
