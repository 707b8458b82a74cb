"""Recording answers: atomic, idempotent, each one updating its fsrs card; due cards in order. Both backends."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from explainer.progress import srs
from explainer.store import attempts, learners
from explainer.store.attempts import AttemptIn
from explainer.store.tables import Attempt, ReviewCard

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _count(engine, model) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(model))


def test_attempt_and_card_are_stored(engine):
    """One answer writes one attempt row (all fields round-trip) and one review card."""
    me, _ = learners.create_learner(engine)
    assert attempts.record_attempt(engine, me.id, AttemptIn("vg-1", "vanishing", "σ'(0)=¼ ✓", 0.75, 12.5, T0))
    h = attempts.history(engine, me.id)
    assert h.loc[0, ["question_id", "topic", "answer", "score", "seconds"]].tolist() == [
        "vg-1", "vanishing", "σ'(0)=¼ ✓", 0.75, 12.5]
    assert h.loc[0, "answered_at"] == T0
    assert _count(engine, ReviewCard) == 1


def test_card_due_date_follows_the_fsrs_scheduler(engine):
    """After a sequence of answers the stored card equals fsrs's own Scheduler run on the same ratings."""
    me, _ = learners.create_learner(engine)
    answers = [(0.0, T0), (1.0, T0 + timedelta(minutes=2)), (0.9, T0 + timedelta(minutes=15)),
               (0.6, T0 + timedelta(days=3))]
    reference = srs.new_card("ex-3", T0)
    for i, (score, when) in enumerate(answers):
        attempts.record_attempt(engine, me.id, AttemptIn("ex-3", "exploding", str(i), score, 40.0, when))
        reference, _ = srs.SCHEDULER.review_card(reference, srs.rating_for(score, 40.0), review_datetime=when,
                                                 review_duration=40_000)
    stored = srs.card_from_json(attempts.card_json(engine, me.id, "ex-3"))
    assert stored.due == reference.due
    assert (stored.state, stored.stability, stored.difficulty) == (reference.state, reference.stability,
                                                                   reference.difficulty)


def test_same_uid_is_recorded_once(engine):
    """A retried write (same uid, e.g. after an outage) neither duplicates the attempt nor reviews the card twice."""
    me, _ = learners.create_learner(engine)
    a = AttemptIn("q", "rnn", "x", 1.0, 30, T0)
    assert attempts.record_attempt(engine, me.id, a) is True
    assert attempts.record_attempt(engine, me.id, a) is False
    assert _count(engine, Attempt) == 1
    with engine.connect() as conn:
        assert conn.scalar(select(ReviewCard.reviews)) == 1


def test_failed_card_update_leaves_no_attempt(engine, monkeypatch):
    """Atomicity: if updating the card fails, the attempt is not recorded either."""
    me, _ = learners.create_learner(engine)

    def boom(*_a, **_k):
        raise RuntimeError("scheduler exploded")

    monkeypatch.setattr(srs, "review", boom)
    with pytest.raises(RuntimeError):
        attempts.record_attempt(engine, me.id, AttemptIn("q", "rnn", "x", 1.0, 3, T0))
    assert _count(engine, Attempt) == 0
    assert _count(engine, ReviewCard) == 0


def test_missed_question_is_due_first_and_soon(engine):
    """A wrong answer is due after fsrs's first learning step (1 min), before a right one; oldest due first."""
    me, _ = learners.create_learner(engine)
    attempts.record_attempt(engine, me.id, AttemptIn("right", "clipping", "a", 1.0, 60, T0))
    attempts.record_attempt(engine, me.id, AttemptIn("wrong", "clipping", "b", 0.0, 60, T0))
    assert attempts.due_cards(engine, me.id, now=T0) == []
    due = attempts.due_cards(engine, me.id, now=T0 + timedelta(minutes=1))
    assert [c.question_id for c in due] == ["wrong"]
    assert due[0].due == T0 + srs.SCHEDULER.learning_steps[0] and due[0].lapses == 1
    later = attempts.due_cards(engine, me.id, now=T0 + timedelta(minutes=30))
    assert [c.question_id for c in later] == ["wrong", "right"]
    assert attempts.next_due(engine, me.id, now=T0) == T0 + timedelta(minutes=1)


def test_concurrent_answers_are_all_recorded(engine):
    """Eight learners answering at once (threads, one write each per step) lose nothing and raise nothing."""
    people = [learners.create_learner(engine)[0] for _ in range(8)]
    errors: list[BaseException] = []

    def answer(person):
        try:
            for i in range(10):
                attempts.record_attempt(engine, person.id, AttemptIn(f"q{i % 3}", "diagnosis", "x", i % 2, 5, T0))
        except BaseException as e:  # noqa: BLE001 (asserted below)
            errors.append(e)

    threads = [threading.Thread(target=answer, args=(p,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors
    assert _count(engine, Attempt) == 80
    assert _count(engine, ReviewCard) == 24


def test_invalid_attempts_are_refused():
    """Scores outside [0, 1], negative times and empty ids are refused before touching the database."""
    for bad in (dict(score=1.5), dict(score=-0.1), dict(seconds=-1.0), dict(question_id="")):
        fields = {"question_id": "q", "topic": "rnn", "answer": "", "score": 0.5, "seconds": 1.0} | bad
        with pytest.raises(ValueError):
            AttemptIn(**fields)
