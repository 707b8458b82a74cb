"""The free-response grader against its calibration corpus: every question covered, both rates >= 90 %."""

from __future__ import annotations

import subprocess
import sys

import pytest

from questions.calibrate import CORPUS_DIR, HOLDOUT_DIR, KINDS, STYLES, load_corpus, rates, report, score_corpus
from questions.loader import BUILTIN_DIR, load_bank_text, load_banks
from tests.conftest import ROOT

BANK = load_banks([BUILTIN_DIR])
CORPUS = load_corpus(CORPUS_DIR)
FREE = [q for path in sorted(BUILTIN_DIR.glob("*.yaml")) for q in load_bank_text(path.read_text("utf-8"), path.name)[0]
        if q.type == "free_response"]


@pytest.mark.parametrize("question", FREE, ids=lambda q: q.id)
def test_every_free_response_question_has_a_calibration_file(question):
    """At least 4 good answers in the four styles and 5 bad ones of the five kinds, for every bank file."""
    entry = CORPUS.get(question.id)
    assert entry is not None, f"add questions/calibration/{question.id}.yaml"
    assert len(entry.good) >= 4 and {a.style for a in entry.good} == set(STYLES)
    assert len(entry.bad) >= 5 and {a.kind for a in entry.bad} == set(KINDS)


def test_corpus_files_name_existing_questions():
    """No calibration file is left behind for a question that was removed or renamed (held-out ones too)."""
    ids = set(BANK.by_id)
    assert set(CORPUS) <= ids and set(load_corpus(HOLDOUT_DIR)) <= ids


def test_good_answers_pass_and_bad_answers_fail_at_least_90_percent():
    """Overall, >= 90 % of good answers score >= 0.6 and >= 90 % of bad answers score < 0.5."""
    rows = score_corpus(CORPUS, BANK.by_id)
    good, n_good, bad, n_bad = rates(rows)
    failures = "\n".join(report(rows, "misgraded", verbose=True))
    assert good / n_good >= 0.9 and bad / n_bad >= 0.9, failures


def test_calibrate_command_prints_per_question_and_overall():
    """`python -m questions calibrate` prints a line per question and the overall shares, main and held out."""
    out = subprocess.run([sys.executable, "-m", "questions", "calibrate"], cwd=ROOT, capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.count("overall") == 2 and "Held-out answers" in out.stdout
    assert all(f"\n{q.id} " in out.stdout for q in FREE if q.id in CORPUS)
