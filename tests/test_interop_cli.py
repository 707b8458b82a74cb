"""`python -m questions export|import` and export_bytes: files written, exit codes, errors on stderr."""

from __future__ import annotations

import zipfile

import pytest

from questions.__main__ import main
from questions.interop import EXPORTS, FORMATS, export_bytes
from questions.loader import BUILTIN_DIR, load_bank_text, load_banks

BANK = load_banks([BUILTIN_DIR])
BAD_BANK = """\
questions:
  - id: broken
    type: single_choice
    topic: overview
    difficulty: easy
    prompt: Pick.
    explanation: Because.
    learn: [overview]
    options: [a, b]
    answer: 5
"""


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_bytes_names_file_and_type(fmt):
    """export_bytes returns non-empty content with the format's file name and MIME type."""
    data, name, mime = export_bytes(BANK.questions, fmt)
    assert data and (name, mime) == EXPORTS[fmt]


def test_export_bytes_refuses_unknown_format():
    """An unknown format is a ValueError listing the known ones."""
    with pytest.raises(ValueError, match="moodle-xml"):
        export_bytes(BANK.questions, "qti")


def test_export_bytes_refuses_a_non_web_app_url():
    """The app address goes into links learners click, so only http(s) addresses are accepted."""
    with pytest.raises(ValueError, match="https://"):
        export_bytes(BANK.questions, "moodle-xml", "javascript:alert(1)")


@pytest.mark.parametrize("fmt", ["moodle-xml", "gift", "csv"])
def test_cli_export_writes_what_export_bytes_makes(fmt, tmp_path, capsys):
    """`export --format F --out FILE BANK` writes export_bytes' content and reports the count on stderr."""
    out = tmp_path / "bank.out"
    assert main(["export", "--format", fmt, "--out", str(out), str(BUILTIN_DIR)]) == 0
    assert out.read_bytes() == export_bytes(BANK.questions, fmt)[0]
    assert f"{len(BANK.questions)} questions exported" in capsys.readouterr().err


def test_cli_export_anki_writes_an_apkg(tmp_path):
    """`export --format anki` writes a zip with the Anki collection."""
    out = tmp_path / "deck.apkg"
    assert main(["export", "--format", "anki", "--out", str(out), str(BUILTIN_DIR)]) == 0
    assert "collection.anki2" in zipfile.ZipFile(out).namelist()


def test_cli_export_refuses_an_invalid_bank(tmp_path, capsys):
    """A bank with errors: exit 1, the located error on stderr, and no file written."""
    bank = tmp_path / "bad.yaml"
    bank.write_text(BAD_BANK, encoding="utf-8")
    out = tmp_path / "bad.xml"
    assert main(["export", "--format", "moodle-xml", "--out", str(out), str(bank)]) == 1
    err = capsys.readouterr().err
    assert "question 'broken', field 'answer'" in err and "not exported" in err
    assert not out.exists()


def test_cli_import_writes_a_valid_bank(tmp_path, capsys):
    """`import FILE --out bank.yaml` on a GIFT export writes YAML the loader accepts, exit 0."""
    gift = tmp_path / "bank.gift"
    gift.write_bytes(export_bytes(BANK.questions, "gift")[0])
    out = tmp_path / "bank.yaml"
    assert main(["import", str(gift), "--out", str(out)]) == 0
    questions, errors = load_bank_text(out.read_text(encoding="utf-8"), "bank.yaml")
    assert errors == [] and [q.id for q in questions] == [q.id for q in BANK.questions]
    assert f"{len(BANK.questions)} questions imported; 0 errors" in capsys.readouterr().err


def test_cli_import_with_errors_exits_1_and_prints_them(tmp_path, capsys):
    """An unmappable question: exit 1, its file:line error on stderr, the valid ones still on stdout."""
    gift = tmp_path / "mixed.gift"
    gift.write_text("// [tag:topic:overview] [tag:difficulty:easy]\n::ok1::Sigmoid saturates.{T####Yes.}\n\n"
                    "::short::Name it.{=clipping}\n", encoding="utf-8")
    assert main(["import", str(gift)]) == 1
    captured = capsys.readouterr()
    assert "mixed.gift:4: question 'short', field 'type'" in captured.err
    assert "id: ok1" in captured.out and "short" not in captured.out
