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


def stats(rows):
    """Per-learner stats as the store returns them: (learner_id, answers, questions, score_sum, minutes)."""
    return pd.DataFrame([(lid, n, q, s, T0 + timedelta(minutes=m)) for lid, n, q, s, m in rows],
                        columns=["learner_id", "answers", "questions", "score_sum", "last_active"])


def topic_scores(rows):
    """Per learner and topic as the store returns them: (learner_id, learner, topic, answered, score_sum)."""
    return pd.DataFrame(rows, columns=["learner_id", "learner", "topic", "answered", "score_sum"])


def test_question_accuracy_is_hardest_first():
    """Questions are ordered by mean score ascending; ties go to the question with more answers."""
    q = pd.DataFrame({"question_id": ["easy", "hard", "tie"], "topic": ["rnn"] * 3, "attempts": [2, 3, 5],
                      "learners": [2, 2, 1], "accuracy": [1.0, 0.5 / 3, 0.5 / 3]})
    acc = analytics.question_accuracy(q)
    assert acc["question_id"].tolist() == ["tie", "hard", "easy"]
    assert acc.iloc[1][["attempts", "learners"]].tolist() == [3, 2]


def test_class_totals_weigh_every_answer():
    """The class mean is over answers, not over learners; active learners answered since the cut-off."""
    s = stats([(1, 3, 3, 3.0, 0), (2, 1, 1, 0.0, 60)])
    totals = analytics.class_totals(s, since=T0 + timedelta(minutes=30))
    assert (totals.answers, totals.active) == (4, 1) and totals.mean_score == pytest.approx(0.75)
    assert analytics.class_totals(stats([]), since=T0) == analytics.ClassTotals(0, None, 0)


def test_mastery_heatmap_applies_the_prior_per_learner_and_topic():
    """Heatmap cells are score sums of latest answers over (questions + 2), labelled 'Name (#id)'."""
    heat = analytics.mastery_heatmap(topic_scores([(1, "A", "rnn", 2, 2.0), (2, "A", "clipping", 1, 0.5)]))
    assert heat["learner"].tolist() == ["A (#1)", "A (#2)"]
    assert heat["mastery"].tolist() == pytest.approx([2 / 4, 0.5 / 3])


def test_learner_summary_includes_learners_without_answers():
    """Every learner has a row (zeros when idle), with reviews due from the store's counts."""
    learners = pd.DataFrame({"learner_id": [1, 2], "learner": ["Ann", "Ann"], "joined_at": [T0, T0]})
    s = analytics.learner_summary(learners, stats([(1, 12, 10, 10.0, 9)]),
                                  topic_scores([(1, "Ann", "rnn", 10, 10.0), (1, "Ann", "clipping", 1, 1.0)]), {1: 3})
    s = s.set_index("learner")
    assert s.loc["Ann (#1)", ["answers", "questions", "topics_mastered", "due_now"]].tolist() == [12, 10, 1, 3]
    assert s.loc["Ann (#1)", "mean_score"] == pytest.approx(10 / 12)
    assert s.loc["Ann (#2)", ["answers", "due_now"]].tolist() == [0, 0]


def test_score_distribution_counts_learners_per_bin():
    """Learners' mean scores land in 10 % bins; 0 and 1 are included in the end bins."""
    d = analytics.score_distribution(stats([(1, 2, 1, 0.0, 0), (2, 1, 1, 1.0, 0), (3, 4, 1, 2.2, 0)]))
    assert d["learners"].sum() == 3 and d["learners"].iloc[0] == 1 and d["learners"].iloc[-1] == 1
    assert d.loc[d["bin_start"] == 0.5, "learners"].item() == 1


def per_day(rows):
    """Per-day counts as the store returns them: (days after T0's midnight, answers, learners)."""
    return pd.DataFrame([dict(day=pd.Timestamp("2026-02-01", tz="UTC") + pd.Timedelta(days=d), answers=n, learners=k)
                         for d, n, k in rows], columns=["day", "answers", "learners"])


def test_daily_activity_is_an_unbroken_calendar():
    """Quiet days are zero rows and at least 14 days are shown, so one busy day is one bar, not the chart."""
    act = analytics.daily_activity(per_day([(0, 2, 2), (3, 1, 1)]))
    assert len(act) == 14 and act["day"].is_monotonic_increasing and act["day"].diff().dropna().eq(
        pd.Timedelta(days=1)).all()
    assert act["answers"].tolist()[-4:] == [2, 0, 0, 1] and act["learners"].tolist()[-4:] == [2, 0, 0, 1]
    assert act["answers"].sum() == 3
    assert len(analytics.daily_activity(per_day([(0, 1, 1), (20, 1, 1)]))) == 21  # longer: first to last day


def test_csv_neutralises_formulas():
    """Answers that a spreadsheet would execute (=HYPERLINK..., +, -, @) are exported as text."""
    a = frame([(1, "=cmd|'/c calc'!A1", "q", "rnn", 1.0, 0)]).assign(answer="@SUM(1)")
    back = pd.read_csv(io.StringIO(analytics.attempts_csv(a)))
    assert back.loc[0, "learner"].startswith("'=") and back.loc[0, "answer"] == "'@SUM(1)"
    assert back.loc[0, "answered_at"] == "2026-02-01T10:00:00Z"


def test_empty_inputs_give_empty_frames_and_valid_charts():
    """A class with no answers yet produces empty tables and charts that still serialise."""
    for chart in (progress_charts.mastery_over_time_chart(analytics.mastery_timeline(frame([]))),
                  progress_charts.mastery_heatmap_chart(analytics.mastery_heatmap(topic_scores([]))),
                  progress_charts.score_distribution_chart(analytics.score_distribution(stats([]))),
                  progress_charts.activity_chart(analytics.daily_activity(per_day([])))):
        assert chart.to_dict()["$schema"]


def test_charts_encode_the_right_fields():
    """Charts are pure functions of the frames: heatmap colours by mastery, accuracy bars keep hardest first."""
    a = frame([(1, "A", "q1", "rnn", 1.0, 0), (2, "B", "q2", "clipping", 0.0, 1)])
    heat = progress_charts.mastery_heatmap_chart(analytics.mastery_heatmap(
        topic_scores([(1, "A", "rnn", 1, 1.0), (2, "B", "clipping", 1, 0.0)]))).to_dict()
    assert heat["layer"][0]["encoding"]["color"]["field"] == "mastery"
    acc = progress_charts.question_accuracy_chart(analytics.question_accuracy(pd.DataFrame(
        {"question_id": ["q1", "q2"], "topic": ["rnn", "clipping"], "attempts": [1, 1], "learners": [1, 1],
         "accuracy": [1.0, 0.0]}))).to_dict()
    assert acc["layer"][0]["encoding"]["y"]["sort"] == ["q2", "q1"]
    line = progress_charts.mastery_over_time_chart(analytics.mastery_timeline(a)).to_dict()
    assert line["encoding"]["y"]["scale"]["domain"] == [0, 1]
