"""Spaced repetition with the `fsrs` package: how a graded answer becomes a rating, and when a card is due.

Grade -> rating (score is the quiz engine's credit in [0, 1]):

- score < 0.5            -> Again  (missed: the card returns after the first learning step, minutes later)
- 0.5 <= score < 0.85    -> Hard   (partial credit: recalled with real gaps)
- score >= 0.85          -> Good   (recalled)
- score == 1 within EASY_SECONDS -> Easy (perfect and quick: recall was effortless)

A learner who rated themselves after seeing the model answer (the Anki way, free answers) is taken at their
word: their rating schedules the card, and the automatic grade's rating is only the suggestion they were shown.

The scheduler is fsrs's own with its default parameters (desired retention 0.9, learning steps 1 and
10 minutes, relearning step 10 minutes); fuzzing is off so a due date is reproducible and testable.
"""

from __future__ import annotations

import zlib
from datetime import UTC, datetime

from fsrs import Card, Rating, Scheduler

from questions.quiz import full_credit

AGAIN_BELOW = 0.5
HARD_BELOW = 0.85
EASY_SECONDS = 15.0
SELF_RATINGS: dict[int, str] = {int(r): r.name for r in (Rating.Again, Rating.Hard, Rating.Good, Rating.Easy)}

SCHEDULER = Scheduler(enable_fuzzing=False)


def rating_for(score: float, seconds: float | None = None) -> Rating:
    """The fsrs rating for a graded answer (see the module docstring for the thresholds)."""
    if not 0.0 <= score <= 1.0:
        raise ValueError(f"score must be in [0, 1], got {score!r}")
    if score < AGAIN_BELOW:
        return Rating.Again
    if score < HARD_BELOW:
        return Rating.Hard
    if full_credit(score) and seconds is not None and seconds <= EASY_SECONDS:
        return Rating.Easy
    return Rating.Good


def new_card(question_id: str, now: datetime) -> Card:
    """A never-reviewed card for `question_id` (its id is a stable checksum, not the wall clock)."""
    return Card(card_id=zlib.crc32(question_id.encode()), due=now)


def review(card: Card, score: float, seconds: float | None, when: datetime,
           self_rating: int | None = None) -> tuple[Card, Rating]:
    """The card after answering with `score` at `when` (aware UTC), and the rating used: the learner's own
    `self_rating` (1-4) when given, else the rating of the automatic score.

    An answer older than the card's last review (a late retry after an outage) counts as given then.
    """
    when = when.astimezone(UTC)
    if card.last_review is not None and when < card.last_review:
        when = card.last_review
    rating = Rating(self_rating) if self_rating is not None else rating_for(score, seconds)
    duration_ms = None if seconds is None else int(seconds * 1000)
    updated, _log = SCHEDULER.review_card(card, rating, review_datetime=when, review_duration=duration_ms)
    return updated, rating


def card_to_json(card: Card) -> str:
    return card.to_json()


def card_from_json(text: str) -> Card:
    return Card.from_json(text)
