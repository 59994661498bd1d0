"""A page per measure for district offices to embed in an iframe: ``policies/<policy>/<measure>/embed/`` (and
under ``en/``), with the snippet to copy shown on each measure page.

Each is one small HTML file with its own stylesheet and no script, written beside MkDocs' pages (no Material
header, navigation or search): the measure's status as of the build date, its amounts, kinds of award and
requirements, and a link back to the full page that opens outside the frame. The host page runs nothing of
ours, so its own Content-Security-Policy is untouched. The page's own policy (macros.csp: no script at all)
cannot say who may frame it: ``frame-ancestors`` is ignored in a ``<meta>`` policy, and GitHub Pages sends no
headers (neither X-Frame-Options nor a CSP), so any site may frame any page of this one; these are made for it.
"""

from __future__ import annotations

import html
import html.parser
import pathlib

from .pages import _amount, _rate, _variant, measure_name, rel
from .render import (
    KINDS,
    PERIODS,
    MeasureRef,
    SiteModel,
    attr,
    bi,
    esc,
    jurisdiction,
    lang_root,
    measure_path,
    money,
    period_label,
    t,
)

WIDTH = 480  # px: the snippet's width; the page reflows to any width

# The whole look of an embed: system fonts, the site's indigo, readable at 320 px and in dark hosts' frames.
STYLE = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei",
  "Noto Sans CJK SC", sans-serif; color: #1f1f1f; background: #fff; }
article { padding: 12px 14px; border: 1px solid #c5cae9; border-top: 4px solid #3f51b5; border-radius: 4px; }
a { color: #283593; }
a:focus-visible { outline: 2px solid #283593; outline-offset: 2px; }
.where { margin: 0; color: #5f5f5f; font-size: 12px; }
h1 { margin: 2px 0 8px; font-size: 17px; line-height: 1.35; }
h1 a { text-decoration: none; }
h1 a:hover { text-decoration: underline; }
.status { margin: 0 0 8px; padding: 4px 8px; border-radius: 3px; font-size: 13px; }
.status-in-force { background: #e8f5e9; color: #1b5e20; }
.status-expiring, .status-unknown { background: #fff3e0; color: #7a3e00; }
.status-expired { background: #fdecea; color: #8e1b10; }
.status-not-yet { background: #e8eaf6; color: #283593; }
.status small { display: block; color: inherit; opacity: .85; }
ul { margin: 0 0 8px; padding-left: 18px; }
li { margin: 2px 0; }
.terms > li { margin-bottom: 6px; }
.amount { font-weight: 600; }
.award { display: inline-block; padding: 0 6px; border-radius: 3px; background: #eceff1; font-size: 12px; }
.award-competitive, .award-pool { background: #fff3e0; color: #7a3e00; }
.small, .bjp-pool, .bjp-note { display: block; color: #5f5f5f; font-size: 12px; }
.bjp-tiers { margin: 0; }
.req { margin: 0 0 8px; padding: 4px 8px; border-left: 3px solid #ff9100; background: #fffaf3; font-size: 13px; }
.req ul { margin: 2px 0 0; }
.more { margin: 8px 0 0; font-weight: 600; }
footer { margin-top: 6px; color: #5f5f5f; font-size: 11px; }
"""

_PAGE = """<!doctype html>
<html lang="{html_lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex">
<title>{title}</title>
<link rel="canonical" href="{page}">
<style>{style}</style>
</head>
<body>
<main><article>
{body}
</article></main>
</body>
</html>
"""


def embed_path(pid: str, mid: str) -> str:
    """URL path of a measure's embed page, relative to the language root."""
    return measure_path(pid, mid) + "embed/"


def _benefit(site: SiteModel, b: dict, lang: str) -> str:
    name = esc(bi(b["label"], lang)) if b.get("label") else esc(KINDS[b["kind"]][lang])
    what = "amount" if b["kind"] in ("share", "fixed", "per_unit", "tiers") else "what"  # money is bold
    facts = []
    if b["kind"] == "share":
        facts.append(t(lang, "比例 ", "rate ") + _rate(b, lang))
    period = period_label(b, lang)
    if b.get("per") and b["per"] != "enterprise":
        period += t(lang, "，", ", ") + site.vocab("per_units", b["per"], lang)
    if b.get("years") is not None:
        period += t(lang, f"，最多 {b['years']} 年", f", at most {b['years']} years")
    if what == "amount" or b["period"] != "unstated":  # "period not stated" says nothing of a service
        facts.append(esc(period))
    variants = "".join(f'<span class="small">{_variant(v, lang)}</span>' for v in b.get("variants", []) or [])
    award = (f'<span class="award award-{attr(b["award"])}">{esc(site.vocab("award_kinds", b["award"], lang))}'
             "</span>")
    facts_html = f'<span class="small">{t(lang, "；", "; ").join(facts)}</span>' if facts else ""
    return (f'<li><strong>{name}</strong>{t(lang, "：", ": ")}<span class="{what}">{_amount(b, lang)}</span> '
            f"{facts_html}{variants}{award}</li>")


def _requirements(site: SiteModel, m: dict, lang: str) -> str:
    labels = [bi(r["label"], lang) for r in m.get("requirements", [])]
    labels += [bi(r["label"], lang) for b in m["benefits"] for r in b.get("requirements", [])]
    if not labels:
        return ""
    return (f'<div class="req">{t(lang, "另须满足（由主管部门审核）：", "Also required (the office decides):")}'
            f'<ul>{"".join(f"<li>{esc(label)}</li>" for label in dict.fromkeys(labels))}</ul></div>')


def _caps(ref: MeasureRef, lang: str) -> str:
    out = []
    for cap, whose in ((ref.measure.get("cap"), t(lang, "本条总上限", "Cap for this measure")),
                       ((ref.group or {}).get("cap"), t(lang, "所在部分共用上限", "Cap shared by its part"))):
        if cap:
            period = f" ({PERIODS[cap['period']][lang]})" if cap["period"] != "unstated" else ""
            out.append(f'<span class="small">{whose}{t(lang, "：", ": ")}{esc(money(cap["amount"], lang))}'
                       f"{esc(period)}</span>")
    return "".join(out)


def embed_page(site: SiteModel, ref: MeasureRef, lang: str) -> str:
    p, m = ref.policy, ref.measure
    here = lang_root(lang) + embed_path(p["id"], m["id"])
    page = rel(here, lang_root(lang) + measure_path(p["id"], m["id"]))
    other = "en" if lang == "zh" else "zh"
    other_embed = rel(here, lang_root(other) + embed_path(p["id"], m["id"]))
    status = site.status(p)
    back = f'<a href="{attr(page)}" target="_blank" rel="noopener">'
    body = [
        f'<p class="where">{esc(jurisdiction(p["jurisdiction"], lang))} · {esc(bi(p["short_title"], lang))}</p>',
        f'<h1>{back}{esc(bi(m["number"], lang))} {esc(bi(m["title"], lang))}</a></h1>',
        (f'<p class="status status-{attr(status.code)}" data-status="{attr(status.code)}">{esc(status.label(lang))}'
        f'<small>{t(lang, f"状态按 {site.today} 计算", f"Status as of {site.today}")}</small></p>'),
        f'<ul class="terms">{"".join(_benefit(site, b, lang) for b in m["benefits"])}</ul>',
        _caps(ref, lang),
        _requirements(site, m, lang),
        f'<p class="small">{t(lang, "金额为原文规定的最高额，并非实际可得金额。", "Amounts are the most the text allows, not what an applicant will receive.")}'
        + ("" if lang == "zh" else " English is an unofficial translation; the Chinese text prevails.") + "</p>",
        (f'<p class="more">{back}{t(lang, "查看完整措施：原文、条件与申报方式", "The full measure: text, conditions and how to apply")}'
        f' ↗</a></p>'),
        (f'<footer>{t(lang, "北京人工智能政策导航", "Beijing AI Policy Navigator")} · '
        f'{t(lang, f"构建于 {site.today}（北京时间）", f"built on {site.today} (Beijing time)")} · '
        f'<a href="{attr(other_embed)}" hreflang="{other}" lang="{other}">{"English" if other == "en" else "中文"}</a>'
        "</footer>"),
    ]
    return _PAGE.format(html_lang="zh-CN" if lang == "zh" else "en", title=esc(measure_name(ref, lang)),
                        page=attr(page), style=STYLE.strip(), body="\n".join(part for part in body if part))


# Font sizes (px) of STYLE, by tag or class.
_FONT = {"h1": 17, "small": 12, "footer": 11, "status": 13, "req": 13, "bjp-pool": 12, "bjp-note": 12, "award": 12}


class _Blocks(html.parser.HTMLParser):
    """The text of each block of an embed page, with its font size (px) and the width it wraps in (px)."""

    BLOCKS = frozenset({"h1", "p", "li", "footer", "small"})
    BLOCK_CLASSES = frozenset({"small", "bjp-pool", "bjp-note", "req", "award"})  # display: block; an award

    def __init__(self, width: int):
        super().__init__()
        self.width, self.stack, self.blocks = width, [], []

    def _opens_block(self, tag, cls):
        return tag in self.BLOCKS or tag == "ul" or bool(cls & self.BLOCK_CLASSES)

    def handle_starttag(self, tag, attrs):
        if tag in ("br", "meta", "link"):
            if tag == "br":
                self.blocks.append([self._font(), self._width(), ""])
            return
        cls = set((dict(attrs).get("class") or "").split())
        self.stack.append((tag, cls))
        if self._opens_block(tag, cls):
            self.blocks.append([self._font(), self._width(), ""])

    def handle_endtag(self, tag):
        while self.stack:
            top, cls = self.stack.pop()
            if top == tag:
                if self._opens_block(tag, cls):
                    self.blocks.append([self._font(), self._width(), ""])  # text after it starts a new line
                break

    def handle_data(self, data):
        if any(tag in ("style", "title") for tag, _ in self.stack) or not self.blocks:
            return
        self.blocks[-1][2] += data

    def _font(self) -> int:
        size = 14
        for tag, cls in self.stack:
            size = next((_FONT[c] for c in cls if c in _FONT), _FONT.get(tag, size))
        return size

    def _width(self) -> int:
        return self.width - 18 * sum(tag == "ul" for tag, _ in self.stack)


def _text_width(text: str, font: int) -> float:
    """A generous width: a Chinese character is a full em, anything else about 0.6 em."""
    return sum(font if ord(c) >= 0x2E80 else 0.6 * font for c in text)


def height(ref: MeasureRef, lang: str, site: SiteModel) -> int:
    """A frame height (px) that shows the embed at WIDTH without scrolling, from its text (tested in a browser:
    tests/browser/test_embed.py)."""
    blocks = _Blocks(WIDTH - 2 * 14 - 2)
    blocks.feed(embed_page(site, ref, lang).split("<article>", 1)[1])
    total = 2 * 12 + 4 + 2  # the article's padding and borders
    for font, width, text in blocks.blocks:
        text = " ".join(text.split())
        if text:
            lines = max(1, -(-int(_text_width(text, font)) // width))
            total += lines * font * 1.5 + 4
    return int(total * 1.1) + 16


def snippet(site: SiteModel, ref: MeasureRef, lang: str) -> str:
    """The HTML a district office copies: the embed page's address relative to the site's root."""
    src = "/" + lang_root(lang) + embed_path(ref.policy["id"], ref.measure["id"])
    title = html.escape(measure_name(ref, lang), quote=True)
    return (f'<iframe src="{src}" title="{title}" width="{WIDTH}" height="{height(ref, lang, site)}" loading="lazy">'
            "</iframe>")


def snippet_section(site: SiteModel, ref: MeasureRef, lang: str, page_path: str) -> str:
    """On the measure page: the snippets to copy (the Chinese and the English embed), and where the full
    address comes from."""
    here = lang_root(lang) + page_path
    blocks = []
    for version in (lang, "en" if lang == "zh" else "zh"):
        preview = rel(here, lang_root(version) + embed_path(ref.policy["id"], ref.measure["id"]))
        name = {"zh": t(lang, "中文版", "Chinese version"), "en": t(lang, "英文版", "English version")}[version]
        blocks.append(f'<p><strong>{name}</strong> · <a href="{attr(preview)}" hreflang="{version}">'
                      f'{t(lang, "预览", "preview")}</a></p>'
                      f'<pre class="bjp-snippet"><code>{esc(snippet(site, ref, version))}</code></pre>')
    return (f'<p>{t(lang, "各区部门和其他网站可以把本措施的摘要（状态、金额、支持方式和回到本页的链接）嵌入自己的网页：把下面的代码复制到网页的 HTML 中。嵌入的页面不运行任何脚本，所在网页的内容安全策略无须改动。",
                      "District offices and other sites can show this measure’s summary (status, amounts, kind of award and a link back to this page) on their own pages: copy the code below into the page’s HTML. The embedded page runs no script, so the host page’s Content-Security-Policy needs no change.")}</p>'
            + "".join(blocks)
            + f'<p class="bjp-note">{t(lang, "src 是从本站根目录起的路径：完整地址是本站的网址加上这个路径。宽度和高度可按需调整；状态随网站每天的重建更新。",
                                     "src is a path from this site’s root: the full address is this site’s address followed by that path. Adjust the width and height to your page; the status is brought up to date by the site’s daily rebuild.")}</p>\n\n')


def write_embeds(site: SiteModel, root: pathlib.Path) -> list[str]:
    """Every measure's embed page, in both languages, under ``root``."""
    written = []
    for ref in site.measures.values():
        for lang in ("zh", "en"):
            rel_path = lang_root(lang) + embed_path(ref.policy["id"], ref.measure["id"]) + "index.html"
            target = root / rel_path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(embed_page(site, ref, lang), encoding="utf-8")
            written.append(rel_path)
    return written
