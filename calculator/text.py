"""Numbers as people read them, in both languages, and exact rates.

>>> money(1_000_000, "zh"), money(1_000_000, "en")
('1,000,000 元', '1,000,000 yuan')
>>> percent(parse_rate("20%")), percent(parse_rate("2.5%"))
('20%', '2.5%')
"""

from __future__ import annotations

import functools
import math


def money(amount: int, lang: str) -> str:
    return f"{amount:,} {'元' if lang == 'zh' else 'yuan'}"


def number(amount: int) -> str:
    return f"{amount:,}"


class Rate:
    """An exact rate, as a ratio of integers: never a float.

    Not ``fractions.Fraction``: importing it (with ``decimal`` and ``numbers``) was half of the calculator's
    start-up in the browser, and a rate here only ever multiplies an amount of yuan.

    >>> rate = parse_rate("2.5%")
    >>> rate.of(1_000_001)  # 1,000,001 × 2.5% = 25,000.025, rounded down
    25000
    >>> rate.reached_at(30_000)  # the smallest amount whose 2.5% is 30,000
    1200000
    """

    __slots__ = ("denominator", "numerator")

    def __init__(self, numerator: int, denominator: int):
        common = math.gcd(numerator, denominator)
        self.numerator, self.denominator = numerator // common, denominator // common

    def of(self, amount: int) -> int:
        """``amount × rate``, rounded down to a whole yuan."""
        return amount * self.numerator // self.denominator

    def reached_at(self, amount: int) -> int:
        """The smallest whole base whose share is at least ``amount`` (the rate must not be zero)."""
        return -(-amount * self.denominator // self.numerator)

    def __bool__(self) -> bool:
        return self.numerator != 0

    def __repr__(self) -> str:
        return f"Rate({self.numerator}, {self.denominator})"


@functools.lru_cache(maxsize=256)
def parse_rate(text: str) -> Rate:
    """``"20%"`` → ``Rate(1, 5)``, exactly (the schema allows ``"2.5%"``-style decimals).

    >>> parse_rate("20%"), parse_rate("2.5%"), parse_rate("0.125%")
    (Rate(1, 5), Rate(1, 40), Rate(1, 800))
    """
    whole, _, decimals = text.rstrip("%").partition(".")
    return Rate(int(whole + decimals), 100 * 10 ** len(decimals))


def percent(rate: Rate) -> str:
    """A rate as a percentage: exact when it is one, else to six significant digits.

    >>> percent(Rate(1, 5)), percent(Rate(1, 40)), percent(Rate(1, 3))
    ('20%', '2.5%', '33.3333%')
    """
    whole, rest = divmod(rate.numerator * 100, rate.denominator)
    if rest == 0:
        return f"{whole}%"
    return f"{rate.numerator * 100 / rate.denominator:g}%"


def both(zh: str, en: str) -> dict:
    return {"zh": zh, "en": en}
