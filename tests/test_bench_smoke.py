"""make bench is not part of make test (it measures, it takes minutes), but its baselines must still build:
a plain MkDocs site from this repository's mkdocs.yml, without our macros, hooks or overrides."""

from __future__ import annotations

from bench import build_bench


def test_the_plain_mkdocs_baseline_builds(tmp_path):
    result = build_bench._child_plain(4, tmp_path / "site")
    assert result["pages"] == 4 and result["seconds"] > 0
    assert (tmp_path / "site" / "p" / "page-1" / "index.html").exists()
    assert (tmp_path / "site" / "en" / "p" / "page-1" / "index.html").exists()
