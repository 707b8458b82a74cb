"""Review due page (AppTest): due cards are served most overdue first with the practice components; an
answer reschedules the card through the store; a missed question comes back after fsrs's first step."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from explainer.store import attempts, get_engine, learners
from explainer.store.attempts import AttemptIn
from questions import load_banks
from questions.loader import BUILTIN_DIR
from tests.conftest import app_test

PAGE = "explainer/pages/review.py"
BANK = load_banks([BUILTIN_DIR]).by_id
OLDER, NEWER = "van-sigmoid-derivative-form", "van-bengio-1994"  # both single_choice


@pytest.fixture
def learner_with_due_cards(app_db):
    """A learner who missed two questions yesterday (the older miss first): both are due now."""
    engine = get_engine()
    me, key = learners.create_learner(engine, "Rev")
    yesterday = datetime.now(UTC) - timedelta(days=1)
    attempts.record_attempt(engine, me.id, AttemptIn(OLDER, "vanishing", "x", 0.0, 20, yesterday))
    attempts.record_attempt(engine, me.id, AttemptIn(NEWER, "vanishing", "x", 0.0, 20,
                                                     yesterday + timedelta(minutes=5)))
    return engine, me, key


def _prompt(at) -> str:
    return at.markdown[0].value


def test_nothing_to_review_without_a_learner(app_db):
    """A first-time visitor is pointed at the quiz; no exception."""
    at = app_test(PAGE)
    assert not at.exception and "Nothing to review yet" in at.info[0].value


def test_due_cards_are_served_oldest_first_and_rescheduled(learner_with_due_cards):
    """The most overdue card comes first; answering it right records the attempt and moves its due date
    into the future, so 'Next' serves the other card, then 'all caught up'."""
    engine, me, key = learner_with_due_cards
    at = app_test(PAGE, query={"resume": key})
    assert not at.exception
    assert _prompt(at) == BANK[OLDER].prompt
    at.radio(key="review_1_choice").set_value(BANK[OLDER].answer)
    at.button(key="review_1_check").click().run()
    assert not at.exception and at.success
    history = attempts.history(engine, me.id)
    assert history["question_id"].tolist()[-1] == OLDER and history["score"].tolist()[-1] == 1.0
    assert [c.question_id for c in attempts.due_cards(engine, me.id)] == [NEWER]
    at.button(key="review_1_next").click().run()
    assert _prompt(at) == BANK[NEWER].prompt
    at.button(key="review_2_skip").click().run()
    at.button(key="review_2_next").click().run()
    assert "All caught up" in at.success[0].value


def test_a_miss_comes_back_after_a_minute(learner_with_due_cards, monkeypatch):
    """Missing a due question again hides it for fsrs's learning step (minutes), then serves it again."""
    engine, me, key = learner_with_due_cards
    at = app_test(PAGE, query={"resume": key})
    at.button(key="review_1_skip").click().run()  # skipped = score 0 = Again
    at.button(key="review_1_next").click().run()
    assert _prompt(at) == BANK[NEWER].prompt  # the missed one is not due right away
    at.button(key="review_2_skip").click().run()
    at.button(key="review_2_next").click().run()
    assert "All caught up" in at.success[0].value
    later = datetime.now(UTC) + timedelta(minutes=11)
    monkeypatch.setattr(attempts, "utcnow", lambda: later)
    at.run()
    assert _prompt(at) == BANK[OLDER].prompt
