"""Amounts and rates as Chinese policy texts write them, read exactly.

Money becomes integer yuan by integer arithmetic, never through floats (0.5亿元 is
50,000,000 and 0.57亿元 is 57,000,000, not 56999999.99999999); a rate stays the exact
string it was written as ("2.5%"). White space inside a figure is ignored, because
texts extracted from PDF files often split ``3000 万元`` or ``2\\n%``.

>>> [(a.written, a.yuan) for a in find_amounts("单个项目最高3000 万元，总额不超过0.5亿元，每家5000元")]
[('3000万元', 30000000), ('0.5亿元', 50000000), ('5000元', 5000)]
>>> [r.rate for r in find_rates("按照20%、2.5％给予支持，最高百分之三十")]
['20%', '2.5%', '30%']
"""

from __future__ import annotations

import dataclasses
import re

SCALE = {"万": 10_000, "亿": 100_000_000, "万亿": 1_000_000_000_000}
_DIGITS = "零〇一二两三四五六七八九"
_CN_NUMBER = f"[{_DIGITS}十百千]+"
# A figure (digits, an optional decimal part, ASCII thousands separators: 1,000万元), then 万/亿 and 元, or 元 alone;
# 万 or 亿 without 元 (首次达到10亿) is money too, unless a unit of something else follows (10万平方米).
# Chinese numerals count only with 万元 or 亿元: 一元 is also a word.
_OTHER_UNITS = "平方米|平米|人|家|个|台|套|吨|千瓦|户|次|张|件|名|亩|公里|米|小时|册|篇"
_AMOUNT = re.compile(rf"(?<![\d.．])(\d{{1,3}}(?:,\d{{3}})+(?:[.．]\d+)?|\d+(?:[.．]\d+)?)(?:(万亿|万|亿)(元|(?!{_OTHER_UNITS}))|(元))"
                     rf"|(?<![{_DIGITS}十百千])({_CN_NUMBER})(万亿|万|亿)元")
_RATE = re.compile(rf"(?<![\d.．])(\d+(?:[.．]\d+)?)[%％]|百分之({_CN_NUMBER}(?:点[{_DIGITS}]+)?)")


@dataclasses.dataclass(frozen=True)
class Amount:
    written: str  # as in the text, white space removed
    yuan: int | None  # None when the figure is not a whole number of yuan (0.00001万元)
    start: int  # offset in the text the caller gave (white space removed)


@dataclasses.dataclass(frozen=True)
class Rate:
    written: str
    rate: str  # "20%", exact
    start: int


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def chinese_number(text: str) -> int | None:
    """一百零一 → 101, 二十 → 20, 十五 → 15, 三千五百 → 3500; None when it is not a number.

    >>> [chinese_number(t) for t in ("一", "十", "十一", "二十", "一百零一", "三千五百", "两", "二〇二四", "百")]
    [1, 10, 11, 20, 101, 3500, 2, 2024, None]
    """
    if not text or any(c not in _DIGITS + "十百千" for c in text):
        return None
    digit = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
    if all(c in digit for c in text):  # 二〇二四: digit by digit
        return int("".join(str(digit[c]) for c in text)) if len(text) > 1 or text != "零" else 0
    total, current = 0, None
    for char in text:
        if char in digit:
            if current is not None and current != 0:
                return None  # two digits in a row, as in 三五
            current = digit[char]
        else:
            unit = {"十": 10, "百": 100, "千": 1000}[char]
            if current is None:
                if char != "十" or total:
                    return None  # 百 or 千 without a digit before it
                current = 1  # 十五: the leading 一 is left out
            total += current * unit
            current = None
    return total + (current or 0)


def exact_yuan(number: str, unit: str) -> int | None:
    """``number`` × the unit (万, 亿 or empty), exactly; None when not a whole number of yuan.

    >>> exact_yuan("0.5", "亿"), exact_yuan("1.1", "万"), exact_yuan("2,000", ""), exact_yuan("0.00001", "万")
    (50000000, 11000, 2000, None)
    """
    number = number.replace(",", "").replace("．", ".")
    whole, _, fraction = number.partition(".")
    scale = SCALE.get(unit, 1)
    value = int(whole) * scale
    if fraction:
        numerator = int(fraction) * scale
        denominator = 10 ** len(fraction)
        if numerator % denominator:
            return None
        value += numerator // denominator
    return value


def find_amounts(text: str) -> list[Amount]:
    """Every sum of money in ``text``: a figure followed by 元, 万元, 亿元, or by 万 or 亿 alone."""
    text = squash(text)
    out = []
    for match in _AMOUNT.finditer(text):
        if match.group(1) is not None:
            number, unit = match.group(1), match.group(2) or ""
        else:
            value = chinese_number(match.group(5))
            if value is None:
                continue  # 数百万元: no figure
            number, unit = str(value), match.group(6)
        out.append(Amount(match.group(0), exact_yuan(number, unit), match.start()))
    return out


def find_rates(text: str) -> list[Rate]:
    """Every percentage in ``text``, as an exact string with an ASCII percent sign."""
    text = squash(text)
    out = []
    for match in _RATE.finditer(text):
        if match.group(1) is not None:
            rate = match.group(1).replace("．", ".") + "%"
        else:
            whole, _, decimals = match.group(2).partition("点")
            value = chinese_number(whole)
            if value is None:
                continue
            digits = "".join(str("零一二三四五六七八九".find(c)) if c in "零一二三四五六七八九" else "0" for c in decimals)
            rate = f"{value}.{digits}%" if decimals else f"{value}%"
        out.append(Rate(match.group(0), rate, match.start()))
    return out
