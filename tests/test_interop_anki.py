"""Anki export: the .apkg is a zip whose collection is SQLite, one note per question, ids stable across exports."""

from __future__ import annotations

import io
import json
import sqlite3
import zipfile
from collections import Counter

import pytest

from questions.interop import export_bytes
from questions.interop.anki import FIELDS, note_guid
from questions.loader import BUILTIN_DIR, load_banks

BANK = load_banks([BUILTIN_DIR])
SEP = "\x1f"  # Anki's field separator in notes.flds


def open_collection(data: bytes, tmp_path, name: str) -> sqlite3.Connection:
    """The collection.anki2 SQLite database inside an .apkg."""
    with zipfile.ZipFile(io.BytesIO(data)) as apkg:
        path = tmp_path / name
        path.write_bytes(apkg.read("collection.anki2"))
    return sqlite3.connect(path)


@pytest.fixture(scope="module")
def two_exports(tmp_path_factory):
    """The bank exported twice (as a re-export after an edit would be), each opened as SQLite."""
    tmp = tmp_path_factory.mktemp("anki")
    first = open_collection(export_bytes(BANK.questions, "anki")[0], tmp, "first.anki2")
    second = open_collection(export_bytes(BANK.questions, "anki")[0], tmp, "second.anki2")
    yield first, second
    first.close()
    second.close()


def notes(db: sqlite3.Connection) -> list[tuple[str, int, list[str], str]]:
    """(guid, note type id, fields, tags) of every note, in insertion order."""
    return [(g, m, f.split(SEP), t) for g, m, f, t in db.execute("select guid, mid, flds, tags from notes order by id")]


def note_types(db: sqlite3.Connection) -> dict[int, dict]:
    """The collection's note types (Anki keeps them as JSON in col.models)."""
    return {int(k): v for k, v in json.loads(db.execute("select models from col").fetchone()[0]).items()}


def test_apkg_is_a_zip_with_a_sqlite_collection():
    """The file is a zip holding collection.anki2, and that is a SQLite database with a notes table."""
    data = export_bytes(BANK.questions, "anki")[0]
    with zipfile.ZipFile(io.BytesIO(data)) as apkg:
        assert "collection.anki2" in apkg.namelist()
        assert apkg.read("collection.anki2").startswith(b"SQLite format 3\x00")


def test_one_note_per_question(two_exports):
    """As many notes as questions, one card each."""
    db, _ = two_exports
    assert db.execute("select count(*) from notes").fetchone()[0] == len(BANK.questions)
    assert db.execute("select count(*) from cards").fetchone()[0] == len(BANK.questions)


def test_note_guids_come_from_question_ids(two_exports):
    """Each note's guid is note_guid(question id), and the last field is the id itself."""
    db, _ = two_exports
    rows = notes(db)
    assert [g for g, _, _, _ in rows] == [note_guid(q.id) for q in BANK.questions]
    assert [f[-1] for _, _, f, _ in rows] == [q.id for q in BANK.questions]


def test_guids_and_ids_are_stable_across_exports(two_exports):
    """Two exports agree on note guids, note type ids and the deck id, so a re-import updates in place."""
    first, second = two_exports
    assert [(g, m) for g, m, _, _ in notes(first)] == [(g, m) for g, m, _, _ in notes(second)]
    assert set(note_types(first)) == set(note_types(second))
    assert set(json.loads(first.execute("select decks from col").fetchone()[0])) == set(
        json.loads(second.execute("select decks from col").fetchone()[0]))


def test_one_note_type_per_question_type(two_exports):
    """Every question type in the bank has its own note type, with that type's fields."""
    db, _ = two_exports
    types = note_types(db)
    by_question_type = {q.type: mid for q, (_, mid, _, _) in zip(BANK.questions, notes(db), strict=True)}
    assert len(set(by_question_type.values())) == len(by_question_type) == len(Counter(q.type for q in BANK.questions))
    for qtype, mid in by_question_type.items():
        assert [f["name"] for f in types[mid]["flds"]] == list(FIELDS[qtype])


def test_math_and_tags_travel(two_exports):
    """LaTeX arrives as MathJax \\( \\) (Anki's own syntax) and topic/difficulty are hierarchical tags."""
    db, _ = two_exports
    for q, (_, _, fields, tags) in zip(BANK.questions, notes(db), strict=True):
        assert "$" not in fields[0]
        if "$" in q.prompt:
            assert "\\(" in fields[0]
        assert {f"topic::{q.topic}", f"difficulty::{q.difficulty}", *q.tags} <= set(tags.split())
