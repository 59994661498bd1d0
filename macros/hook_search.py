"""MkDocs hook: one search index per language, so that a reader searching in one language downloads, counts
and is shown only that language's pages.

Material's search plugin writes one index for the whole site (mkdocs-static-i18n builds each language into it,
``reconfigure_search: false``). After each build this splits it by the language of each page's location:
``search/search_index.<locale>.json``, beside the whole one. ``overrides/main.html`` points Material's request
at the page's own language. mkdocs-static-i18n builds the other languages inside the default language's
``on_post_build`` (priority -100), then writes the whole index again; this runs after it (priority -200). In
the builds nested in it (``building`` set) the index is a part: they skip the split (at ×50 data the index is
tens of MB); were that flag ever gone, every build would split, the last one the whole index.
"""

from __future__ import annotations

import json
import pathlib

from mkdocs.plugins import event_priority


def split_index(index: dict, locales: list[str], default: str) -> dict[str, dict]:
    """The index's documents by language: a location under ``<locale>/`` is that language's, any other the
    default language's. Each part keeps the index's config.

    >>> index = {"config": {"lang": ["en"]}, "docs": [{"location": ""}, {"location": "en/"}, {"location": "data/"}]}
    >>> {k: [d["location"] for d in v["docs"]] for k, v in split_index(index, ["zh", "en"], "zh").items()}
    {'zh': ['', 'data/'], 'en': ['en/']}
    """
    others = [locale for locale in locales if locale != default]

    def language(location: str) -> str:
        return next((locale for locale in others if location.startswith(f"{locale}/")), default)

    return {locale: {**index, "docs": [d for d in index["docs"] if language(d["location"]) == locale]}
            for locale in locales}


@event_priority(-200)
def on_post_build(config) -> None:
    path = pathlib.Path(config.site_dir) / "search" / "search_index.json"
    if not path.exists():  # a build without the search plugin
        return
    i18n = config.plugins["i18n"]
    if getattr(i18n, "building", False):
        return
    languages = i18n.config.languages
    default = next(lang.locale for lang in languages if lang.default)
    index = json.loads(path.read_text(encoding="utf-8"))
    for locale, part in split_index(index, [lang.locale for lang in languages], default).items():
        (path.parent / f"search_index.{locale}.json").write_text(
            json.dumps(part, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
