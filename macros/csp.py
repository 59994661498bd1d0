"""A Content-Security-Policy for every page of the built site.

Pages are static, so the policy is a ``<meta http-equiv>`` (GitHub Pages sets no
headers). Everything comes from the site itself; the only inline scripts allowed
are those MkDocs Material and the checker page put there, each by its sha256, so
text from the YAML could never run even if escaping failed. Pyodide needs
``'wasm-unsafe-eval'`` to compile WebAssembly, nothing more.
"""

from __future__ import annotations

import base64
import hashlib
import pathlib
import re

_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", re.DOTALL)
_CHARSET = '<meta charset="utf-8">'

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


def policy_for(html: str) -> str:
    """The policy of one page: its own inline scripts by hash.

    >>> "'sha256-" in policy_for("<script>var a=1</script>")
    True
    """
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
        if _CHARSET not in html or "Content-Security-Policy" in html:
            continue
        meta = f'<meta http-equiv="Content-Security-Policy" content="{policy_for(html)}">'
        page.write_text(html.replace(_CHARSET, _CHARSET + "\n    " + meta, 1), encoding="utf-8")
        count += 1
    return count
