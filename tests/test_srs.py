"""Spaced repetition: grade -> fsrs rating mapping, and reviews that are exactly fsrs's scheduler."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fsrs import Card, Rating, Scheduler, State

from explainer.progress import srs

T0 = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(("score", "seconds", "rating"), [
    (0.0, 5, Rating.Again), (0.49, None, Rating.Again), (0.5, 30, Rating.Hard), (0.84, 30, Rating.Hard),
    (0.85, 30, Rating.Good), (1.0, None, Rating.Good), (1.0, 60, Rating.Good), (1.0, 15, Rating.Easy),
    (1.0, 3, Rating.Easy), (0.9, 3, Rating.Good),
])
def test_grade_to_rating(score, seconds, rating):
    """Missed -> Again, partial -> Hard, right -> Good, perfect and quick -> Easy (thresholds in srs's docstring)."""
    assert srs.rating_for(score, seconds) == rating


def test_out_of_range_scores_are_refused():
    """A score outside [0, 1] is a bug upstream, not a rating."""
    for bad in (-0.01, 1.01, float("nan")):
        with pytest.raises(ValueError):
            srs.rating_for(bad)


def test_review_is_the_library_scheduler():
    """srs.review gives the same card as a fresh fsrs Scheduler (no fuzz) fed the mapped rating."""
    reference = Scheduler(enable_fuzzing=False)
    ours = theirs = srs.new_card("q", T0)
    for minutes, score in ((0, 1.0), (10, 0.0), (30, 0.7), (60 * 24 * 4, 1.0)):
        when = T0 + timedelta(minutes=minutes)
        ours, rating = srs.review(ours, score, 40.0, when)
        theirs, _ = reference.review_card(theirs, rating, review_datetime=when, review_duration=40_000)
        assert ours.to_dict() == theirs.to_dict()


def test_a_miss_comes_back_after_the_first_learning_step():
    """A new card answered wrongly is due one learning step (1 minute) later; a right answer waits longer."""
    missed, _ = srs.review(srs.new_card("q", T0), 0.0, 20, T0)
    right, _ = srs.review(srs.new_card("q", T0), 1.0, 20, T0)
    assert missed.due == T0 + timedelta(minutes=1) and missed.state == State.Learning
    assert right.due > missed.due


def test_card_json_round_trip():
    """The stored JSON is the library's own format and restores an equal card."""
    card, _ = srs.review(srs.new_card("q", T0), 0.9, 50, T0)
    assert Card.from_json(srs.card_to_json(card)).to_dict() == card.to_dict()
    assert srs.card_from_json(card.to_json()).to_dict() == card.to_dict()


def test_late_answer_counts_at_the_last_review():
    """An answer timestamped before the card's last review (a retry after an outage) never moves time backwards."""
    card, _ = srs.review(srs.new_card("q", T0), 1.0, 50, T0 + timedelta(hours=1))
    later, _ = srs.review(card, 1.0, 50, T0)
    assert later.last_review == T0 + timedelta(hours=1)


def test_card_ids_are_stable():
    """A question's card id is a checksum of its id, not the wall clock (no sleeps, reproducible)."""
    assert srs.new_card("abc", T0).card_id == srs.new_card("abc", T0 + timedelta(days=1)).card_id


def test_a_self_rating_schedules_the_card_instead_of_the_automatic_score():
    """The learner's own rating wins: a full automatic score rated Again comes back as soon as a missed answer."""
    auto, auto_rating = srs.review(srs.new_card("q", T0), 1.0, 50, T0)
    rated, rating = srs.review(srs.new_card("q", T0), 1.0, 50, T0, self_rating=int(Rating.Again))
    missed, _ = srs.review(srs.new_card("q", T0), 0.0, 50, T0)
    assert auto_rating == Rating.Good and rating == Rating.Again
    assert rated.due == missed.due < auto.due


def test_full_credit_is_the_quiz_engines_definition():
    """A score a float hair below 1 is still full credit for the Easy rating, as it is for the quiz."""
    assert srs.rating_for(1 - 1e-12, 5.0) == Rating.Easy
