"""CSV: one row per question, for spreadsheets and reviews (export only; the YAML bank stays the source).

Texts are the bank's markdown as authored. Lists of words are space-separated; structured values are JSON.
A text cell a spreadsheet would run as a formula (starting with = + - @, tab or CR) gets a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
import json

from questions.quiz import numeric_key
from questions.schema import FreeResponse, MultipleChoice, Numeric, Predict, Question, SingleChoice, TrueFalse

# (column, what it holds); tests check questions/README.md documents every column.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "question id"),
    ("type", "single_choice, multiple_choice, true_false, numeric, free_response or predict"),
    ("topic", "Learn topic slug"),
    ("difficulty", "easy, medium or hard"),
    ("tags", "space-separated"),
    ("prompt", "markdown, LaTeX between $...$"),
    ("options", "choice types: JSON list of option texts in authored order"),
    ("answer", "the key as a learner reads it: option text (JSON list for multiple choice), true/false, "
               "number with tolerance, or the model answer"),
    ("key", "the key as data: 0-based index, JSON list of indices, true/false, or the number"),
    ("tolerance", "numeric: accepted |answer - value| (a fraction of |value| when relative is true)"),
    ("relative", "numeric: true when the tolerance is relative"),
    ("unit", "numeric: unit, if any"),
    ("accept", "numeric: space-separated answer forms accepted besides decimals"),
    ("rubric", "free_response: JSON list of claims {claim, match, weight, bonus, misconceptions}"),
    ("time_limit_s", "free_response: suggested answering time in seconds"),
    ("preset", "predict: the lab page URL (relative to the app) that runs the experiment"),
    ("shuffle", "choice types: false when the options keep their authored order"),
    ("explanation", "markdown shown after answering"),
    ("learn", "space-separated Learn page url_paths"),
    ("source", "citation, if any"),
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _flag(value: bool) -> str:
    return "true" if value else "false"


def row(q: Question) -> dict[str, object]:
    """One question as a CSV row (column -> cell)."""
    out: dict[str, object] = {
        "id": q.id, "type": q.type, "topic": q.topic, "difficulty": q.difficulty, "tags": " ".join(q.tags),
        "prompt": q.prompt, "explanation": q.explanation, "learn": " ".join(q.learn), "source": q.source or "",
    }
    if isinstance(q, SingleChoice | Predict | MultipleChoice):
        out["options"] = json.dumps(q.options, ensure_ascii=False)
        out["shuffle"] = _flag(q.shuffle)
    if isinstance(q, SingleChoice | Predict):
        out["answer"], out["key"] = q.options[q.answer], q.answer
    if isinstance(q, Predict):
        out["preset"] = q.preset.url
    if isinstance(q, MultipleChoice):
        out["answer"] = json.dumps([q.options[i] for i in q.answers], ensure_ascii=False)
        out["key"] = json.dumps(q.answers)
    if isinstance(q, TrueFalse):
        out["answer"] = out["key"] = _flag(q.answer)
    if isinstance(q, Numeric):
        out.update(answer=numeric_key(q), key=q.value, tolerance=q.tolerance, relative=_flag(q.relative),
                   unit=q.unit or "", accept=" ".join(q.accept))
    if isinstance(q, FreeResponse):
        out.update(answer=q.model_answer, time_limit_s=q.time_limit_s,
                   rubric=json.dumps([c.model_dump() for c in q.rubric], ensure_ascii=False))
    return {k: _safe(v) for k, v in out.items()}


def export_csv(questions: list[Question]) -> bytes:
    """UTF-8 CSV (with a byte-order mark, so spreadsheets read the accents and Greek letters right)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=[name for name, _ in COLUMNS], restval="", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(row(q) for q in questions)
    return buf.getvalue().encode("utf-8-sig")
