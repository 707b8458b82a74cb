"""Does the form of a choice question give its key away? Scores of two test-wise strategies over a bank.

"Pick the longest option" and "pick the most specific option" (most distinct content words and numbers) are
what a candidate who knows nothing but test-taking would do. Over single-choice and predict questions they
should score near chance (1 / number of options); a tie among the longest counts as a fractional hit.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from questions.claims.lexicon import FUNCTION_WORDS
from questions.schema import Predict, Question, SingleChoice

_WORD = re.compile(r"[A-Za-z]+|\d+(?:\.\d+)?")


def length(option: str) -> float:
    """Characters of the option as read (LaTeX commands and markup not counted)."""
    return float(len(re.sub(r"\\[A-Za-z]+|[$*`{}]", "", option)))


def specificity(option: str) -> float:
    """Distinct content words and numbers: 'A product of T − t Jacobians, one per time step' is specific."""
    return float(len({w.lower() for w in _WORD.findall(option) if w.lower() not in FUNCTION_WORDS}))


def strategy_score(questions: Iterable[Question], measure: Callable[[str], float]) -> tuple[float, int]:
    """(expected share of keys hit by picking the option with the highest `measure`, questions counted)."""
    hits, n = 0.0, 0
    for q in questions:
        if not isinstance(q, SingleChoice | Predict):
            continue
        values = [measure(o) for o in q.options]
        top = [i for i, v in enumerate(values) if v == max(values)]
        hits += (q.answer in top) / len(top)
        n += 1
    return (hits / n if n else 0.0), n


def chance(questions: Iterable[Question]) -> float:
    """The expected score of a random pick over the same questions."""
    picks = [1 / len(q.options) for q in questions if isinstance(q, SingleChoice | Predict)]
    return sum(picks) / len(picks) if picks else 0.0
