"""Dashboard reads: aggregates computed in the database count every answer; raw rows come newest first. Both
backends."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest

from explainer.progress import analytics
from explainer.store import attempts, dashboard, learners
from explainer.store.attempts import AttemptIn

T0 = datetime(2026, 3, 2, 23, 30, tzinfo=UTC)


@pytest.fixture
def classroom(engine):
    """A class (Ada: q1 wrong then right, q2 half; Bo: q1 right a day later) and a self-study learner."""
    room = learners.class_id_for(engine, "ml101", create=True)
    ada, _ = learners.create_learner(engine, "Ada", room)
    bo, _ = learners.create_learner(engine, "Bo", room)
    solo, _ = learners.create_learner(engine, "Solo")
    for who, q, topic, score, minutes in [(ada, "q1", "rnn", 0.0, 0), (ada, "q1", "rnn", 1.0, 20),
                                          (ada, "q2", "clipping", 0.5, 40), (bo, "q1", "rnn", 1.0, 24 * 60),
                                          (solo, "q9", "rnn", 1.0, 5)]:
        attempts.record_attempt(engine, who.id, AttemptIn(q, topic, "x", score, 3.0, T0 + timedelta(minutes=minutes)))
    return engine, room, ada.id, bo.id


def test_learner_stats_count_every_answer_of_the_class(classroom):
    """Per learner: answers, distinct questions, score sum and last answer; other learners are left out."""
    engine, room, ada, bo = classroom
    s = dashboard.learner_stats(engine, room).set_index("learner_id")
    assert s.loc[ada, ["answers", "questions", "score_sum"]].tolist() == [3, 2, 1.5]
    assert s.loc[bo, ["answers", "questions", "score_sum"]].tolist() == [1, 1, 1.0]
    assert s.loc[ada, "last_active"] == T0 + timedelta(minutes=40)
    assert len(dashboard.learner_stats(engine, None)) == 3


def test_question_stats_count_answers_and_distinct_learners(classroom):
    """Per question: answers, distinct learners and mean score over every answer."""
    engine, room, _, _ = classroom
    q = dashboard.question_stats(engine, room).set_index("question_id")
    assert q.loc["q1", ["topic", "attempts", "learners"]].tolist() == ["rnn", 3, 2]
    assert q.loc["q1", "accuracy"] == pytest.approx(2 / 3)
    assert sorted(q.index) == ["q1", "q2"]


def test_daily_counts_bucket_by_utc_day(classroom):
    """Answers at 23:50 and 00:10 UTC fall on two days; days are midnight UTC timestamps."""
    engine, room, _, _ = classroom
    d = dashboard.daily_counts(engine, room)
    assert d["day"].tolist() == [pd.Timestamp("2026-03-02", tz="UTC"), pd.Timestamp("2026-03-03", tz="UTC")]
    assert d["answers"].tolist() == [2, 2] and d["learners"].tolist() == [1, 2]


def test_topic_scores_use_each_questions_latest_answer(classroom):
    """A retried question counts once, at its newest score: Ada's rnn sum is 1.0 over 1 question, not 1.0 over 2."""
    engine, room, ada, bo = classroom
    t = dashboard.topic_scores(engine, room).set_index(["learner_id", "topic"])
    assert t.loc[(ada, "rnn"), ["learner", "answered", "score_sum"]].tolist() == ["Ada", 1, 1.0]
    assert t.loc[(ada, "clipping"), ["answered", "score_sum"]].tolist() == [1, 0.5]
    assert t.loc[(bo, "rnn"), ["answered", "score_sum"]].tolist() == [1, 1.0]
    assert len(t) == 3


def test_class_heatmap_agrees_with_each_learners_own_progress(engine):
    """The heatmap built from the database's per-topic sums equals the mastery each learner sees on My progress
    (computed in pandas from their full history), over random retries of random questions."""
    rng = random.Random(7)
    room = learners.class_id_for(engine, "ml101", create=True)
    people = [learners.create_learner(engine, f"L{i}", room)[0] for i in range(3)]
    topics = {f"q{i}": ("rnn", "clipping", "init")[i % 3] for i in range(6)}
    for minute in rng.sample(range(10_000), 60):
        q = rng.choice(sorted(topics))
        attempts.record_attempt(engine, rng.choice(people).id, AttemptIn(
            q, topics[q], "x", rng.choice([0.0, 0.25, 0.5, 1.0]), 2.0, T0 + timedelta(minutes=minute)))
    heat = analytics.mastery_heatmap(dashboard.topic_scores(engine, room))
    for me in people:
        mine = heat[heat["learner"] == f"{me.display_name} (#{me.id})"].drop(columns="learner")
        own = analytics.topic_mastery(attempts.history(engine, me.id))
        pd.testing.assert_frame_equal(mine.sort_values("topic").reset_index(drop=True),
                                      own.sort_values("topic").reset_index(drop=True), check_dtype=False)


def test_recent_attempts_keep_the_newest_when_capped(classroom):
    """Past the cap the raw rows are the newest ones, newest first; the oldest answers are the ones left out."""
    engine, room, ada, bo = classroom
    rows = dashboard.recent_attempts(engine, room, limit=2)
    assert rows["answered_at"].tolist() == [T0 + timedelta(minutes=24 * 60), T0 + timedelta(minutes=40)]
    assert rows["learner"].tolist() == ["Bo", "Ada"]
    assert len(dashboard.recent_attempts(engine, room)) == 4


def test_an_empty_class_gives_empty_frames(engine):
    """Before any answer every aggregate is an empty frame with its columns (the dashboard's empty state)."""
    room = learners.class_id_for(engine, "empty", create=True)
    for read, columns in [(dashboard.learner_stats, dashboard.LEARNER_STATS_COLUMNS),
                          (dashboard.question_stats, dashboard.QUESTION_STATS_COLUMNS),
                          (dashboard.daily_counts, dashboard.DAY_COLUMNS),
                          (dashboard.topic_scores, dashboard.TOPIC_SCORE_COLUMNS)]:
        frame = read(engine, room)
        assert frame.empty and frame.columns.tolist() == columns
