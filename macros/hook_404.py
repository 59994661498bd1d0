"""MkDocs hook: the one 404 page keeps the default language's frame.

mkdocs-static-i18n builds each language in turn into one site, and each build writes the root ``404.html``:
the last language built (English) would win, with an English header and ``lang="en"`` over a page that
speaks both (mkdocs-static-i18n issue #284). The Chinese build's page is kept and given again to the later
builds. Languages are built default first, so every build of the site refreshes it.
"""

from __future__ import annotations

DEFAULT = "zh"
_kept: dict[str, str] = {}


def on_post_template(output_content: str, template_name: str, config) -> str:
    if template_name != "404.html":
        return output_content
    if config.theme.get("language") == DEFAULT:
        _kept["404"] = output_content
        return output_content
    return _kept.get("404", output_content)
