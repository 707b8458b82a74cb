"""Numbers as learners write them: decimals, fractions, percents, scientific notation and powers."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from fractions import Fraction
from typing import Literal, get_args

# Number forms a numeric question may accept; plain decimals ("0.25", "-3", ".5") are always accepted.
NumberForm = Literal["fraction", "percent", "scientific"]
FORMS: tuple[str, ...] = get_args(NumberForm)
FORM_EXAMPLES = {"decimal": "d.dd", "fraction": "a/b", "percent": "n%", "scientific": "m e-k or m×10^-k"}  # no digits:
# an error message shown before the final answer must not show a number that could be the key
_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")
_SUP_RUN = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺]+")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?:\D|$))")
PERCENT_UNITS = ("%", "percent", "per cent", "pct")

_DECIMAL = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)"
_PATTERNS: dict[str, re.Pattern[str]] = {
    "decimal": re.compile(rf"({_DECIMAL})"),
    "fraction": re.compile(rf"({_DECIMAL})\s*/\s*({_DECIMAL})"),
    "percent": re.compile(rf"({_DECIMAL})\s*%"),
    "scientific": re.compile(rf"({_DECIMAL})\s*[eE]\s*([+-]?\d+)"),
    "power10": re.compile(rf"(?:({_DECIMAL})\s*(?:\*|x|×|·)\s*)?10\s*(?:\^|\*\*)\s*([+-]?\d+)"),
    "power": re.compile(rf"({_DECIMAL})\s*(?:\^|\*\*)\s*([+-]?\d+(?:\.\d+)?)"),
}


def _units(unit: str | None) -> tuple[str, ...]:
    """The unit and its spellings: a percent unit also reads '%', 'percent', 'per cent' and 'pct'."""
    if not unit:
        return ()
    return PERCENT_UNITS if unit.strip().casefold() in PERCENT_UNITS else (unit,)


def _clean(text: str, unit: str | None) -> str:
    s = _SUP_RUN.sub(lambda m: "^" + m[0].translate(_SUPERSCRIPT), text)  # 10⁻³ -> 10^-3
    s = unicodedata.normalize("NFKC", s).strip().replace("−", "-").replace("{", "").replace("}", "")
    s = s.lstrip("=≈~").strip()  # "= 0.25", "≈ 1e-6"
    s = _THOUSANDS.sub("", s)  # 1,024 -> 1024
    for spelling in sorted(_units(unit), key=len, reverse=True):
        if s.casefold().endswith(spelling.casefold()):
            s = s[: -len(spelling)].strip()
            break
    return s.replace(" ", "") if "/" in s or "^" in s or "*" in s else s


def parse_number(text: str, accept: Sequence[str] = FORMS, unit: str | None = None) -> float:
    """The value of `text` written as a decimal or one of the `accept`ed forms; ValueError says why not.

    Forms: decimal "0.25", "1,024"; fraction "1/4"; percent "25%" (= 0.25); scientific "1e-3", "1.5E+2",
    "1.5×10^-3", "1 × 10⁻³", "1.5*10**-3", "10^-3" and powers "2^10". A trailing `unit` (for a percent unit also
    "%", "percent") and a leading "=", "≈" or "~" are ignored.
    """
    s = _clean(text, unit)
    if not s:
        raise ValueError("no number given")
    if len(s) > 60:
        raise ValueError("that is not a number (too long)")
    for form, pattern in _PATTERNS.items():
        m = pattern.fullmatch(s)
        if not m:
            continue
        kind = "scientific" if form in ("power10", "power") else form
        if kind != "decimal" and kind not in accept:
            allowed = ", ".join(["decimal", *accept])
            raise ValueError(f"this question does not take the {kind} form; write it as: {allowed}")
        return _value(form, m)
    allowed = "; ".join(f"{f} ({FORM_EXAMPLES[f]})" for f in ("decimal", *accept))
    raise ValueError(f"{text.strip()[:40]!r} is not a number; accepted forms: {allowed}")


def _value(form: str, m: re.Match[str]) -> float:
    if form == "decimal":
        return float(m[1])
    if form == "fraction":
        den = Fraction(m[2])
        if den == 0:
            raise ValueError("division by zero")
        return float(Fraction(m[1]) / den)
    if form == "percent":
        return float(Fraction(m[1]) / 100)
    if form == "power":
        base, exponent = float(m[1]), float(m[2])
        if abs(exponent) > 308 or (base == 0 and exponent < 0):
            raise ValueError("exponent out of range")
        value = base**exponent
        if isinstance(value, complex) or not math.isfinite(value):
            raise ValueError("that power has no real finite value")
        return value
    mantissa = float(m[1]) if m[1] else 1.0
    exponent = int(m[2])
    if abs(exponent) > 308:
        raise ValueError("exponent out of range")
    return mantissa * 10.0**exponent
