"""Crash test: SIGKILL the server in the middle of a quiz; after a restart every answered question is
recorded, no half-written answer exists, and the database passes its integrity check. Both backends."""

from __future__ import annotations

import contextlib
import os
import signal
import threading

from sqlalchemy import func, select, text

from bench.agent import Session
from bench.server import running_app, start_app
from explainer.store.config import make_engine
from explainer.store.tables import Attempt, ReviewCard
from tests.replicas import answer_quiz_question, start_quiz

ANSWERED = 4


def _env(store_url: str) -> dict:
    if store_url.startswith("sqlite"):
        return {"GRADIENT_LAB_DB": store_url.removeprefix("sqlite:///"), "DATABASE_URL": ""}
    return {"DATABASE_URL": store_url}


def _counts(engine) -> tuple[int, int, int]:
    with engine.connect() as conn:
        n_attempts = conn.scalar(select(func.count()).select_from(Attempt))
        n_reviews = conn.scalar(select(func.coalesce(func.sum(ReviewCard.reviews), 0)))
        n_learners = conn.scalar(select(func.count(func.distinct(Attempt.learner_id))))
    return n_attempts, n_reviews, n_learners


def test_sigkill_mid_quiz_loses_no_answer(store_url, tmp_path):
    """Four answers acknowledged, a fifth in flight when the server gets SIGKILL: after restart the four
    (or five) are there, each with its card update (attempts == card reviews), integrity check clean,
    and the restarted app serves the quiz again."""
    env = _env(store_url)
    proc, base = start_app(tmp_path, env=env)
    try:
        learner = Session(base)
        start_quiz(learner, "vanishing", 8, 5)
        for i in range(ANSWERED):
            answer_quiz_question(learner, i)
            learner.click(f"quiz_next_{i}")
        in_flight = threading.Thread(target=_answer_ignoring_errors, args=(learner, ANSWERED), daemon=True)
        in_flight.start()
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
        in_flight.join(10)
    finally:
        if proc.poll() is None:
            proc.kill()

    engine = make_engine(store_url)
    try:
        n_attempts, n_reviews, n_learners = _counts(engine)
        assert n_attempts in (ANSWERED, ANSWERED + 1) and n_reviews == n_attempts and n_learners == 1
        if store_url.startswith("sqlite"):
            with engine.connect() as conn:
                assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
                assert conn.execute(text("PRAGMA foreign_key_check")).all() == []
    finally:
        engine.dispose()

    with running_app(tmp_path, env=env) as (_, base):
        again = Session(base)
        start_quiz(again, "vanishing", 2, 5)
        answer_quiz_question(again, 0)


def _answer_ignoring_errors(session: Session, i: int) -> None:
    with contextlib.suppress(Exception):  # the server is being killed under this request
        answer_quiz_question(session, i)
