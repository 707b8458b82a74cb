"""Rubric patterns: `[not:] term + term + ...`, each term `phrase | phrase`, compiled to canonical tokens.

    "sigmoid + derivative + at most + 0.25"      sigmoid's slope is at most 1/4 (any synonym, any order)
    "clip + rescale | shrink + norm + exceed"     clipping rescales when the norm exceeds a threshold
    "not: clip + fix + vanish"                   clipping does NOT fix vanishing gradients (stated negated)
    "product + ~1e-6"                            '~' before a number: within a factor 2.5 of it

Every term must appear in one sentence of the answer (one item of a listed sentence). The first term is the
subject: a later term counts only if it belongs to that subject (lexicon.RIVALS). Phrases are read like
answers (math, synonyms, stems), so write one plain wording and let the lexicon supply the synonyms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from questions.claims import lexicon, mathtext
from questions.claims.text import PUNCT, canonicalize, number_token, raw_tokens

MIN_TERMS = 2
MAX_TERMS = 6
MAX_ALTERNATIVES = 16
APPROX_FACTOR = 2.5  # '~1e-6' matches numbers within a factor 2.5 either way


class PatternError(ValueError):
    """A pattern that cannot be compiled; the message says how to write it."""


@dataclass(frozen=True)
class Pattern:
    """A compiled pattern: polarity, and per term its alternatives as canonical token sequences."""

    text: str
    negated: bool
    terms: tuple[tuple[tuple[str, ...], ...], ...]

    def words(self) -> frozenset[str]:
        """The pattern's words (the spelling corrector may correct an answer's typos towards them)."""
        return frozenset(t for term in self.terms for alt in term for t in alt if not t.startswith(("#", "~")))


def _phrase(text: str, pattern: str) -> tuple[str, ...]:
    text = text.strip()
    if text.startswith("~"):
        tokens = [number_token(t) or t for t in raw_tokens(mathtext.rewrite(text[1:]))]
        if len(tokens) != 1 or not tokens[0].startswith("#"):
            raise PatternError(f"{pattern!r}: '~' goes before a number (e.g. '~1e-6'), not before {text[1:]!r}")
        return ("~" + tokens[0],)
    words = raw_tokens(mathtext.rewrite(text))
    if any(w in lexicon.NEGATIONS for w in words):
        raise PatternError(f"{pattern!r}: negation inside a term ({text!r}); write 'not:' before the whole pattern")
    tokens, _ = canonicalize(words, frozenset())
    tokens = [t for t in tokens if t not in PUNCT]
    if not tokens:
        raise PatternError(f"{pattern!r}: the phrase {text!r} has no words or numbers, so it can never match")
    return tuple(tokens)


@lru_cache(maxsize=4096)
def compile_pattern(text: str) -> Pattern:
    """Parse and compile one pattern; PatternError explains any problem."""
    body = text.strip()
    negated = bool(re.match(r"not\s*:", body, re.I))
    if negated:
        body = body.split(":", 1)[1]
    parts = [p for p in re.split(r"\s\+\s|^\+\s|\s\+$", f" {body} ")]
    terms = [p.strip() for p in parts if p.strip()]
    if len(terms) < MIN_TERMS and not negated:
        raise PatternError(f"{text!r}: a claim relates at least two terms joined by ' + ' (e.g. 'sigmoid + at most "
                           "+ 0.25'); a single term is a keyword, and a bare keyword earns nothing")
    if len(terms) > MAX_TERMS:
        raise PatternError(f"{text!r}: at most {MAX_TERMS} terms (got {len(terms)}); split it into two patterns")
    compiled = []
    for term in terms:
        alternatives = [a for a in term.split("|")]
        if any(not a.strip() for a in alternatives):
            raise PatternError(f"{text!r}: empty alternative in term {term!r} (two '|' in a row?)")
        if len(alternatives) > MAX_ALTERNATIVES:
            raise PatternError(f"{text!r}: at most {MAX_ALTERNATIVES} alternatives per term")
        compiled.append(tuple(dict.fromkeys(_phrase(a, text) for a in alternatives)))
    return Pattern(text, negated, tuple(compiled))


def token_matches(want: str, have: str) -> bool:
    """Whether an answer token satisfies a pattern token ('~#1e-06' accepts numbers within APPROX_FACTOR)."""
    if want == have:
        return True
    if want.startswith("~#") and have.startswith("#"):
        try:
            target, value = float(want[2:]), float(have[1:])
        except ValueError:
            return False
        if target == 0 or value == 0:
            return target == value
        ratio = value / target
        return 1 / APPROX_FACTOR <= ratio <= APPROX_FACTOR
    return False
