"""Recording answers and the review cards they update, in one transaction; reading a learner's history."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from explainer.progress import srs
from explainer.store.db import reading, writing
from explainer.store.tables import Attempt, ReviewCard, utcnow

if TYPE_CHECKING:
    import pandas as pd

MAX_ANSWER_CHARS = 20_000
ATTEMPT_COLUMNS = ["uid", "question_id", "topic", "answer", "score", "seconds", "answered_at"]


@dataclass(frozen=True)
class AttemptIn:
    """One answered question as the practice pages report it; `uid` makes a retried write idempotent."""

    question_id: str
    topic: str
    answer: str
    score: float
    seconds: float | None = None
    answered_at: datetime = field(default_factory=utcnow)
    uid: str = field(default_factory=lambda: str(uuid.uuid4()))
    self_rating: int | None = None  # the learner's own fsrs rating (1-4) after seeing the model answer

    def __post_init__(self):
        if not 0.0 <= float(self.score) <= 1.0:
            raise ValueError(f"score must be in [0, 1], got {self.score!r}")
        if self.self_rating is not None and self.self_rating not in srs.SELF_RATINGS:
            raise ValueError(f"self_rating must be one of {sorted(srs.SELF_RATINGS)} or None, got {self.self_rating!r}")
        if self.seconds is not None and self.seconds < 0:
            raise ValueError("seconds must be >= 0")
        if not self.question_id or len(self.question_id) > 120:
            raise ValueError("question_id must be 1..120 characters")


def record_attempt(engine: Engine, learner_id: int, attempt: AttemptIn) -> bool:
    """Store the attempt and update its review card atomically; False if this uid was already recorded."""
    for retry in (True, False):
        try:
            return _record_once(engine, learner_id, attempt)
        except IntegrityError:
            # Two sessions of one learner created the same card at once: the retry sees the winner's row.
            if not retry:
                raise
    raise AssertionError("unreachable")


def _record_once(engine: Engine, learner_id: int, a: AttemptIn) -> bool:
    with writing(engine) as s:
        return add_attempt(s, learner_id, a)


def add_attempt(s: Session, learner_id: int, a: AttemptIn) -> bool:
    """record_attempt inside the caller's write transaction (a live answer and its attempt commit together)."""
    if s.scalar(select(Attempt.id).where(Attempt.uid == a.uid)) is not None:
        return False
    s.add(Attempt(uid=a.uid, learner_id=learner_id, question_id=a.question_id, topic=a.topic,
                  answer=str(a.answer)[:MAX_ANSWER_CHARS], score=float(a.score), seconds=a.seconds,
                  answered_at=a.answered_at, self_rating=a.self_rating))
    row = s.scalar(
        select(ReviewCard)
        .where(ReviewCard.learner_id == learner_id, ReviewCard.question_id == a.question_id)
        .with_for_update()
    )
    card = srs.card_from_json(row.card_json) if row else srs.new_card(a.question_id, a.answered_at)
    card, rating = srs.review(card, float(a.score), a.seconds, a.answered_at, a.self_rating)
    if row is None:
        row = ReviewCard(learner_id=learner_id, question_id=a.question_id, reviews=0, lapses=0)
        s.add(row)
    row.topic = a.topic
    row.card_json = srs.card_to_json(card)
    row.due = card.due
    row.reviews = (row.reviews or 0) + 1
    row.lapses = (row.lapses or 0) + (rating == srs.Rating.Again)
    row.last_score = float(a.score)
    return True


@dataclass(frozen=True)
class DueCard:
    question_id: str
    topic: str
    due: datetime
    last_score: float
    reviews: int
    lapses: int


def due_cards(engine: Engine, learner_id: int, now: datetime | None = None, limit: int = 50) -> list[DueCard]:
    """The learner's cards due at `now`, most overdue first (missed answers come back within minutes)."""
    now = now or utcnow()
    with reading(engine) as s:
        rows = s.scalars(
            select(ReviewCard)
            .where(ReviewCard.learner_id == learner_id, ReviewCard.due <= now)
            .order_by(ReviewCard.due, ReviewCard.question_id)
            .limit(limit)
        ).all()
        return [DueCard(r.question_id, r.topic, r.due, r.last_score, r.reviews, r.lapses) for r in rows]


def next_due(engine: Engine, learner_id: int, now: datetime | None = None) -> datetime | None:
    """When the learner's next card falls due after `now` (None if they have no cards)."""
    now = now or utcnow()
    with reading(engine) as s:
        return s.scalar(select(func.min(ReviewCard.due)).where(ReviewCard.learner_id == learner_id,
                                                               ReviewCard.due > now))


def card_json(engine: Engine, learner_id: int, question_id: str) -> str | None:
    with reading(engine) as s:
        return s.scalar(select(ReviewCard.card_json).where(ReviewCard.learner_id == learner_id,
                                                           ReviewCard.question_id == question_id))


def history(engine: Engine, learner_id: int) -> pd.DataFrame:
    """Every attempt of one learner, oldest first (columns ATTEMPT_COLUMNS)."""
    with reading(engine) as s:
        rows = s.execute(
            select(Attempt.uid, Attempt.question_id, Attempt.topic, Attempt.answer, Attempt.score, Attempt.seconds,
                   Attempt.answered_at)
            .where(Attempt.learner_id == learner_id)
            .order_by(Attempt.answered_at, Attempt.id)
        ).all()
    import pandas as pd  # only the progress pages need it: keeps pandas out of a Learn page's cold start

    return pd.DataFrame([tuple(r) for r in rows], columns=ATTEMPT_COLUMNS)
