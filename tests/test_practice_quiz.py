"""AppTest of the practice quiz page: a whole seeded quiz taken end to end, the URL presets, retry missed."""

from __future__ import annotations

import pytest

from questions import load_banks
from questions.loader import BUILTIN_DIR
from questions.quiz import option_order
from tests.conftest import app_test

PAGE = "explainer/pages/quiz.py"
BANK = load_banks([BUILTIN_DIR]).by_id
# Topics clipping + weight_decay, 7 questions, seed 19: one question of every type, in this order.
EXPECTED = ["clip-where-in-loop", "clip-norm-arithmetic", "wd-true-statements", "wd-explain-free",
            "clip-not-for-vanishing", "wd-predict-norm", "wd-l2-gradient"]


def start(at, topics, count, seed):
    at.multiselect(key="quiz_topics").set_value(topics)
    at.number_input(key="quiz_count").set_value(count)
    at.number_input(key="quiz_seed").set_value(seed)
    return at.button(key="quiz_start").click().run()


def current_prompt(at) -> str:
    return at.markdown[0].value


def answer(at, i: int, qid: str) -> None:
    """The answer plan: right, right, partial, partial, wrong, skipped, right."""
    q = BANK[qid]
    key = f"quiz_q{i}"
    if qid == "clip-where-in-loop":
        at.radio(key=f"{key}_choice").set_value(q.answer)
    elif qid == "clip-norm-arithmetic":
        at.text_input(key=f"{key}_number").input("3/5")
    elif qid == "wd-true-statements":  # key: options 0, 1, 3 of 5; pick 0, 1, 3 and the wrong 4
        for j in (0, 1, 3, 4):
            at.checkbox(key=f"{key}_opt{j}").check()
    elif qid == "wd-explain-free":  # claims: L2 shrinks weights (2), only indirect (2), AdamW direct (2) of 8
        at.text_area(key=f"{key}_text").input("L2 shrinks the weights, which only indirectly helps. AdamW applies the "
                                               "decay directly to the weights.")
    elif qid == "clip-not-for-vanishing":
        at.radio(key=f"{key}_tf").set_value(True)
    elif qid == "wd-predict-norm":
        at.button(key=f"{key}_skip").click().run()
        return
    else:
        at.radio(key=f"{key}_choice").set_value(q.answer)
    at.button(key=f"{key}_check").click().run()


def test_full_quiz_with_a_seed_gives_the_exact_score():
    """Seed 19 gives the expected 7 questions; the planned answers score exactly 4.25 / 7 with the right
    per-answer feedback, and the summary shows the chart, the per-topic table and every mistake."""
    at = start(app_test(PAGE), ["clipping", "weight_decay"], 7, 19)
    scores = []
    for i, qid in enumerate(EXPECTED):
        assert not at.exception, [e.value for e in at.exception]
        assert current_prompt(at) == BANK[qid].prompt, f"question {i + 1} should be {qid}"
        answer(at, i, qid)
        assert not at.exception, [e.value for e in at.exception]
        verdicts = [*at.success, *at.warning, *at.error]
        assert len(verdicts) == 1
        scores.append(type(verdicts[0]).__name__)
        assert any(m.value == "**Why**" for m in at.markdown)
        at.button(key=f"quiz_next_{i}").click().run()
    assert scores == ["Success", "Success", "Warning", "Warning", "Error", "Error", "Success"]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Score"] == "4.25 / 7"
    assert metrics["Fully correct"] == "3 of 7"
    charts = at.get("vega_lite_chart")
    assert len(charts) == 1, "per-topic Altair chart missing"
    assert '"Gradient clipping"' in charts[0].proto.spec or "Gradient clipping" in str(charts[0].proto)
    topics = at.dataframe[0].value
    assert dict(zip(topics["topic"], topics["score"], strict=True)) == {
        "Gradient clipping": 2.0, "L2 weight regularization": 2.25}
    assert at.button(key="quiz_retry").label == "Retry missed (4)"
    review = [s.value for s in at.subheader]
    assert "Review: 4 to revisit" in review


def test_retry_missed_serves_only_the_missed_questions():
    """After a quiz with mistakes, "Retry missed" starts a quiz of exactly those questions, in order."""
    at = start(app_test(PAGE), ["clipping", "weight_decay"], 7, 19)
    for i, qid in enumerate(EXPECTED):
        answer(at, i, qid)
        at.button(key=f"quiz_next_{i}").click().run()
    at.button(key="quiz_retry").click().run()
    assert current_prompt(at) == BANK["wd-true-statements"].prompt
    assert "Question 1 of 4" in at.get("progress")[0].proto.text


def test_invalid_numeric_answer_is_not_graded():
    """Text that is not a number shows the accepted forms and leaves the question unanswered."""
    at = start(app_test(PAGE), ["clipping", "weight_decay"], 7, 19)
    answer(at, 0, EXPECTED[0])
    at.button(key="quiz_next_0").click().run()
    at.text_input(key="quiz_q1_number").input("zero point six")
    at.button(key="quiz_q1_check").click().run()
    assert "not a number" in at.warning[0].value
    assert at.button(key="quiz_q1_check")  # the form is still there
    assert not any(b.key == "quiz_next_1" for b in at.button)


def test_empty_choice_is_not_graded():
    """Checking without picking an option asks for an answer instead of grading it as wrong."""
    at = start(app_test(PAGE), ["clipping", "weight_decay"], 7, 19)
    at.button(key="quiz_q0_check").click().run()
    assert "Give an answer first" in at.warning[0].value
    assert not at.error


@pytest.mark.parametrize(
    ("query", "topics", "count", "seed"),
    [
        ({"topic": "vanishing"}, ["vanishing"], 10, None),
        ({"topic": "rnn,clipping"}, ["rnn", "clipping"], 10, None),
        ({"topic": ["rnn", "clipping"], "n": "5", "seed": "7"}, ["rnn", "clipping"], 5, 7),
    ],
)
def test_url_preselects_topics_length_and_seed(query, topics, count, seed):
    """?topic= (repeated or comma-separated), ?n= and ?seed= preset the setup form."""
    at = app_test(PAGE, query=query)
    assert not at.exception
    assert at.multiselect(key="quiz_topics").value == topics
    assert at.number_input(key="quiz_count").value == count
    if seed is not None:
        assert at.number_input(key="quiz_seed").value == seed


def test_bad_url_values_are_ignored_with_a_notice():
    """Unknown topics and out-of-range numbers in the URL are reported and not applied."""
    at = app_test(PAGE, query={"topic": "vanishing,<b>x</b>", "n": "999", "seed": "abc"})
    assert not at.exception
    assert at.multiselect(key="quiz_topics").value == ["vanishing"]
    notice = at.info[0].value
    assert "topic=" in notice and "n='999'" in notice and "seed='abc'" in notice


INSTRUCTOR_Q = """\
questions:
  - id: instructor-only
    type: true_false
    topic: overview
    difficulty: hard
    prompt: INSTRUCTOR QUESTION
    explanation: x
    learn: [overview]
    answer: true
"""


def test_bank_errors_are_listed_and_valid_banks_still_served(tmp_path, monkeypatch):
    """A broken instructor file shows located errors in an expander; its valid sibling file and an uploaded bank
    are served alongside the built-in bank."""
    (tmp_path / "good.yaml").write_text(INSTRUCTOR_Q, encoding="utf-8")
    (tmp_path / "bad.yaml").write_text("questions:\n  - id: broken\n    type: true_false\n    answer: maybe\n",
                                       encoding="utf-8")
    uploaded = INSTRUCTOR_Q.replace("instructor-only", "uploaded-only").replace("INSTRUCTOR", "UPLOADED")
    monkeypatch.setenv("GRADIENT_LAB_BANK_DIR", str(tmp_path))
    monkeypatch.setattr("explainer.views.progress.tracking.extra_bank_sources", lambda: [("upload:week1", uploaded)])
    at = app_test(PAGE, query={"topic": "overview", "difficulty": "hard", "n": "10", "seed": "3"})
    assert not at.exception, [e.value for e in at.exception]
    assert at.expander[0].label.startswith("6 question-bank problems")
    errors = at.code[0].value.splitlines()
    assert len(errors) == 6 and all("bad.yaml:" in e and "question 'broken'" in e for e in errors)
    at.button(key="quiz_start").click().run()
    prompts = set()
    for i in range(3):  # ov-layer-jacobian + the two extra questions
        prompts.add(current_prompt(at))
        at.button(key=f"quiz_q{i}_skip").click().run()
        at.button(key=f"quiz_next_{i}").click().run()
    assert {"INSTRUCTOR QUESTION", "UPLOADED QUESTION", BANK["ov-layer-jacobian"].prompt} == prompts


def test_following_a_topic_link_mid_quiz_offers_a_new_quiz():
    """With a quiz in progress, a link for other topics offers to start over instead of silently ignoring it."""
    at = start(app_test(PAGE, query={"topic": "clipping"}), ["clipping", "weight_decay"], 7, 19)
    at.query_params["topic"] = "rnn"
    at.run()
    assert "quiz in progress" in at.info[0].value
    at.button(key="quiz_abandon").click().run()
    assert at.multiselect(key="quiz_topics").value == ["rnn"]


def test_every_graded_answer_is_recorded_once(monkeypatch):
    """Each checked or skipped answer reaches tracking.save_answer once, with its topic, text, score and time."""
    calls = []
    monkeypatch.setattr("explainer.views.progress.tracking.save_answer", lambda *args: calls.append(args))
    at = start(app_test(PAGE), ["clipping", "weight_decay"], 7, 19)
    for i, qid in enumerate(EXPECTED[:3]):
        answer(at, i, qid)
        at.run()  # a rerun must not record the same answer again
        at.button(key=f"quiz_next_{i}").click().run()
    assert [(c[0], c[1], c[2], c[3]) for c in calls] == [
        ("clip-where-in-loop", "clipping", BANK["clip-where-in-loop"].options[BANK["clip-where-in-loop"].answer], 1.0),
        ("clip-norm-arithmetic", "clipping", "3/5", 1.0),
        ("wd-true-statements", "weight_decay", "; ".join(BANK["wd-true-statements"].options[j] for j in (0, 1, 3, 4)),
         0.5),
    ]
    assert all(isinstance(c[4], float) and c[4] >= 0 for c in calls)


def test_free_answer_is_saved_on_next_with_the_learners_own_rating(monkeypatch):
    """A free answer shows the self-rating beside the automatic suggestion; it is saved once, when the learner
    moves on, with the automatic score and their rating (3 = Good), however often the page reruns."""
    calls = []
    monkeypatch.setattr("explainer.views.progress.tracking.save_answer", lambda *args: calls.append(args))
    at = start(app_test(PAGE), ["clipping", "weight_decay"], 7, 19)
    for i, qid in enumerate(EXPECTED[:4]):
        answer(at, i, qid)
        if qid == "wd-explain-free":
            assert any("Suggested by the automatic grade" in c.value for c in at.caption)
            at.segmented_control(key=f"quiz_q{i}_self_rating").set_value(3).run()
            at.run()
            assert [c[0] for c in calls].count(qid) == 0, "saved before the learner moved on"
        at.button(key=f"quiz_next_{i}").click().run()
    free = [c for c in calls if c[0] == "wd-explain-free"]
    assert len(free) == 1 and free[0][3] == 0.75 and free[0][5] == 3


def test_choice_options_are_shown_shuffled_and_graded_by_identity():
    """The radio lists the options in the seeded shuffled order (not the authored one), and picking the key
    by its identity is still graded correct."""
    at = start(app_test(PAGE), ["clipping", "weight_decay"], 7, 19)
    q = BANK[EXPECTED[0]]
    radio = at.radio(key="quiz_q0_choice")
    shown = list(radio.options)
    assert shown == [q.options[i] for i in option_order(q, "19:quiz_q0")]
    assert shown != list(q.options)
    radio.set_value(q.answer)
    at.button(key="quiz_q0_check").click().run()
    assert at.success and not at.exception
