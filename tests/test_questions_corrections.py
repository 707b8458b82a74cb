"""The question bank agrees with the corrected Learn pages (issue 13's review): the slips it found stay gone."""

from __future__ import annotations

import re

import pytest

from questions import load_bank_text
from questions.loader import BUILTIN_DIR

BANK_FILES = sorted(BUILTIN_DIR.glob("*.yaml"))

# A dead ReLU revives when upstream updates move its inputs (dead for good only in the first layer or behind frozen
# layers); LSTMs mitigate vanishing while the forget gate stays near 1; sequence length is the number of factors,
# not a factor above 1; anomaly mode checks the backward pass only.
SLIPS = {
    "a dead unit never recovers": r"(never|cannot|can't|can not) (recover|come back)",
    "LSTMs solve or fix vanishing": r"(lstms?|gating|gates?)\W+(\w+\W+){0,3}(solves?|fix(es)?|cures?) vanishing",
    "a long sequence as a factor above 1": r"large weights,? or (in )?rnns? over long sequences",
    "anomaly mode finds the first NaN": r"detect_anomaly\W+(\w+\W+){0,3}(find|locate|catch)\w* the first nan",
}
OLD_WORDING = {
    "a dead unit never recovers": "it outputs 0, gets zero gradient and cannot recover",
    "LSTMs solve or fix vanishing": '"if lstms solve vanishing gradients, why do people still clip?"',
    "a long sequence as a factor above 1": "for example with large weights or in rnns over long sequences",
    "anomaly mode finds the first NaN": "use `torch.autograd.detect_anomaly()` to find the first nan.",
}


def asserted_texts(question) -> list[str]:
    """What the bank states as true: prompt, explanation, keys, model answer, rubric claims (no distractors,
    no misconceptions, no false true/false statement)."""
    texts = [question.explanation]
    if question.type != "true_false" or question.answer:
        texts.append(question.prompt)
    if question.type in ("single_choice", "predict"):
        texts.append(question.options[question.answer])
    if question.type == "multiple_choice":
        texts += [question.options[i] for i in question.answers]
    if question.type == "free_response":
        texts += [question.model_answer, *(claim.claim for claim in question.rubric)]
    return [" ".join(text.lower().split()) for text in texts]  # a wrapped sentence is still one sentence


@pytest.mark.parametrize("path", BANK_FILES, ids=lambda p: p.name)
def test_bank_file_repeats_none_of_the_reviewed_slips(path):
    """No prompt, key, explanation, model answer or rubric claim in this bank file states a corrected slip."""
    questions, _ = load_bank_text(path.read_text(encoding="utf-8"), path.name)
    found = [(q.id, name) for q in questions for text in asserted_texts(q)
             for name, pattern in SLIPS.items() if re.search(pattern, text)]
    assert found == []


@pytest.mark.parametrize("name", sorted(SLIPS))
def test_each_slip_pattern_catches_the_old_wording(name):
    """Each pattern matches the sentence the review found, so a clean bank is not a pattern that never fires."""
    assert re.search(SLIPS[name], OLD_WORDING[name])
