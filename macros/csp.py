"""A Content-Security-Policy for every page of the built site.

Pages are static, so the policy is a ``<meta http-equiv>`` (GitHub Pages sets no
headers). Everything comes from the site itself; the only inline scripts allowed
are those MkDocs Material and the checker page put there, each by its sha256, so
text from the YAML could never run even if escaping failed. Pyodide needs
``'wasm-unsafe-eval'`` to compile WebAssembly, nothing more. A page with no script at all (the embeds of
macros.embed, the redirect pages) gets a policy that runs none and loads nothing but its own styles.

Who may frame a page is not said here: ``frame-ancestors`` is ignored in a ``<meta>`` policy, and GitHub Pages
cannot send headers (neither ``X-Frame-Options`` nor a CSP header). Every page can be framed; the embeds are
made for it, and no page holds an action a framing page could trick a reader into.
"""

from __future__ import annotations

import base64
import hashlib
import pathlib
import re

_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", re.DOTALL)
_CHARSET = '<meta charset="utf-8">'
_META = '<meta http-equiv="Content-Security-Policy"'

FIXED = {
    "default-src": "'self'",
    "style-src": "'self' 'unsafe-inline'",  # Material sets style attributes from its scripts
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "worker-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
}


# A page without scripts: nothing runs, nothing is fetched but its images, and its styles are inline.
NO_SCRIPT = ("default-src 'none'; script-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
             "base-uri 'none'; form-action 'none'")


def policy_for(html: str) -> str:
    """The policy of one page: its own inline scripts by hash; none at all for a page without a script.

    >>> "'sha256-" in policy_for("<script>var a=1</script>"), policy_for("<p>no script</p>") == NO_SCRIPT
    (True, True)
    """
    if "<script" not in html:
        return NO_SCRIPT
    hashes = sorted({base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
                     for attrs, body in _INLINE_SCRIPT.findall(html) if "application/json" not in attrs})
    scripts = " ".join(["'self'", "'wasm-unsafe-eval'", *(f"'sha256-{h}'" for h in hashes)])
    return "; ".join([f"default-src {FIXED['default-src']}", f"script-src {scripts}",
                      *(f"{k} {v}" for k, v in FIXED.items() if k != "default-src")])


def add_policy(site_dir: pathlib.Path) -> int:
    """Insert the policy into every HTML page, right after its charset; returns the number of pages."""
    count = 0
    for page in pathlib.Path(site_dir).rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        if _CHARSET not in html or _META in html:  # (a page may well mention the words in its text)
            continue
        meta = f'{_META} content="{policy_for(html)}">'
        page.write_text(html.replace(_CHARSET, _CHARSET + "\n    " + meta, 1), encoding="utf-8")
        count += 1
    return count
