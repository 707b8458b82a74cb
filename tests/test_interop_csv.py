"""CSV export: one row per question, the documented columns, keys readable back, formula-like cells neutralised."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from questions.interop import export_bytes
from questions.interop.table import COLUMNS
from questions.loader import BUILTIN_DIR, load_banks
from questions.schema import QUESTION_ADAPTER

BANK = load_banks([BUILTIN_DIR])
README = Path(__file__).resolve().parent.parent / "questions" / "README.md"


def rows(questions) -> list[dict[str, str]]:
    data, name, mime = export_bytes(questions, "csv")
    assert name.endswith(".csv") and mime == "text/csv"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_header_is_the_documented_columns():
    """The header row is exactly COLUMNS, in order."""
    data = export_bytes(BANK.questions, "csv")[0].decode("utf-8-sig")
    assert next(csv.reader(io.StringIO(data))) == [name for name, _ in COLUMNS]


def test_one_row_per_question_in_bank_order():
    """Every question is one row (multi-line texts stay inside their quoted cell)."""
    assert [r["id"] for r in rows(BANK.questions)] == [q.id for q in BANK.questions]


def as_cell(text: str) -> str:
    """What a text cell holds: the text, behind an apostrophe when it starts like a formula."""
    return "'" + text if text.startswith(("=", "+", "-", "@", "\t", "\r")) else text


def test_texts_are_the_authored_markdown():
    """prompt and explanation cells hold the bank's markdown as authored."""
    for q, r in zip(BANK.questions, rows(BANK.questions), strict=True):
        assert (r["prompt"], r["explanation"]) == (as_cell(q.prompt), as_cell(q.explanation))
        assert (r["type"], r["topic"], r["difficulty"]) == (q.type, q.topic, q.difficulty)


def test_keys_read_back_per_type():
    """key and answer cells give the key back: option index/indices, true/false, the number, the model answer."""
    for q, r in zip(BANK.questions, rows(BANK.questions), strict=True):
        if q.type in ("single_choice", "predict"):
            assert json.loads(r["options"])[int(r["key"])] == q.options[q.answer]
            assert r["answer"] == as_cell(q.options[q.answer])
        elif q.type == "multiple_choice":
            assert json.loads(r["key"]) == q.answers
        elif q.type == "true_false":
            assert r["key"] == ("true" if q.answer else "false")
        elif q.type == "numeric":
            assert (float(r["key"]), float(r["tolerance"])) == (q.value, q.tolerance)
        else:
            assert r["answer"] == as_cell(q.model_answer)
            assert [c["claim"] for c in json.loads(r["rubric"])] == [c.claim for c in q.rubric]


def test_formula_like_text_is_neutralised():
    """A prompt starting with '=' gets a leading apostrophe, so a spreadsheet shows it instead of running it."""
    q = QUESTION_ADAPTER.validate_python({
        "id": "csv-formula", "type": "true_false", "topic": "overview", "difficulty": "easy",
        "prompt": '=HYPERLINK("http://x","click")', "explanation": "-1 is negative.", "learn": ["overview"],
        "answer": True})
    (r,) = rows([q])
    assert r["prompt"] == "'" + q.prompt
    assert r["explanation"] == "'" + q.explanation


def test_readme_documents_every_column():
    """questions/README.md lists every CSV column (in backticks), so the format is documented where authors look."""
    text = README.read_text(encoding="utf-8")
    missing = [name for name, _ in COLUMNS if f"`{name}`" not in text]
    assert missing == []
