"""mkdocs-macros module: figures for the hand-written pages (home, data), in both languages.

Only our own strings and numbers reach the pages from here; generated pages,
which carry YAML text, are written with ``render_macros: false``.
"""

from __future__ import annotations

from .render import SiteModel, beijing_today, esc

# Set by macros.build before MkDocs runs, so the policies are validated once per build.
CURRENT: SiteModel | None = None


def _site() -> SiteModel:
    global CURRENT
    if CURRENT is None:
        from .validate import load_policies
        CURRENT = SiteModel(load_policies(), beijing_today())
    return CURRENT


def define_env(env):
    site = _site()
    counts = site.status_counts()

    def count(*codes):
        return sum(counts.get(c, (0, 0))[0] for c in codes), sum(counts.get(c, (0, 0))[1] for c in codes)

    in_force = count("in-force", "expiring")
    env.variables["stats"] = {
        "today": site.today.isoformat(),
        "policies": len(site.policies),
        "measures": len(site.measures),
        "in_force_policies": in_force[0],
        "in_force_measures": in_force[1],
        "unknown_policies": count("unknown")[0],
        "unknown_measures": count("unknown")[1],
        "expired_policies": count("expired")[0],
        "jurisdictions": len(site.jurisdictions_in_use()),
        "verified_on": max(p["verified_on"] for p in site.policies),
    }

    @env.macro
    def category_list(lang: str) -> str:
        """The categories in use, each with its number of measures, linked to its comparison table."""
        items = []
        for c in site.categories_in_use():
            n = len(site.by_category[c])  # categories of a measure are unique (schema)
            label = esc(site.vocab("categories", c, lang))
            unit = "条" if lang == "zh" else (" measure" if n == 1 else " measures")
            items.append(f'<li><a href="compare/#{c}">{label}</a> <span class="bjp-count">{n}{unit}</span></li>')
        return f'<ul class="bjp-categories">{"".join(items)}</ul>'

    @env.macro
    def coverage(lang: str) -> str:
        """Which jurisdictions and documents are covered, and when the data was last checked."""
        from .pages import coverage_note
        return coverage_note(site, lang)
