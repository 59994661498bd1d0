"""Which Beijing AI-policy measures may apply to a company, and the most each could give.

Standard library only: it runs the same under CPython and in the browser (Pyodide).

>>> from calculator import evaluate
>>> report = evaluate({"district": "tongzhou", "compute_spend": 3_000_000, "as_of": "2026-06-30"})
>>> row = next(r for r in report["results"] if r["measure"] == "art-1" and r["policy"] == "tz-ai-2025")
>>> row["status"], row["max_amount"], row["parts"]  # 应用成效显著 is not asked; 通州's dates are not known
('conditional', 500000, {'validity_unknown': 500000})
>>> [q["quote"] for q in row["requirements"]]
['对租用非关联方智能算力的主体', '对于应用成效显著的']
"""

from .bundle import default_bundle, load_bundle
from .engine import STATUSES, Calculator, localize
from .fields import FIELDS, PROFILE_VERSION
from .profile import ProfileError, profile_schema, read_profile

__all__ = [
    "FIELDS",
    "PROFILE_VERSION",
    "STATUSES",
    "Calculator",
    "ProfileError",
    "default_bundle",
    "evaluate",
    "load_bundle",
    "localize",
    "profile_schema",
    "read_profile",
]

_DEFAULT = None


def evaluate(profile: dict, bundle: dict | None = None, today: str | None = None) -> dict:
    """Evaluate ``profile`` against every measure of ``bundle`` (the packaged one by default)."""
    global _DEFAULT
    if bundle is not None:
        return Calculator(bundle).evaluate(profile, today)
    if _DEFAULT is None:
        _DEFAULT = Calculator(default_bundle())
    return _DEFAULT.evaluate(profile, today)
