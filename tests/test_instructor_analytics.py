"""Dashboard and progress analytics: mastery definition, hardest-first accuracy, summaries, safe CSV, charts."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest

from explainer.progress import analytics
from explainer.progress import charts as progress_charts

T0 = datetime(2026, 2, 1, 10, 0, tzinfo=UTC)


def frame(rows):
    """rows: (learner_id, learner, question_id, topic, score, minutes after T0)."""
    return pd.DataFrame(
        [dict(learner_id=lid, learner=name, question_id=q, topic=t, answer="a", score=s, seconds=10.0,
              answered_at=T0 + timedelta(minutes=m)) for lid, name, q, t, s, m in rows])


def test_mastery_uses_latest_score_and_the_prior():
    """Mastery = sum of latest scores / (questions + 2): a retried question counts once, at its last score."""
    a = frame([(1, "A", "q1", "rnn", 0.0, 0), (1, "A", "q1", "rnn", 1.0, 5), (1, "A", "q2", "rnn", 1.0, 6),
               (1, "A", "c1", "clipping", 0.5, 7)])
    m = analytics.topic_mastery(a).set_index("topic")
    assert m.loc["rnn", "mastery"] == pytest.approx(2 / 4)
    assert m.loc["clipping", "mastery"] == pytest.approx(0.5 / 3)
    assert list(m.index) == ["rnn", "clipping"]  # the course's topic order


def test_every_topic_is_listed_for_the_learner():
    """The learner's mastery table covers all course topics in order, 0 for those not started."""
    a = frame([(1, "A", "q1", "clipping", 1.0, 0)])
    m = analytics.with_every_topic(analytics.topic_mastery(a))
    assert m["topic"].tolist() == analytics.TOPIC_ORDER
    assert m.set_index("topic").loc["clipping", "mastery"] == pytest.approx(1 / 3)
    assert m.set_index("topic").loc["rnn", ["answered", "mastery"]].tolist() == [0, 0.0]
    chart = progress_charts.topic_mastery_bar_chart(m).to_dict()
    assert chart["layer"][1]["encoding"]["text"]["value"] == "not started"


def test_mastery_timeline_has_one_snapshot_per_active_day():
    """Each active day shows mastery of everything answered up to that day's end."""
    a = frame([(1, "A", "q1", "rnn", 1.0, 0), (1, "A", "q2", "rnn", 1.0, 60 * 24 * 2)])
    t = analytics.mastery_timeline(a)
    assert t["mastery"].tolist() == pytest.approx([1 / 3, 2 / 4])
    assert t["day"].tolist() == [pd.Timestamp("2026-02-01", tz="UTC"), pd.Timestamp("2026-02-03", tz="UTC")]


def test_question_accuracy_is_hardest_first():
    """Questions are ordered by mean score ascending, with attempts and distinct learners counted."""
    a = frame([(1, "A", "easy", "rnn", 1.0, 0), (2, "B", "easy", "rnn", 1.0, 0), (1, "A", "hard", "rnn", 0.0, 1),
               (2, "B", "hard", "rnn", 0.5, 1), (2, "B", "hard", "rnn", 0.0, 2)])
    acc = analytics.question_accuracy(a)
    assert acc["question_id"].tolist() == ["hard", "easy"]
    assert acc.iloc[0][["attempts", "learners"]].tolist() == [3, 2]
    assert acc.iloc[0]["accuracy"] == pytest.approx(0.5 / 3)


def test_learner_summary_includes_learners_without_answers():
    """Every learner has a row (zeros when idle), with reviews due from the store's counts."""
    learners = pd.DataFrame({"learner_id": [1, 2], "learner": ["Ann", "Ann"], "joined_at": [T0, T0]})
    a = frame([(1, "Ann", f"q{i}", "rnn", 1.0, i) for i in range(10)])
    s = analytics.learner_summary(learners, a, {1: 3}).set_index("learner")
    assert s.loc["Ann (#1)", ["answers", "questions", "topics_mastered", "due_now"]].tolist() == [10, 10, 1, 3]
    assert s.loc["Ann (#2)", ["answers", "due_now"]].tolist() == [0, 0]


def test_score_distribution_counts_learners_per_bin():
    """Learners' mean scores land in 10 % bins; 0 and 1 are included in the end bins."""
    a = frame([(1, "A", "q", "rnn", 0.0, 0), (2, "B", "q", "rnn", 1.0, 0), (3, "C", "q", "rnn", 0.55, 0)])
    d = analytics.score_distribution(a)
    assert d["learners"].sum() == 3 and d["learners"].iloc[0] == 1 and d["learners"].iloc[-1] == 1
    assert d.loc[d["bin_start"] == 0.5, "learners"].item() == 1


def test_daily_activity_is_an_unbroken_calendar():
    """Quiet days are zero rows and at least 14 days are shown, so one busy day is one bar, not the chart."""
    a = frame([(1, "A", "q1", "rnn", 1.0, 0), (2, "B", "q1", "rnn", 0.0, 5), (1, "A", "q2", "rnn", 1.0, 3 * 1440)])
    act = analytics.daily_activity(a)
    assert len(act) == 14 and act["day"].is_monotonic_increasing and act["day"].diff().dropna().eq(
        pd.Timedelta(days=1)).all()
    assert act["answers"].tolist()[-4:] == [2, 0, 0, 1] and act["learners"].tolist()[-4:] == [2, 0, 0, 1]
    assert act["answers"].sum() == 3
    spread = frame([(1, "A", "q1", "rnn", 1.0, 0), (1, "A", "q1", "rnn", 1.0, 20 * 1440)])
    assert len(analytics.daily_activity(spread)) == 21  # longer than 14 days: first to last day


def test_csv_neutralises_formulas():
    """Answers that a spreadsheet would execute (=HYPERLINK..., +, -, @) are exported as text."""
    a = frame([(1, "=cmd|'/c calc'!A1", "q", "rnn", 1.0, 0)]).assign(answer="@SUM(1)")
    back = pd.read_csv(io.StringIO(analytics.attempts_csv(a)))
    assert back.loc[0, "learner"].startswith("'=") and back.loc[0, "answer"] == "'@SUM(1)"
    assert back.loc[0, "answered_at"] == "2026-02-01T10:00:00Z"


def test_empty_inputs_give_empty_frames_and_valid_charts():
    """A class with no answers yet produces empty tables and charts that still serialise."""
    empty = frame([])
    for chart in (progress_charts.mastery_over_time_chart(analytics.mastery_timeline(empty)),
                  progress_charts.score_distribution_chart(analytics.score_distribution(empty)),
                  progress_charts.activity_chart(analytics.daily_activity(empty))):
        assert chart.to_dict()["$schema"]


def test_charts_encode_the_right_fields():
    """Charts are pure functions of the frames: heatmap colours by mastery, accuracy bars keep hardest first."""
    a = frame([(1, "A", "q1", "rnn", 1.0, 0), (2, "B", "q2", "clipping", 0.0, 1)])
    heat = progress_charts.mastery_heatmap_chart(analytics.mastery_heatmap(a)).to_dict()
    assert heat["layer"][0]["encoding"]["color"]["field"] == "mastery"
    acc = progress_charts.question_accuracy_chart(analytics.question_accuracy(a)).to_dict()
    assert acc["layer"][0]["encoding"]["y"]["sort"] == ["q2", "q1"]
    line = progress_charts.mastery_over_time_chart(analytics.mastery_timeline(a)).to_dict()
    assert line["encoding"]["y"]["scale"]["domain"] == [0, 1]
