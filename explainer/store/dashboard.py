"""What the instructor dashboard reads, aggregated in the database so it is complete at any class size.

Each function returns one small DataFrame (per learner, per question, per day, per learner and topic);
only `recent_attempts` returns raw rows, newest first and capped at `MAX_ROWS`.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, distinct, func, select

from explainer.store.db import reading
from explainer.store.tables import Attempt, Learner, ReviewCard

LEARNER_COLUMNS = ["learner_id", "learner", "joined_at"]
LEARNER_STATS_COLUMNS = ["learner_id", "answers", "questions", "score_sum", "last_active"]
QUESTION_STATS_COLUMNS = ["question_id", "topic", "attempts", "learners", "accuracy"]
DAY_COLUMNS = ["day", "answers", "learners"]
TOPIC_SCORE_COLUMNS = ["learner_id", "learner", "topic", "answered", "score_sum"]
CLASS_ATTEMPT_COLUMNS = ["learner_id", "learner", "question_id", "topic", "answer", "score", "seconds", "answered_at"]
MAX_ROWS = 200_000  # raw rows in one CSV export; a class of 50 answering 100 questions a week for a term is ~75k


def _scope(stmt, class_id: int | None):
    return stmt if class_id is None else stmt.where(Learner.class_id == class_id)


def _frame(engine: Engine, stmt, columns: list[str]) -> pd.DataFrame:
    with reading(engine) as s:
        rows = s.execute(stmt).all()
    return pd.DataFrame([tuple(r) for r in rows], columns=columns)


def _attempts_in(class_id: int | None, *columns):
    return _scope(select(*columns).join(Learner, Learner.id == Attempt.learner_id), class_id)


def learners(engine: Engine, class_id: int | None) -> pd.DataFrame:
    """Learners in the class (`class_id=None`: every learner on this server), oldest first."""
    stmt = _scope(select(Learner.id, Learner.display_name, Learner.created_at), class_id).order_by(Learner.id)
    return _frame(engine, stmt, LEARNER_COLUMNS)


def learner_stats(engine: Engine, class_id: int | None) -> pd.DataFrame:
    """Per learner with answers: answers, distinct questions, sum of scores, last answer time."""
    stmt = _attempts_in(class_id, Attempt.learner_id, func.count(), func.count(distinct(Attempt.question_id)),
                        func.sum(Attempt.score), func.max(Attempt.answered_at))
    return _frame(engine, stmt.group_by(Attempt.learner_id).order_by(Attempt.learner_id), LEARNER_STATS_COLUMNS)


def question_stats(engine: Engine, class_id: int | None) -> pd.DataFrame:
    """Per question: answers, distinct learners, mean score (`accuracy`)."""
    stmt = _attempts_in(class_id, Attempt.question_id, Attempt.topic, func.count(),
                        func.count(distinct(Attempt.learner_id)), func.avg(Attempt.score))
    stmt = stmt.group_by(Attempt.question_id, Attempt.topic).order_by(Attempt.question_id, Attempt.topic)
    return _frame(engine, stmt, QUESTION_STATS_COLUMNS)


def daily_counts(engine: Engine, class_id: int | None) -> pd.DataFrame:
    """Per UTC day with answers: answers and distinct learners (`day` as midnight UTC)."""
    day = func.date(Attempt.answered_at)  # the column holds naive UTC on both backends
    stmt = _attempts_in(class_id, day, func.count(), func.count(distinct(Attempt.learner_id)))
    out = _frame(engine, stmt.group_by(day).order_by(day), DAY_COLUMNS)
    out["day"] = pd.to_datetime(out["day"].astype(str)).dt.tz_localize("UTC")
    return out


def topic_scores(engine: Engine, class_id: int | None) -> pd.DataFrame:
    """Per learner and topic, over each question's latest answer: questions answered and their score sum."""
    newest = func.row_number().over(partition_by=(Attempt.learner_id, Attempt.question_id),
                                    order_by=(Attempt.answered_at.desc(), Attempt.id.desc()))
    latest = _attempts_in(class_id, Attempt.learner_id, Learner.display_name, Attempt.topic, Attempt.score,
                          newest.label("newest")).subquery()
    stmt = (select(latest.c.learner_id, latest.c.display_name, latest.c.topic, func.count(), func.sum(latest.c.score))
            .where(latest.c.newest == 1)
            .group_by(latest.c.learner_id, latest.c.display_name, latest.c.topic)
            .order_by(latest.c.learner_id, latest.c.topic))
    return _frame(engine, stmt, TOPIC_SCORE_COLUMNS)


def recent_attempts(engine: Engine, class_id: int | None, limit: int | None = None) -> pd.DataFrame:
    """The newest `limit` (default `MAX_ROWS`) attempts by learners in scope, newest first, with names."""
    stmt = _attempts_in(class_id, Attempt.learner_id, Learner.display_name, Attempt.question_id, Attempt.topic,
                        Attempt.answer, Attempt.score, Attempt.seconds, Attempt.answered_at)
    stmt = stmt.order_by(Attempt.answered_at.desc(), Attempt.id.desc()).limit(MAX_ROWS if limit is None else limit)
    return _frame(engine, stmt, CLASS_ATTEMPT_COLUMNS)


def due_counts(engine: Engine, class_id: int | None, now) -> dict[int, int]:
    """Cards due now per learner (how much review each learner has waiting)."""
    stmt = (
        select(ReviewCard.learner_id, func.count())
        .join(Learner, Learner.id == ReviewCard.learner_id)
        .where(ReviewCard.due <= now)
        .group_by(ReviewCard.learner_id)
    )
    with reading(engine) as s:
        return {lid: n for lid, n in s.execute(_scope(stmt, class_id)).all()}
