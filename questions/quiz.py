"""The quiz engine, pure Python: grade an answer, assemble a quiz from a seed, summarize the scores.

Multiple-choice partial credit (documented here, shown to learners in the feedback):
    score = max(0, picked_correct / n_correct - picked_wrong / n_wrong)
Each correct pick earns 1/n_correct, each wrong pick costs 1/n_wrong (no cost when every option is
correct), floored at 0: picking every option scores 0, picking nothing scores 0, the exact set scores 1.
Numeric: |x - value| <= tolerance (times |value| if relative), the answer in an accepted form.
Free response: claims stated minus misconceptions stated, over the core claims' weight (questions/claims/grader.py).
Full credit is one predicate, `full_credit`, used wherever "correct" is decided.
"""

from __future__ import annotations

import math
import random
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import cast

from explainer.core.urls import DIFFICULTIES
from questions.claims.grader import EARNED, NEGATED, ClaimResult, Contradiction, grade_claims
from questions.normalize import parse_number
from questions.schema import (
    FreeResponse,
    MultipleChoice,
    Numeric,
    Predict,
    Question,
    SingleChoice,
    TrueFalse,
)

FULL_CREDIT = 1 - 1e-9  # a score at or above this is full credit (float sums of weights may fall a hair short)


def full_credit(score: float) -> bool:
    """Whether `score` is full credit; anything less counts as missed (and comes back in "retry missed")."""
    return score >= FULL_CREDIT


@dataclass(frozen=True)
class Grade:
    """Score in [0, 1], a one-line message, and for free responses each claim's fate and the misconceptions."""

    score: float
    message: str
    hits: tuple[str, ...] = ()  # claims earned
    misses: tuple[str, ...] = ()  # claims not earned (missing, negated, echoed or contradicted)
    claims: tuple[ClaimResult, ...] = ()  # every claim with its status and the learner's sentence
    contradictions: tuple[Contradiction, ...] = ()  # misconceptions stated, with the sentence

    @property
    def correct(self) -> bool:
        return full_credit(self.score)


def grade_choice(q: SingleChoice | Predict, picked: int | None) -> Grade:
    if picked is None:
        return Grade(0.0, f"No answer. The answer is: {q.options[q.answer]}")
    if picked == q.answer:
        return Grade(1.0, "Correct.")
    return Grade(0.0, f"Not quite. The answer is: {q.options[q.answer]}")


def grade_multiple(q: MultipleChoice, picked: Iterable[int]) -> Grade:
    chosen = set(picked)
    right = set(q.answers)
    n_wrong_options = len(q.options) - len(right)
    hits, wrong = len(chosen & right), len(chosen - right)
    penalty = wrong / n_wrong_options if n_wrong_options else 0.0
    score = max(0.0, hits / len(right) - penalty)
    if full_credit(score):
        return Grade(1.0, "Correct: exactly the right options.")
    detail = f"{hits} of {len(right)} correct options picked, {wrong} wrong pick{'s' * (wrong != 1)}"
    formula = f"{hits}/{len(right)} - {wrong}/{n_wrong_options}" if n_wrong_options else f"{hits}/{len(right)}"
    return Grade(score, f"Partly right: {detail}; score max(0, {formula}) = {score:.2f}.")


def grade_true_false(q: TrueFalse, picked: bool | None) -> Grade:
    key = "True" if q.answer else "False"
    if picked is None:
        return Grade(0.0, f"No answer. The statement is {key}.")
    return Grade(1.0, "Correct.") if picked == q.answer else Grade(0.0, f"Not quite: the statement is {key}.")


def numeric_key(q: Numeric) -> str:
    """The key as learners see it, e.g. "0.25 (± 0.01)" or "9.54e-07 (± 2%)"."""
    tol = f"± {q.tolerance:.0%}" if q.relative else f"± {q.tolerance:g}"
    unit = f" {q.unit}" if q.unit else ""
    return f"{q.value:g}{unit}" + (f" ({tol})" if q.tolerance else "")


def check_numeric(q: Numeric, text: str) -> str | None:
    """Why `text` cannot be read as a number for this question (None when it can)."""
    try:
        parse_number(text, q.accept, q.unit)
    except ValueError as exc:
        return str(exc)
    return None


def grade_numeric(q: Numeric, answer: str | float | None) -> Grade:
    if answer is None or (isinstance(answer, str) and not answer.strip()):
        return Grade(0.0, f"No answer. The answer is {numeric_key(q)}.")
    try:
        x = float(answer) if isinstance(answer, int | float) else parse_number(answer, q.accept, q.unit)
    except ValueError as exc:
        return Grade(0.0, f"Could not read your answer ({exc}). The answer is {numeric_key(q)}.")
    allowed = q.tolerance * abs(q.value) if q.relative else q.tolerance
    if abs(x - q.value) <= allowed * (1 + 1e-9) + 1e-12 * abs(q.value):
        return Grade(1.0, f"Correct: {numeric_key(q)}.")
    return Grade(0.0, f"Not quite: you gave {x:g}; the answer is {numeric_key(q)}.")


def percent(fraction: float) -> str:
    """0.125 -> "13%": a whole percent rounded half up, as the app's tables and charts round on the page.

    Python's own f"{0.125:.0%}" gives "12%" (half to even), so a grade message and the table beside it disagreed.
    """
    return f"{math.floor(100 * fraction + 0.5)}%"


def grade_free(q: FreeResponse, answer: str | None) -> Grade:
    """Claims the answer states, misconceptions it states (named, they cost credit), quoted sentence by sentence."""
    verdict = grade_claims(q.rubric, answer or "", q.prompt)
    core = [c for c in verdict.claims if not c.bonus]
    earned = [c for c in core if c.status == EARNED]
    parts = [f"Stated {len(earned)} of {len(core)} key claims"]
    if bonus := [c for c in verdict.claims if c.bonus and c.status == EARNED]:
        parts.append(f"{len(bonus)} bonus")
    if verdict.contradictions:
        n = len(verdict.contradictions)
        cost = sum(c.cost for c in verdict.contradictions) / verdict.core_weight
        parts.append(f"{n} contradiction{'s' * (n != 1)} (-{percent(min(cost, 1.0))})")
    if negated := [c for c in verdict.claims if c.status == NEGATED]:
        parts.append(f"{len(negated)} stated only negated")
    message = "; ".join(parts) + f": score {percent(verdict.score)}."
    return Grade(verdict.score, message, tuple(c.claim for c in verdict.earned),
                 tuple(c.claim for c in verdict.missed), verdict.claims, verdict.contradictions)


def grade(q: Question, answer: object) -> Grade:
    """Grade any question; `answer` is an option index, a set of indices, a bool, or text, by type.

    The caller hands over the kind of answer the question's type takes, so each branch states that kind (a cast).
    """
    match q:
        case SingleChoice() | Predict():
            return grade_choice(q, cast("int | None", answer))
        case MultipleChoice():
            return grade_multiple(q, cast("Iterable[int]", answer or ()))
        case TrueFalse():
            return grade_true_false(q, cast("bool | None", answer))
        case Numeric():
            return grade_numeric(q, cast("str | float | None", answer))
        case FreeResponse():
            return grade_free(q, cast("str | None", answer))
    raise TypeError(f"unknown question type {type(q).__name__}")


def answer_text(q: Question, answer: object) -> str:
    """A learner's answer as plain text (for the store and the mistake review)."""
    if answer is None or answer == "":
        return "(no answer)"
    match q:
        case SingleChoice() | Predict():
            return q.options[cast(int, answer)]
        case MultipleChoice():
            return "; ".join(q.options[i] for i in sorted(cast("Iterable[int]", answer))) or "(no answer)"
        case TrueFalse():
            return "True" if answer else "False"
    return str(answer)


def key_text(q: Question) -> str:
    """The correct answer as plain text."""
    match q:
        case SingleChoice() | Predict():
            return q.options[q.answer]
        case MultipleChoice():
            return "; ".join(q.options[i] for i in q.answers)
        case TrueFalse():
            return "True" if q.answer else "False"
        case Numeric():
            return numeric_key(q)
        case FreeResponse():
            return q.model_answer
    raise TypeError(f"unknown question type {type(q).__name__}")


def option_order(q: Question, salt: str) -> list[int]:
    """The order to show a choice question's options in, as authored indices: a shuffle seeded by `salt` and
    the question id (stable across reruns and processes), or the authored order when `shuffle` is false.
    Grading is unaffected: answers are always authored indices. Empty for questions without options."""
    options = getattr(q, "options", None)
    if not options:
        return []
    order = list(range(len(options)))
    if q.shuffle:
        random.Random(f"{salt}:{q.id}").shuffle(order)
    return order


def assemble(
    questions: Iterable[Question],
    *,
    count: int,
    seed: int,
    topics: Collection[str] = (),
    difficulties: Collection[str] = (),
    types: Collection[str] = (),
) -> list[Question]:
    """Up to `count` questions matching the filters (empty = any), spread evenly over topics.

    Same bank + same arguments -> same quiz, whatever order the bank lists its questions in.
    """
    pool = sorted(
        (q for q in questions
         if (not topics or q.topic in topics)
         and (not difficulties or q.difficulty in difficulties)
         and (not types or q.type in types)),
        key=lambda q: q.id,
    )
    rng = random.Random(seed)
    by_topic: dict[str, list[Question]] = {}
    for q in pool:
        by_topic.setdefault(q.topic, []).append(q)
    order = sorted(by_topic)
    rng.shuffle(order)
    for topic in order:
        rng.shuffle(by_topic[topic])
    picked: list[Question] = []
    while len(picked) < count and any(by_topic.values()):
        for topic in order:
            if by_topic[topic] and len(picked) < count:
                picked.append(by_topic[topic].pop())
    rng.shuffle(picked)
    return picked


@dataclass(frozen=True)
class Result:
    """One graded answer in a quiz."""

    question_id: str
    topic: str
    difficulty: str
    score: float
    seconds: float | None = None
    answer: str = ""

    @property
    def correct(self) -> bool:
        return full_credit(self.score)


@dataclass(frozen=True)
class Breakdown:
    name: str
    count: int
    score: float  # sum of scores

    @property
    def percent(self) -> float:
        return 100 * self.score / self.count if self.count else 0.0


@dataclass(frozen=True)
class Summary:
    count: int
    score: float
    correct: int
    seconds: float
    by_topic: tuple[Breakdown, ...]
    by_difficulty: tuple[Breakdown, ...]

    @property
    def percent(self) -> float:
        return 100 * self.score / self.count if self.count else 0.0


def _group(results: Sequence[Result], key: str, order: Sequence[str] | None = None) -> tuple[Breakdown, ...]:
    names = list(order) if order else sorted({getattr(r, key) for r in results})
    rows = []
    for name in names:
        group = [r for r in results if getattr(r, key) == name]
        if group:
            rows.append(Breakdown(name, len(group), sum(r.score for r in group)))
    return tuple(rows)


def summarize(results: Sequence[Result]) -> Summary:
    """Total, per topic, per difficulty (easy -> hard), and time taken (answered questions only)."""
    return Summary(
        count=len(results),
        score=sum(r.score for r in results),
        correct=sum(r.correct for r in results),
        seconds=sum(r.seconds or 0.0 for r in results),
        by_topic=_group(results, "topic"),
        by_difficulty=_group(results, "difficulty", DIFFICULTIES),
    )


def missed(results: Iterable[Result]) -> list[str]:
    """Ids answered with less than full credit, in quiz order, each once ("retry what I missed")."""
    return list(dict.fromkeys(r.question_id for r in results if not r.correct))
