"""Build the site: validate, read the history, write the bundle, generate pages, run MkDocs, add data, feeds,
embeds and the checker.

``python -m macros.build [SITE_DIR]`` (what ``make build`` runs). On invalid
policies it prints one ``file:line: field: message`` per problem and exits 1.
Everything is built in a temporary folder beside the site and moved into place
only when every step succeeded, so a failure never leaves a partial site.
"""

from __future__ import annotations

import datetime
import logging
import pathlib
import shutil
import sys
import tempfile
import time

from mkdocs.exceptions import MkDocsException

from . import history as public_history
from . import main as macros_main
from .compare import compare_page
from .csp import add_policy
from .embed import write_embeds
from .feeds import write_feeds
from .loader import ROOT
from .offline import write_service_worker
from .opendata import write_open_data
from .pages import write_pages
from .redirects import write_redirects
from .registry import REGISTRY, InvalidRegistry, redirect_map
from .render import SiteModel, beijing_today
from .search_terms import write_user_dict
from .validate import InvalidPolicies, load_policies

CONFIG = ROOT / "mkdocs.yml"
DOCS = ROOT / "docs"
BUILD = ROOT / "build"
SITE = ROOT / "site"


def write_docs(site: SiteModel, docs: pathlib.Path) -> None:
    """docs/ plus every generated page, in both languages."""
    shutil.copytree(DOCS, docs)
    write_pages(site, docs)
    for lang, suffix in (("zh", ""), ("en", ".en")):
        (docs / f"compare{suffix}.md").write_text(compare_page(site, lang), encoding="utf-8")


def _mkdocs(docs: pathlib.Path, site_dir: pathlib.Path, user_dict: pathlib.Path, today: datetime.date) -> None:
    import jieba
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    jieba.setLogLevel(logging.WARNING)  # its progress messages are not news
    config = load_config(str(CONFIG), docs_dir=str(docs), site_dir=str(site_dir), strict=True)
    # Material's search segments Chinese with jieba; give it this field's terms.
    config.plugins["material/search"].config.jieba_dict_user = str(user_dict)
    config.extra["built_on"] = today.isoformat()  # the footer's line (overrides/partials/copyright.html)
    mkdocs_build(config)


def _replace(src: pathlib.Path, dst: pathlib.Path, scratch: pathlib.Path) -> None:
    """Move ``src`` to ``dst``, removing what was there only once the new one is in place."""
    old = scratch / "old"
    if dst.exists():
        dst.rename(old)
    src.rename(dst)
    shutil.rmtree(old, ignore_errors=True)


def build(site_dir: pathlib.Path = SITE, *, today: datetime.date | None = None,
          policies: list[dict] | None = None, registry: pathlib.Path = REGISTRY,
          checker_cache: pathlib.Path | None = None,
          history: public_history.History | None = None) -> SiteModel:
    """Build the whole site into ``site_dir``; raises InvalidPolicies, InvalidRegistry or MkDocs' errors,
    leaving it untouched. Returns the model the pages were made from.

    ``today``: the date statuses are told as of (default: today in Beijing). ``checker_cache``: a folder where
    the checker's files are kept between builds (macros.serve), rebuilt only when what goes into them changes.
    ``history``: the public history (default: read from git, macros.history).
    """
    site_dir = pathlib.Path(site_dir).resolve()
    policies = load_policies() if policies is None else policies
    redirects = redirect_map(policies, registry)  # checked before anything is built: each one becomes a path
    site = SiteModel(policies, today or beijing_today(), public_history.load() if history is None else history)
    macros_main.CURRENT = site
    BUILD.mkdir(exist_ok=True)
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    # The new site is moved into place with a rename, so it is built on the site's file system: in the
    # ignored build/ folder when that is the same one, else beside the site.
    scratch = BUILD if BUILD.stat().st_dev == site_dir.parent.stat().st_dev else site_dir.parent
    with tempfile.TemporaryDirectory(prefix=".site-", dir=scratch) as site_tmp, \
            tempfile.TemporaryDirectory(prefix=".docs-", dir=BUILD) as docs_tmp:
        docs, new_site = pathlib.Path(docs_tmp) / "docs", pathlib.Path(site_tmp) / "site"
        write_docs(site, docs)
        user_dict = write_user_dict(pathlib.Path(docs_tmp) / "search-terms.txt", site.vocabulary)
        _mkdocs(docs, new_site, user_dict, site.today)
        write_open_data(site, new_site)
        write_feeds(site, new_site)
        write_embeds(site, new_site)
        from . import checker_assets  # Pyodide and the calculator wheel, once for both languages
        checker_assets.install(new_site, policies, checker_cache)  # also writes calculator/data/bundle.json
        write_redirects(new_site, redirects)  # ids that moved (policies/registry/published.yaml)
        add_policy(new_site)  # the CSP hashes the final inline scripts
        write_service_worker(new_site)  # last: it keeps the final pages by their hashes
        _replace(new_site, site_dir, pathlib.Path(site_tmp))
        _replace(docs, BUILD / "docs", pathlib.Path(docs_tmp))
    return site


def main(argv: list[str]) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(name)s: %(message)s")
    site_dir = pathlib.Path(argv[0]) if argv else SITE
    started = time.perf_counter()
    try:
        site = build(site_dir)
    except (InvalidPolicies, InvalidRegistry) as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(f"build: {len(error.problems)} problem(s) in the policies; the site was not changed", file=sys.stderr)
        return 1
    except MkDocsException as error:  # strict mode turned warnings (printed above) into this
        print(f"build: MkDocs failed: {error}; the site was not changed", file=sys.stderr)
        return 1
    history = site.history
    told = (f"history of {history.commits} commits ({history.loaded} read from git, the rest cached) in "
            f"{history.seconds:.2f} s" if history.available else "no history (" + history.reason["en"] + ")")
    print(f"built {site_dir} in {time.perf_counter() - started:.1f} s; {told}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
