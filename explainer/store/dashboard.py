"""What the instructor dashboard reads: a class's learners and attempts as DataFrames (aggregation is elsewhere)."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, func, select

from explainer.store.db import reading
from explainer.store.models import Attempt, Learner, ReviewCard

LEARNER_COLUMNS = ["learner_id", "learner", "joined_at"]
CLASS_ATTEMPT_COLUMNS = ["learner_id", "learner", "question_id", "topic", "answer", "score", "seconds", "answered_at"]
MAX_ROWS = 200_000  # a class of 50 answering 100 questions a week for a term is ~75k rows


def _scope(stmt, class_id: int | None):
    return stmt if class_id is None else stmt.where(Learner.class_id == class_id)


def learners(engine: Engine, class_id: int | None) -> pd.DataFrame:
    """Learners in the class (`class_id=None`: every learner on this server), oldest first."""
    stmt = _scope(select(Learner.id, Learner.display_name, Learner.created_at), class_id).order_by(Learner.id)
    with reading(engine) as s:
        rows = s.execute(stmt).all()
    return pd.DataFrame([tuple(r) for r in rows], columns=LEARNER_COLUMNS)


def attempts(engine: Engine, class_id: int | None) -> pd.DataFrame:
    """Every attempt by learners in scope, oldest first, with the learner's display name."""
    stmt = (
        select(Attempt.learner_id, Learner.display_name, Attempt.question_id, Attempt.topic, Attempt.answer,
               Attempt.score, Attempt.seconds, Attempt.answered_at)
        .join(Learner, Learner.id == Attempt.learner_id)
    )
    stmt = _scope(stmt, class_id).order_by(Attempt.answered_at, Attempt.id).limit(MAX_ROWS)
    with reading(engine) as s:
        rows = s.execute(stmt).all()
    return pd.DataFrame([tuple(r) for r in rows], columns=CLASS_ATTEMPT_COLUMNS)


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
