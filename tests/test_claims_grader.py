"""The claim grader on answers it was not written for: negation, echo, lists of terms, misconceptions, math,
synonyms, spelling, rival subjects and bonus claims, each shown by a minimal answer pair."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from questions.claims.grader import CONTRADICTED, EARNED, ECHO, MISSING, NEGATED, grade_claims
from questions.claims.pattern import PatternError, compile_pattern


def claim(text, match, weight=1.0, bonus=False, misconceptions=()):
    return SimpleNamespace(claim=text, match=list(match), weight=weight, bonus=bonus,
                           misconceptions=[SimpleNamespace(claim=m, match=list(p), weight=None)
                                           for m, p in misconceptions])


SIGMOID = claim("sigmoid's slope is at most 1/4", ["sigmoid + derivative + at most + 0.25"], 2,
                misconceptions=[("the sigmoid's slope can be 1", ["sigmoid + derivative + equal 1 | reach 1"])])
VANISH = claim("vanishing gradients are tiny", ["vanish + small | shrink"],
               misconceptions=[("vanishing gradients are huge", ["vanish + large | grow"])])
EXPLODE = claim("exploding gradients are huge", ["explode + large | grow"],
                misconceptions=[("exploding gradients are tiny", ["explode + small | shrink"])])
CLIP = claim("clipping cannot fix vanishing gradients", ["not: clip + fix + vanish"],
             misconceptions=[("clipping fixes vanishing gradients", ["clip + fix + vanish"])])
ZERO_CENTRED = claim("sigmoid outputs are not zero-centred", ["not: zeromean + output"], bonus=True)
RUBRIC = [SIGMOID, VANISH, EXPLODE, CLIP, ZERO_CENTRED]
PROMPT = "Why does the sigmoid cause vanishing gradients?"


def status(answer: str, which=SIGMOID, prompt: str = PROMPT) -> str:
    verdict = grade_claims(RUBRIC, answer, prompt)
    return next(c.status for c in verdict.claims if c.claim == which.claim)


@pytest.mark.parametrize("answer", [
    "The sigmoid's derivative is at most 0.25.",
    "σ'(x) = σ(x)(1 − σ(x)) ≤ 1/4",
    "The slope of the logistic function never gets above a quarter.",
    "sigmoid derivative: max 25%",
    "Um, so, the sigmoid's slope, you know, peaks at one fourth.",
])
def test_one_claim_in_words_math_percent_and_speech(answer):
    """Words, unicode math, percent and spoken fillers state the same claim."""
    assert status(answer) == EARNED


@pytest.mark.parametrize(("answer", "expected"), [
    ("The sigmoid's derivative is not at most 0.25.", NEGATED),
    ("It is false that... no: the sigmoid derivative never is at most 0.25", NEGATED),
    ("Clipping can't fix vanishing gradients.", EARNED),
    ("Clipping does not fix vanishing gradients; it only caps large ones.", EARNED),
])
def test_negation_flips_a_claim(answer, expected):
    """A claim inside a negation does not count; a 'not:' claim counts only when negated."""
    which = CLIP if "lipping" in answer else SIGMOID
    assert status(answer, which) == expected


def test_a_stated_misconception_costs_its_weight_and_is_named_with_the_sentence():
    """'Clipping fixes vanishing gradients' contradicts its claim, costs credit and is quoted."""
    verdict = grade_claims(RUBRIC, "The sigmoid's derivative is at most 0.25. Clipping fixes vanishing gradients.",
                           PROMPT)
    assert [(c.misconception, c.evidence) for c in verdict.contradictions] == [
        ("clipping fixes vanishing gradients", "Clipping fixes vanishing gradients.")]
    assert next(c.status for c in verdict.claims if c.claim == CLIP.claim) == CONTRADICTED
    assert verdict.score == pytest.approx((2 - 1) / 5)


def test_rival_subjects_keep_their_own_describing_words():
    """Swapped facts earn nothing and cost credit; the right pairing earns both claims."""
    swapped = grade_claims(RUBRIC, "Vanishing gradients are too large and exploding gradients are tiny.", PROMPT)
    right = grade_claims(RUBRIC, "Vanishing gradients are tiny and exploding gradients are too large.", PROMPT)
    assert {c.misconception for c in swapped.contradictions} == {"vanishing gradients are huge",
                                                                "exploding gradients are tiny"}
    assert {c.claim for c in right.earned} == {VANISH.claim, EXPLODE.claim} and right.contradictions == ()


def test_a_bare_list_of_terms_earns_nothing():
    """Terms from different items of a comma list never combine into a claim, however many are named."""
    salad = "Sigmoid, derivative, at most, 0.25, vanishing, tiny, exploding, huge, clipping, not zero-centred."
    assert grade_claims(RUBRIC, salad, PROMPT).score == 0


def test_a_listed_item_with_a_header_can_state_a_claim():
    """'Header: item, item, item' reads each item with its header, so a terse list can still state claims."""
    assert status("Sigmoid: derivative at most 0.25, saturates, not zero-centred") == EARNED


def test_words_copied_from_the_prompt_earn_nothing():
    """A claim made only of prompt words is an echo; the same claim with a new word counts."""
    echo_rubric = [claim("sigmoid causes vanishing", ["sigmoid + cause + vanish"]), SIGMOID]
    verdict = grade_claims(echo_rubric, "The sigmoid does cause vanishing gradients.", PROMPT)
    assert verdict.claims[0].status == ECHO and verdict.score == 0


@pytest.mark.parametrize(("answer", "pattern"), [
    ("Use Glorot initialization for tanh.", "xavier + tanh"),
    ("He init suits ReLU nets.", "kaiming + relu"),
    ("The gradient flows back through the shortcut.", "skip + gradient"),
    ("Normalise the activations with batch statistics.", "normalize + batch"),
    ("Gradients wane as they travel through the identity path.", "skip + gradient"),
    ("Var(w) = 2/fan_in for ReLU", "variance + 2 + over + fanin"),
    ("2 divided by the sum of fan-in and fan-out", "2 + over + fanin + fanout"),
    ("dx_{l+1}/dx_l = I + dF/dx_l", "identity plus + derivative"),
    ("clip when ‖g‖ > c", "clip + gradient norm + exceed"),
    ("Sigmoid saturation kills the gradint in deep nets.", "saturate + gradient"),
])
def test_synonyms_math_and_spelling_are_normalized(answer, pattern):
    """Glorot=Xavier, He=Kaiming, shortcut=skip, normalise=normalize, math forms and a typo all match."""
    verdict = grade_claims([claim("c", [pattern])], answer)
    assert verdict.claims[0].status == EARNED, answer


def test_the_pronoun_he_is_not_kaiming_he():
    """'He' at the start of a sentence is a pronoun unless followed by init/initialization."""
    assert grade_claims([claim("c", ["kaiming + relu"])], "He said ReLU works.").claims[0].status == MISSING


def test_a_range_is_not_a_fraction():
    """'layers 1-4' is two numbers, never 1/4."""
    assert status("The sigmoid derivative is at most layers 1-4") == MISSING


def test_bonus_claims_add_credit_but_are_never_required():
    """The core claims alone give full credit; the bonus alone gives its share of the core weight."""
    core = ("The sigmoid's derivative is at most 0.25. Vanishing gradients are tiny, exploding ones are huge. "
            "Clipping cannot fix vanishing gradients.")
    assert grade_claims(RUBRIC, core, PROMPT).score == 1.0
    assert grade_claims(RUBRIC, "Sigmoid outputs are not zero-centred.", PROMPT).score == pytest.approx(1 / 5)


@pytest.mark.parametrize(("pattern", "needle"), [
    ("clip", "at least two terms"),
    ("clip + not fix", "write 'not:'"),
    ("clip + | norm", "empty alternative"),
    ("clip + ~fast", "'~' goes before a number"),
])
def test_bad_patterns_are_refused_with_a_reason(pattern, needle):
    """A keyword, a negation inside a term, an empty alternative or '~' before a word are authoring errors."""
    with pytest.raises(PatternError, match=needle.replace("(", r"\(")):
        compile_pattern(pattern)
