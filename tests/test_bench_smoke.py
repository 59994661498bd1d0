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


def test_the_bench_server_sends_no_body_for_a_head_request(tmp_path):
    """The checker's worker asks for its runtime files with HEAD (to name a missing one at once): a static
    host sends headers only. The bench's server sent the body, and counted 1.66 MB twice."""
    import urllib.request

    from bench.browser_bench import Server

    (tmp_path / "a.mjs").write_text("export const x = 1;\n" * 1000, encoding="utf-8")
    server = Server(tmp_path)
    try:
        head = urllib.request.urlopen(urllib.request.Request(server.url + "a.mjs", method="HEAD"))
        assert head.status == 200 and head.read() == b""
        urllib.request.urlopen(server.url + "a.mjs").read()
    finally:
        server.close()
    head_bytes, get_bytes = (n for _, n, _ in server.sent)
    assert head_bytes == 0 and get_bytes > 0
