"""The built-in bank: every file validates, coverage targets hold, rubrics fit model answers, schema is current."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter

import pytest

from explainer.core.sitemap import LEARN_PATHS, TOPICS
from questions import grade, load_bank_text, load_banks
from questions.__main__ import SCHEMA_FILE, schema_text
from questions.loader import BUILTIN_DIR, default_paths
from tests.conftest import ROOT

BANK_FILES = sorted(BUILTIN_DIR.glob("*.yaml"))


@pytest.fixture(scope="module")
def bank():
    return load_banks([BUILTIN_DIR])


@pytest.mark.parametrize("path", BANK_FILES, ids=lambda p: p.name)
def test_bank_file_validates(path):
    """Each built-in bank file loads with zero errors and at least one question."""
    questions, errors = load_bank_text(path.read_text(encoding="utf-8"), path.name)
    assert [str(e) for e in errors] == []
    assert questions


def test_bank_has_no_cross_file_errors(bank):
    """Loaded together, the files have no duplicate ids or other errors."""
    assert [str(e) for e in bank.errors] == []
    assert len(bank.by_id) == len(bank.questions)


def test_coverage_targets(bank):
    """>= 80 questions, every topic >= 5, >= 12 free-response, >= 8 predict, and scenario questions."""
    topics = Counter(q.topic for q in bank.questions)
    types = Counter(q.type for q in bank.questions)
    assert len(bank.questions) >= 80
    assert {t.slug: topics[t.slug] for t in TOPICS if topics[t.slug] < 5} == {}
    assert types["free_response"] >= 12
    assert types["predict"] >= 8
    assert set(types) == {"single_choice", "multiple_choice", "true_false", "numeric", "free_response", "predict"}
    assert sum("scenario" in q.tags for q in bank.questions) >= 5


def test_every_difficulty_is_used_in_every_topic_overall(bank):
    """Each difficulty level has questions, so the difficulty filter never yields an empty bank."""
    assert Counter(q.difficulty for q in bank.questions).keys() == {"easy", "medium", "hard"}


def test_learn_links_point_at_learn_pages(bank):
    """Every question links to at least one existing Learn page."""
    for q in bank.questions:
        assert q.learn and set(q.learn) <= LEARN_PATHS, q.id


def test_model_answers_earn_every_claim_and_state_no_misconception(bank):
    """Each free-response model answer earns every claim of its rubric (bonus ones too) and triggers none of its
    misconceptions: the rubric is attainable and its misconception patterns are not loose."""
    for q in bank.questions:
        if q.type == "free_response":
            g = grade(q, q.model_answer)
            assert g.misses == () and g.contradictions == (), (q.id, g.misses, g.contradictions)


def test_off_topic_answers_score_zero(bank):
    """An unrelated answer earns no claim anywhere (patterns are specific enough)."""
    for q in bank.questions:
        if q.type == "free_response":
            assert grade(q, "I enjoy cooking pasta with friends when the weather is nice.").score == 0, q.id


def test_numeric_keys_accept_their_own_value(bank):
    """Each numeric key, written as a decimal, grades as correct (tolerance and forms are consistent)."""
    for q in bank.questions:
        if q.type == "numeric":
            assert grade(q, repr(q.value)).correct, q.id


def test_answer_positions_vary(bank):
    """Keys are spread over option positions and true/false (no learnable "always B" or "always True")."""
    positions = Counter(q.answer for q in bank.questions if q.type in ("single_choice", "predict"))
    assert len(positions) >= 3
    assert max(positions.values()) / sum(positions.values()) < 0.45
    truths = Counter(q.answer for q in bank.questions if q.type == "true_false")
    assert min(truths.values()) / sum(truths.values()) > 0.3


def test_schema_file_is_current():
    """questions/schema.json equals what `python -m questions schema` prints (regenerate with --write)."""
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text()


def test_schema_is_a_usable_json_schema():
    """The schema describes a bank file: a questions array whose items are a oneOf over the six types."""
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    items = schema["properties"]["questions"]["items"]
    assert len(items["oneOf"]) == 6
    assert items["discriminator"]["propertyName"] == "type"
    assert schema["additionalProperties"] is False


def test_cli_validate_exit_codes(tmp_path):
    """`python -m questions validate` exits 0 on the built-in bank and 1, one error per line, on a bad file."""
    ok = subprocess.run([sys.executable, "-m", "questions", "validate"], cwd=ROOT, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    bad = tmp_path / "bad.yaml"
    bad.write_text("questions:\n  - id: x1\n    type: true_false\n    answer: maybe\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "questions", "validate", str(bad)], cwd=ROOT,
                         capture_output=True, text=True)
    assert out.returncode == 1
    lines = out.stdout.strip().splitlines()
    assert len(lines) == 6  # topic, difficulty, prompt, explanation, learn missing; answer wrong type
    assert all(line.startswith(f"{bad}:") and "question 'x1'" in line and "field '" in line for line in lines)


def test_cli_schema_prints_json():
    """`python -m questions schema` prints the committed JSON Schema."""
    out = subprocess.run([sys.executable, "-m", "questions", "schema"], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0
    assert out.stdout == SCHEMA_FILE.read_text(encoding="utf-8")


def test_default_paths_include_instructor_dir(monkeypatch, tmp_path):
    """$GRADIENT_LAB_BANK_DIR adds an instructor directory after the built-in bank."""
    monkeypatch.setenv("GRADIENT_LAB_BANK_DIR", str(tmp_path))
    assert default_paths() == [BUILTIN_DIR, tmp_path]
    monkeypatch.delenv("GRADIENT_LAB_BANK_DIR")
    assert default_paths() == [BUILTIN_DIR]
