"""make bench is not part of make test (it measures, it takes minutes), but its baselines must still build:
a plain MkDocs site from this repository's mkdocs.yml, without our macros, hooks or overrides."""

from __future__ import annotations

from bench import build_bench


def test_the_plain_mkdocs_baseline_builds(tmp_path):
    result = build_bench._child_plain(4, tmp_path / "site")
    assert result["pages"] == 4 and result["seconds"] > 0
    assert (tmp_path / "site" / "p" / "page-1" / "index.html").exists()
    assert (tmp_path / "site" / "en" / "p" / "page-1" / "index.html").exists()


def test_the_checkers_form_data_reads_the_spread_jurisdictions_of_the_x50_bench():
    """The ×50 checker spreads copies into made-up jurisdictions (city-2, …): the coverage list names them by
    their ids rather than failing (it did, after the coverage notice was added)."""
    from macros.checker_form import form_extras
    from macros.validate import load_policies

    spread = build_bench.spread_policies(build_bench.scaled_policies(load_policies(), 2), 2)
    places = {j["id"]: j for j in form_extras(spread)["coverage"]["jurisdictions"]}
    assert len(places) > 3 and all(p["zh"] and p["en"] for p in places.values())
