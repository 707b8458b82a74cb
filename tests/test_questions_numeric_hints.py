"""Numeric questions never show their key: not in the prompt, the accepted-forms examples or the placeholder."""

from __future__ import annotations

import pytest

from questions.hints import examples, forms_caption, leaks, near_key, numbers_in, placeholder
from questions.loader import BUILTIN_DIR, load_bank_text
from questions.schema import QUESTION_ADAPTER

NUMERIC = [q for path in sorted(BUILTIN_DIR.glob("*.yaml")) for q in load_bank_text(path.read_text("utf-8"),
                                                                                    path.name)[0]
           if q.type == "numeric"]


@pytest.mark.parametrize("question", NUMERIC, ids=lambda q: q.id)
def test_nothing_shown_before_answering_is_within_tolerance_of_the_key(question):
    """Prompt, forms caption and input placeholder show no number near the key (every bank file)."""
    assert leaks(question) == []


def test_examples_skip_a_candidate_that_is_the_key():
    """For a key of 3.7 the decimal example is not 3.7; for 3/8 the fraction example is not 3/8."""
    common = {"id": "q-num", "topic": "overview", "difficulty": "easy", "prompt": "p", "explanation": "e",
              "learn": ["overview"], "type": "numeric", "tolerance": 0.001, "accept": ["fraction"]}
    q = QUESTION_ADAPTER.validate_python({**common, "value": 3.7})
    assert examples(q)["decimal"] != "3.7" and "3.7" not in placeholder(q)
    q = QUESTION_ADAPTER.validate_python({**common, "value": 0.375})
    assert examples(q)["fraction"] != "3/8" and not any(near_key(q, x) for x in numbers_in(forms_caption(q)))


def test_numbers_are_read_in_every_notation():
    """'1/4', '25%', '$10^{-3}$' and '9.5 × 10⁻⁷' are read as the numbers a learner sees."""
    assert numbers_in("a quarter is 1/4 or 25%, and $10^{-3}$ or 9.5 × 10⁻⁷") == pytest.approx(
        [0.25, 0.25, 1e-3, 9.5e-7])
