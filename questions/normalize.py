"""Answer normalization: plural-insensitive word tokens for rubric matching, and numbers in their usual forms."""

from __future__ import annotations

import re
import unicodedata
from fractions import Fraction

# Number forms a numeric question may accept; plain decimals ("0.25", "-3", ".5") are always accepted.
FORMS: tuple[str, ...] = ("fraction", "percent", "scientific")
FORM_EXAMPLES = {"decimal": "0.25", "fraction": "1/4", "percent": "25%", "scientific": "1e-3 or 1.5×10^-3"}

_WORD = re.compile(r"[^\W_]+")  # letters and digits of any script (σ, ∂ are dropped: not letters)


def forms(word: str) -> frozenset[str]:
    """The word and its candidate singulars: 'biases' -> {biases, biase, bias}; 'batches' -> {.., batch}.

    Two words are "the same" when their forms overlap, so 'bias'/'biases', 'cause'/'causes',
    'batch'/'batches', 'activity'/'activities' all match, whichever side is plural.
    """
    out = {word}
    if len(word) > 3 and word.endswith("s"):
        out.add(word[:-1])
        if word.endswith("es"):
            out.add(word[:-2])
        if word.endswith("ies"):
            out.add(word[:-3] + "y")
    return frozenset(out)


def tokens(text: str) -> list[str]:
    """Lower-case, accent-free word tokens of `text` (punctuation and hyphens split words)."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return _WORD.findall(folded)


def same_word(a: str, b: str) -> bool:
    """Equal up to a plural ending."""
    return a == b or not forms(a).isdisjoint(forms(b))


class Matcher:
    """Finds rubric phrases in one answer, ignoring case, punctuation, plurals and hyphen/space splits."""

    def __init__(self, answer: str):
        self.words = tokens(answer)
        joined = list(self.words)
        for n in (2, 3):  # "non saturating" in an answer still matches the phrase "nonsaturating"
            joined += ["".join(self.words[i : i + n]) for i in range(len(self.words) - n + 1)]
        self.joined = joined

    def contains(self, phrase: str) -> bool:
        want = tokens(phrase)
        if not want:
            return False
        glued = "".join(want)
        if any(same_word(glued, w) for w in self.joined):
            return True
        n = len(want)
        return any(
            all(same_word(a, b) for a, b in zip(want, self.words[i : i + n], strict=True))
            for i in range(len(self.words) - n + 1)
        )


_DECIMAL = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)"
_PATTERNS: dict[str, re.Pattern[str]] = {
    "decimal": re.compile(rf"({_DECIMAL})"),
    "fraction": re.compile(rf"({_DECIMAL})\s*/\s*({_DECIMAL})"),
    "percent": re.compile(rf"({_DECIMAL})\s*%"),
    "scientific": re.compile(rf"({_DECIMAL})\s*[eE]\s*([+-]?\d+)"),
    "power10": re.compile(rf"(?:({_DECIMAL})\s*(?:\*|x|×|·)\s*)?10\s*(?:\^|\*\*)\s*([+-]?\d+)"),
}


def _clean(text: str, unit: str | None) -> str:
    s = unicodedata.normalize("NFKC", text).strip().replace("−", "-").replace("{", "").replace("}", "")
    s = s.lstrip("≈~").strip()
    if unit and s.casefold().endswith(unit.casefold()):
        s = s[: -len(unit)].strip()
    return s.replace(" ", "") if "/" in s or "^" in s or "*" in s else s


def parse_number(text: str, accept: tuple[str, ...] | list[str] = FORMS, unit: str | None = None) -> float:
    """The value of `text` written as a decimal or one of the `accept`ed forms; ValueError says why not.

    Forms: decimal "0.25"; fraction "1/4"; percent "25%" (= 0.25); scientific "1e-3", "1.5E+2",
    "1.5×10^-3", "1.5*10**-3", "10^-3". A trailing `unit` and a leading "≈" or "~" are ignored.
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
        kind = "scientific" if form == "power10" else form
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
    mantissa = float(m[1]) if m[1] else 1.0
    exponent = int(m[2])
    if abs(exponent) > 308:
        raise ValueError("exponent out of range")
    return mantissa * 10.0**exponent
