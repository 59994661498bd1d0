"""Redirect pages for ids that moved, so that no published link ever breaks.

The registry (``policies/registry/published.yaml``) maps old ids to new ones;
each old address, in both languages, gets a small page that sends the reader on
(meta refresh, with a plain link for those who block it).
"""

from __future__ import annotations

import html
import pathlib

from .registry import ID, redirect_map

_PAGE = """<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<title>{title}</title>
<meta http-equiv="refresh" content="0; url={target}">
<link rel="canonical" href="{target}">
<meta name="robots" content="noindex">
</head>
<body>
<p>{text} <a href="{target}">{label}</a></p>
</body>
</html>
"""

_WORDS = {
    "zh": ("页面已迁移", "此条目已迁移至", ""),
    "en": ("Page moved", "This entry has moved to", "en/"),
}


def _path_of(entry_id: str) -> str:
    if not ID.fullmatch(entry_id):  # never a path of our own making: `../` or `/` would leave the site
        raise ValueError(f"redirect: {entry_id!r} is not an id")
    return "policies/" + entry_id + "/"


def write_redirects(site_dir: pathlib.Path, redirects: dict[str, str] | None = None) -> list[str]:
    """One page per old id and language; returns the paths written (relative to the site)."""
    redirects = redirect_map() if redirects is None else redirects
    site_dir = pathlib.Path(site_dir).resolve()
    written = []
    for old, new in sorted(redirects.items()):
        for lang, (title, text, prefix) in _WORDS.items():
            rel = prefix + _path_of(old)
            depth = rel.count("/")
            target = "../" * depth + prefix + _path_of(new)
            page = (site_dir / rel / "index.html").resolve()
            if not page.is_relative_to(site_dir):
                raise ValueError(f"redirect: {rel} lies outside the site")
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(_PAGE.format(lang=lang, title=title, text=text, target=html.escape(target),
                                         label=html.escape(new)), encoding="utf-8")
            written.append(rel)
    return written
