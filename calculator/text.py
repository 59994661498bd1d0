"""Numbers as people read them, in both languages.

>>> money(1_000_000, "zh"), money(1_000_000, "en")
('1,000,000 元', '1,000,000 yuan')
>>> percent(Fraction(1, 5))
'20%'
>>> percent(Fraction(5, 200))
'2.5%'
"""

from __future__ import annotations

import functools
from fractions import Fraction


def money(amount: int, lang: str) -> str:
    return f"{amount:,} {'元' if lang == 'zh' else 'yuan'}"


def number(amount: int) -> str:
    return f"{amount:,}"


@functools.lru_cache(maxsize=256)
def parse_rate(text: str) -> Fraction:
    """``"20%"`` → ``Fraction(1, 5)``, exactly."""
    return Fraction(text.rstrip("%")) / 100


def percent(rate: Fraction) -> str:
    value = rate * 100
    if value.denominator == 1:
        return f"{value.numerator}%"
    return f"{float(value):g}%"


def both(zh: str, en: str) -> dict:
    return {"zh": zh, "en": en}
