"""Export -> import round-trips every built-in question through Moodle XML and GIFT, field by field."""

from __future__ import annotations

from functools import cache

import pytest

from questions import load_bank_text
from questions.interop import export_bytes
from questions.interop.importer import Imported, import_bytes
from questions.loader import BUILTIN_DIR, load_banks

BANK = load_banks([BUILTIN_DIR])
IDS = [q.id for q in BANK.questions]
APP_URL = "https://lab.example.org"
# Fields a format cannot carry, per format (the round trip skips them). Both carry every field: what has no
# native place travels as key:value tags and general-feedback sections (questions/interop/lms.py).
LOST: dict[str, set[str]] = {"moodle-xml": set(), "gift": set()}
SUFFIX = {"moodle-xml": "bank.xml", "gift": "bank.gift"}


@cache
def roundtrip(fmt: str) -> Imported:
    data, _, _ = export_bytes(BANK.questions, fmt, APP_URL)
    return import_bytes(data, SUFFIX[fmt])


def test_builtin_bank_is_valid():
    """The round trip starts from a clean bank (otherwise the exports below would leave questions out)."""
    assert BANK.errors == ()
    assert BANK.questions


@pytest.mark.parametrize("fmt", LOST)
def test_import_reports_no_errors(fmt):
    """Importing our own export maps every question: no located errors at all."""
    assert [str(e) for e in roundtrip(fmt).errors] == []


@pytest.mark.parametrize("fmt", LOST)
def test_import_keeps_every_question_in_order(fmt):
    """The imported bank has the same ids in the same order as the built-in bank."""
    assert [q.id for q in roundtrip(fmt).questions] == IDS


@pytest.mark.parametrize("fmt", LOST)
@pytest.mark.parametrize("qid", IDS)
def test_question_survives_field_by_field(fmt, qid):
    """Every field the format supports comes back equal (type, options, key, tolerance, rubric, preset, ...)."""
    original = BANK.by_id[qid]
    back = {q.id: q for q in roundtrip(fmt).questions}.get(qid)
    assert back is not None, f"{qid} was not imported"
    assert back.type == original.type
    for name in type(original).model_fields:
        if name in LOST[fmt]:
            continue
        assert getattr(back, name) == getattr(original, name), f"{fmt}: {qid}.{name} changed"


@pytest.mark.parametrize("fmt", LOST)
def test_written_yaml_validates_through_the_loader(fmt):
    """The YAML an import writes is a bank the loader accepts, holding exactly the imported questions."""
    result = roundtrip(fmt)
    questions, errors = load_bank_text(result.yaml_text, "imported.yaml")
    assert errors == []
    assert questions == result.questions


@pytest.mark.parametrize("fmt", LOST)
def test_relative_preset_links_round_trip_too(fmt):
    """Without the app's address the experiment link is relative, and predict questions still come back."""
    predicts = [q for q in BANK.questions if q.type == "predict"]
    assert predicts, "the built-in bank has predict questions"
    data, _, _ = export_bytes(predicts, fmt)
    result = import_bytes(data, SUFFIX[fmt])
    assert result.errors == []
    assert result.questions == predicts
