"""The pure quiz run: clock per question, one grade per question, advancing, results and retry-missed."""

from __future__ import annotations

from questions.quiz import Grade
from questions.schema import QUESTION_ADAPTER
from questions.session import Answered, Run

COMMON = {"topic": "rnn", "difficulty": "easy", "prompt": "p", "explanation": "e", "learn": ["remedy-gating"],
          "type": "true_false", "answer": True}
QUESTIONS = {i: QUESTION_ADAPTER.validate_python({"id": i, **COMMON}) for i in ("q-a", "q-b", "q-c")}


def answered(score: float, seconds: float = 1.0) -> Answered:
    return Answered(True, "True", Grade(score, "m"), seconds)


def test_clock_starts_when_first_shown_and_resets_on_advance():
    """Elapsed time counts from the first display, survives reruns, and restarts for the next question."""
    run = Run(["q-a", "q-b"])
    run.show(100.0)
    run.show(105.0)  # a rerun does not restart the clock
    assert run.elapsed(112.5) == 12.5
    run.record(answered(1.0))
    run.advance()
    assert run.current_id == "q-b" and run.shown_at is None and run.elapsed(200.0) == 0.0


def test_cannot_skip_ahead_or_grade_twice():
    """advance() needs an answer first; a second record() of the same question is ignored."""
    run = Run(["q-a", "q-b"])
    run.advance()
    assert run.index == 0
    run.record(answered(0.0))
    run.record(answered(1.0))
    assert run.answers[0].grade.score == 0.0


def test_results_and_retry_missed_follow_quiz_order():
    """Results come in quiz order with topic and time; retry-missed keeps the order and the seed."""
    run = Run(["q-c", "q-a", "q-b"], seed=9)
    for score in (0.5, 1.0, 0.0):
        run.record(answered(score, seconds=2.0))
        run.advance()
    assert run.done
    results = run.results(QUESTIONS)
    assert [(r.question_id, r.score, r.topic, r.seconds) for r in results] == [
        ("q-c", 0.5, "rnn", 2.0), ("q-a", 1.0, "rnn", 2.0), ("q-b", 0.0, "rnn", 2.0)]
    retry = run.retry_missed(QUESTIONS)
    assert (retry.ids, retry.seed, retry.index, retry.answers) == (["q-c", "q-b"], 9, 0, {})


def test_questions_missing_from_the_bank_are_skipped_in_results():
    """If a bank changed under a run, unknown ids are left out instead of crashing."""
    run = Run(["gone"])
    run.record(answered(1.0))
    assert run.results(QUESTIONS) == []
