"""A live answer as stored (JSON of what the form gave) and the class's answers tallied per option.

One row per bar: choice questions get a bar per option (multiple choice: how many picked each), true/false two,
numeric answers a bar per distinct value (the most common ones), free responses a bar per credit band; a skip
("I don't know") gets its own bar. `correct` marks the key, which the projector colours only after "Reveal".
"""

from __future__ import annotations

import json
import string
from collections import Counter
from collections.abc import Iterable, Sequence

import pandas as pd

from questions.normalize import parse_number
from questions.quiz import full_credit, grade_numeric
from questions.schema import FreeResponse, MultipleChoice, Numeric, Predict, Question, SingleChoice, TrueFalse

TALLY_COLUMNS = ["position", "option", "count", "correct"]
SKIPPED = "I don't know"
MAX_NUMERIC_BARS = 8  # distinct numeric answers shown; the rest share an "other" bar
OPTION_CHARS = 70  # an option's text on the projector's axis is cut here
BANDS = ("full credit", "partial credit", "no credit")


def encode(value: object) -> str:
    """What the store keeps of one answer: JSON of the form's value (sets as sorted lists; None is a skip)."""
    if isinstance(value, set | frozenset):
        value = sorted(value)
    return json.dumps(value)


def decode(q: Question, text: str) -> object:
    """The form's value back from `encode` (a multiple-choice answer is a set again)."""
    value = json.loads(text)
    return set(value) if isinstance(q, MultipleChoice) and value is not None else value


def letter(position: int) -> str:
    """A, B, C… for options in the order the projector and the phones show them."""
    return string.ascii_uppercase[position]


def _short(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= OPTION_CHARS else flat[:OPTION_CHARS - 1] + "…"


def _rows(labels: Sequence[str], counts: Sequence[int], correct: Sequence[bool]) -> list[dict]:
    return [{"position": i, "option": lab, "count": int(n), "correct": bool(ok)}
            for i, (lab, n, ok) in enumerate(zip(labels, counts, correct, strict=True))]


def _numeric(q: Numeric, values: list[str]) -> list[dict]:
    parsed: list[tuple[float, str]] = []
    for text in values:
        try:
            parsed.append((parse_number(str(text), q.accept, q.unit), str(text)))
        except ValueError:
            continue  # the form checks numbers before they are stored; an unreadable one has no bar
    counts = Counter(f"{x:.3g}" for x, _ in parsed)
    first = {}
    for x, text in parsed:
        first.setdefault(f"{x:.3g}", (x, text))
    shown = sorted(sorted(counts, key=lambda k: -counts[k])[:MAX_NUMERIC_BARS], key=lambda k: first[k][0])
    labels, ns, ok = list(shown), [counts[k] for k in shown], [grade_numeric(q, first[k][1]).correct for k in shown]
    rest = sum(counts.values()) - sum(ns)
    if rest:
        labels, ns, ok = [*labels, "other"], [*ns, rest], [*ok, False]
    return _rows(labels, ns, ok)


def tally(q: Question, answers: Iterable[tuple[str, float]], order: Sequence[int] | None = None) -> pd.DataFrame:
    """One row per bar (TALLY_COLUMNS) for `answers` ((encoded answer, score) pairs) to question `q`.

    order: the options' display order as authored indices (default: as authored); bars follow it."""
    answers = list(answers)
    values = [json.loads(text) for text, _ in answers]
    skips = sum(v is None for v in values)
    given = [v for v in values if v is not None]
    if isinstance(q, SingleChoice | Predict | MultipleChoice):
        order = list(order) if order else list(range(len(q.options)))
        picks = Counter(i for v in given for i in (v if isinstance(v, list) else [v]))
        keys = set(q.answers) if isinstance(q, MultipleChoice) else {q.answer}
        rows = _rows([f"{letter(p)} · {_short(q.options[i])}" for p, i in enumerate(order)],
                     [picks[i] for i in order], [i in keys for i in order])
    elif isinstance(q, TrueFalse):
        rows = _rows(["True", "False"], [given.count(True), given.count(False)], [q.answer, not q.answer])
    elif isinstance(q, Numeric):
        rows = _numeric(q, given)
    else:
        assert isinstance(q, FreeResponse)
        scores = [s for (_, s), v in zip(answers, values, strict=True) if v is not None]
        full = sum(full_credit(s) for s in scores)
        none = sum(s <= 0 for s in scores)
        rows = _rows(BANDS, [full, len(scores) - full - none, none], [True, False, False])
    if skips:
        rows.append({"position": len(rows), "option": SKIPPED, "count": skips, "correct": False})
    return pd.DataFrame(rows, columns=TALLY_COLUMNS)


def summary(frame: pd.DataFrame, answers: int, revealed: bool) -> str:
    """One sentence for screen readers and the caption under the bars (the key only once revealed)."""
    if not answers:
        return "No answers yet."
    counts = ", ".join(f"{r.option}: {r.count}" for r in frame.itertuples())
    key = [r.option for r in frame.itertuples() if r.correct]
    tail = f" Correct: {'; '.join(key)}." if revealed and key else ""
    return f"{answers} answer{'s' * (answers != 1)}. {counts}.{tail}"
