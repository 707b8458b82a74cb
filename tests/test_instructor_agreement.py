"""Self-rating vs automatic grade: the store's per-question agreement (SQLite, PostgreSQL) and its dashboard panel."""

from __future__ import annotations

from explainer.store import agreement, attempts, get_engine, learners
from explainer.store.attempts import AttemptIn
from tests.conftest import app_test

SECRET = "correct-horse-battery-staple"


def _answers(engine) -> None:
    """q-lenient: full auto score, learners say Hard and Again; q-fair: 0.7 (suggests Hard), rated Hard."""
    me, _ = learners.create_learner(engine, "Ada")
    plan = [("q-lenient", 1.0, 2), ("q-lenient", 1.0, 1), ("q-fair", 0.7, 2), ("q-choice", 1.0, None)]
    for qid, score, rating in plan:
        attempts.record_attempt(engine, me.id, AttemptIn(qid, "vanishing", "x", score, 40.0, self_rating=rating))


def test_agreement_counts_which_way_learners_disagree(engine):
    """Per question: rated answers, agreement with the suggestion, higher/lower; most disagreement first."""
    _answers(engine)
    rows = agreement.by_question(engine)
    assert [r.question_id for r in rows] == ["q-lenient", "q-fair"]  # unrated answers are not counted
    lenient, fair = rows
    assert (lenient.rated, lenient.agree, lenient.higher, lenient.lower) == (2, 0, 0, 2)
    assert lenient.mean_score == 1.0 and lenient.mean_self_rating == 1.5
    assert (fair.rated, fair.agree, fair.agree_share) == (1, 1, 1.0)


def test_self_rating_out_of_range_is_refused():
    """Only the four fsrs ratings (1-4) or None are stored."""
    import pytest

    with pytest.raises(ValueError, match="self_rating"):
        AttemptIn("q", "vanishing", "x", 1.0, self_rating=5)


def test_dashboard_shows_the_agreement_panel(app_db, monkeypatch):
    """Signed in, the dashboard lists the disagreeing question in the agreement table."""
    _answers(get_engine())
    monkeypatch.delenv("GRADIENT_LAB_CLASS_CODE", raising=False)
    monkeypatch.setenv("GRADIENT_LAB_INSTRUCTOR_SECRET", SECRET)
    at = app_test("explainer/pages/instructor.py")
    at.text_input(key="instructor_secret_input").set_value(SECRET)
    at.button(key="instructor_login").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(s.value == "Self-rating vs automatic grade" for s in at.subheader)
    tables = [d.value for d in at.dataframe if "agree" in d.value.columns]
    assert len(tables) == 1 and list(tables[0]["question"]) == ["q-lenient", "q-fair"]
