"""Grading per question type, with the edge cases: empty answers, partial credit, number forms, claim scoring."""

from __future__ import annotations

import pytest

from questions.normalize import parse_number
from questions.quiz import FULL_CREDIT, answer_text, check_numeric, full_credit, grade, key_text
from questions.schema import QUESTION_ADAPTER

COMMON = {"topic": "clipping", "difficulty": "easy", "prompt": "p", "explanation": "e", "learn": ["remedy-clipping"]}


def make(**fields):
    return QUESTION_ADAPTER.validate_python({"id": "q-test", **COMMON, **fields})


SINGLE = make(type="single_choice", options=["a", "b", "c"], answer=1)
MULTI = make(type="multiple_choice", options=["a", "b", "c", "d", "e"], answers=[0, 2])
TF = make(type="true_false", answer=False)
QUARTER = make(type="numeric", value=0.25, tolerance=0.001, accept=["fraction", "percent", "scientific"])
FREE = make(type="free_response", model_answer="m", time_limit_s=60, rubric=[
    {"claim": "clip the gradient norm", "weight": 2, "match": ["clip + norm | threshold"],
     "misconceptions": [{"claim": "remove clipping", "match": ["not: clip + use | keep"]}]},
    {"claim": "lower the learning rate", "match": ["decrease + lr"],
     "misconceptions": [{"claim": "raise the learning rate", "match": ["increase + lr"]}]},
    {"claim": "non-saturating activations", "match": ["not: saturate + activation"]},
    {"claim": "log the gradient norm", "bonus": True, "match": ["log | monitor + norm"]},
])
PREDICT = make(type="predict", preset={"page": "lab-clipping", "params": {"clip": "norm", "max_norm": 1.0}},
               options=["x", "y"], answer=0)


def test_single_choice_right_wrong_and_blank():
    """Only the key scores 1; a wrong pick and no pick score 0 and name the right option."""
    assert grade(SINGLE, 1).score == 1 and grade(SINGLE, 1).correct
    wrong = grade(SINGLE, 0)
    assert wrong.score == 0 and not wrong.correct and "b" in wrong.message
    assert grade(SINGLE, None).score == 0


def test_predict_is_graded_like_single_choice_and_links_its_experiment():
    """A predict question grades by its option index; its preset becomes the lab URL with the parameters."""
    assert grade(PREDICT, 0).correct and not grade(PREDICT, 1).correct
    assert PREDICT.preset.url == "/lab-clipping?clip=norm&max_norm=1"


@pytest.mark.parametrize(
    ("picked", "score"),
    [
        ({0, 2}, 1.0),  # exactly right
        ({0}, 0.5),  # half the correct options, no wrong pick
        ({0, 2, 1}, 1 - 1 / 3),  # all correct, one of three wrong options
        ({0, 1}, 0.5 - 1 / 3),  # one right, one wrong
        ({0, 1, 3}, 0.0),  # 0.5 - 2/3 < 0: floored
        ({0, 1, 2, 3, 4}, 0.0),  # select-all scores nothing
        (set(), 0.0),  # nothing picked
        ({1, 3, 4}, 0.0),  # only wrong picks
    ],
)
def test_multiple_choice_partial_credit_formula(picked, score):
    """score = max(0, right/n_right - wrong/n_wrong): partial credit, penalty for wrong picks, floored at 0."""
    g = grade(MULTI, picked)
    assert g.score == pytest.approx(score)
    assert g.correct == (score == 1.0)
    if 0 < score < 1:
        assert "max(0," in g.message


def test_multiple_choice_with_every_option_correct_has_no_penalty():
    """When every option is correct there are no wrong picks to penalize; each pick earns its share."""
    q = make(type="multiple_choice", options=["a", "b"], answers=[0, 1])
    assert grade(q, [0]).score == 0.5 and grade(q, [0, 1]).correct


def test_true_false():
    """The boolean key scores 1, the other value and no answer score 0."""
    assert grade(TF, False).correct
    assert grade(TF, True).score == 0 and "False" in grade(TF, True).message
    assert grade(TF, None).score == 0


@pytest.mark.parametrize("text", ["0.25", ".25", "1/4", "25%", "25 %", "2.5e-1", "2.5E-1", "0.2505", "≈0.25", " 1 /4 "])
def test_numeric_accepts_equivalent_forms(text):
    """Decimal, fraction, percent and scientific forms of 1/4 (within tolerance) are all correct."""
    assert grade(QUARTER, text).correct, text


@pytest.mark.parametrize("text", ["0.26", "-0.25", "1/3", "2.5", "26%"])
def test_numeric_outside_tolerance_is_wrong(text):
    """Values outside the tolerance score 0 and the message states the key with its tolerance."""
    g = grade(QUARTER, text)
    assert g.score == 0 and "0.25 (± 0.001)" in g.message


def test_numeric_forms_not_accepted_by_the_question_are_explained():
    """A percent answer to a question that does not accept percent is refused with the accepted forms."""
    q = make(type="numeric", value=0.25, tolerance=0, accept=["fraction"])
    assert check_numeric(q, "25%") == "this question does not take the percent form; write it as: decimal, fraction"
    assert grade(q, "25%").score == 0
    assert grade(q, "1/4").correct


@pytest.mark.parametrize("text", ["", "   ", "abc", "1/0", "1e", "--1", "0,25", "1" * 100])
def test_numeric_garbage_is_a_message_not_an_exception(text):
    """Unreadable numeric answers score 0 with a reason; check_numeric reports why before grading."""
    g = grade(QUARTER, text)
    assert g.score == 0 and g.message
    assert check_numeric(QUARTER, text)


def test_numeric_relative_tolerance_and_scientific_notation():
    """A relative tolerance scales with |value|; "9.5e-7", "9.54×10^-7" and "1/1048576" all match 0.25**10."""
    q = make(type="numeric", value=0.25**10, tolerance=0.01, relative=True, accept=["scientific", "fraction"])
    for text in ["9.5e-7", "9.54×10^-7", "9.54 x 10^{-7}", "9.537*10**-7", "1/1048576"]:
        assert grade(q, text).correct, text
    assert not grade(q, "9.0e-7").correct
    assert "± 1%" in key_text(q)


def test_numeric_exact_key_with_zero_tolerance_and_unit():
    """Zero tolerance still accepts the exact value in another form; a trailing unit is ignored."""
    q = make(type="numeric", value=1024, tolerance=0, unit="paths", accept=["scientific"])
    assert grade(q, "1024").correct and grade(q, "1024 paths").correct and grade(q, "1.024e3").correct
    assert not grade(q, "1023").correct
    assert key_text(q) == "1024 paths"


@pytest.mark.parametrize(
    ("answer", "hits", "score"),
    [
        ("You should CLIP the gradient norm and lower the LR.", ("clip the gradient norm", "lower the learning rate"),
         0.75),
        ("Clip the norm at a threshold; use non-saturating activations; lower the learning rate.",
         ("clip the gradient norm", "lower the learning rate", "non-saturating activations"), 1.0),
        ("", (), 0.0),
        ("eclipse norm", (), 0.0),  # whole words only: "clip" is not found inside "eclipse"
    ],
)
def test_free_response_claims_earned(answer, hits, score):
    """The score is the weight of the claims stated over the core weight; hits and misses name the claims."""
    g = grade(FREE, answer)
    assert g.hits == hits
    assert set(g.misses) == {c.claim for c in FREE.rubric} - set(hits)
    assert g.score == pytest.approx(score)
    assert f"Stated {len(hits)} of 3 key claims" in g.message


def test_free_response_misconception_costs_credit_and_is_named():
    """A stated misconception makes its claim unearned, costs its weight, and is named with the sentence."""
    g = grade(FREE, "Clip the gradient norm. Raise the learning rate so training is faster.")
    assert g.score == pytest.approx((2 - 1) / 4)
    assert [(c.misconception, c.evidence) for c in g.contradictions] == [
        ("raise the learning rate", "Raise the learning rate so training is faster.")]
    assert "1 contradiction" in g.message


def test_free_response_evidence_quotes_the_learners_sentence():
    """Each earned claim carries the learner's own sentence that earned it."""
    g = grade(FREE, "First sentence about nothing. We clip the norm at a threshold!")
    evidence = {c.claim: c.evidence for c in g.claims}
    assert evidence["clip the gradient norm"] == "We clip the norm at a threshold!"


def test_free_response_bonus_never_blocks_full_credit():
    """The core claims alone give full credit; a bonus adds credit only up to the cap of 1."""
    core = "Clip the gradient norm. Lower the learning rate. Use activations that do not saturate."
    assert grade(FREE, core).correct
    assert grade(FREE, core + " Also monitor the norm.").score == 1.0
    assert grade(FREE, "Lower the learning rate. Monitor the gradient norm.").score == pytest.approx(2 / 4)


def test_full_credit_is_one_predicate():
    """Full credit is `score >= FULL_CREDIT` everywhere: a sum of weights a hair below 1 still counts."""
    assert full_credit(1.0) and full_credit(1 - 1e-12) and not full_credit(0.999)
    assert FULL_CREDIT < 1


@pytest.mark.parametrize(("text", "value"), [("1 × 10⁻³", 1e-3), ("1,024", 1024), ("2^10", 1024), ("= 0.25", 0.25),
                                             ("2**-2", 0.25), ("33,000", 33000)])
def test_parse_number_reads_what_people_type(text, value):
    """Superscript exponents, thousands separators, powers of any base and a leading '=' are read."""
    assert parse_number(text) == pytest.approx(value)


def test_percent_unit_accepts_percent_spellings():
    """With unit '%', '12.5', '12.5%', '12.5 %' and '12.5 percent' are the same answer."""
    q = make(type="numeric", value=12.5, tolerance=0.05, unit="%", accept=["fraction"])
    for text in ["12.5", "12.5%", "12.5 %", "12.5 percent", "12.5 per cent"]:
        assert grade(q, text).correct, text


def test_parse_number_forms():
    """The number parser reads each documented form and refuses division by zero and huge exponents."""
    assert parse_number("3/8") == 0.375
    assert parse_number("12.5%") == 0.125
    assert parse_number("10^-3") == pytest.approx(1e-3)
    assert parse_number("−2") == -2  # Unicode minus
    with pytest.raises(ValueError, match="division by zero"):
        parse_number("1/0")
    with pytest.raises(ValueError, match="exponent"):
        parse_number("1e999")


def test_answer_and_key_text_per_type():
    """Answers and keys render as plain text for the store and the mistake review."""
    assert answer_text(SINGLE, 2) == "c" and key_text(SINGLE) == "b"
    assert answer_text(MULTI, {2, 0}) == "a; c" and key_text(MULTI) == "a; c"
    assert answer_text(TF, True) == "True" and key_text(TF) == "False"
    assert answer_text(QUARTER, "1/4") == "1/4" and key_text(QUARTER) == "0.25 (± 0.001)"
    assert answer_text(FREE, None) == "(no answer)" and key_text(FREE) == "m"
