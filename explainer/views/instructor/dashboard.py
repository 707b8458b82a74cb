"""Instructor dashboard tab: participation, hardest questions, mastery heatmap, scores, learners, CSV export."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import NamedTuple

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from explainer.progress import analytics
from explainer.progress import charts as progress_charts
from explainer.store import attempts, dashboard, learners
from explainer.views.instructor import agreement
from explainer.views.progress import access
from questions.quiz import percent

_LEARNER_COLUMNS = {
    "learner": "Learner", "answers": "Answers", "questions": "Questions", "mean_score": st.column_config.ProgressColumn(
        "Mean score", min_value=0.0, max_value=1.0, format="percent"),
    "last_active": st.column_config.DatetimeColumn("Last active (UTC)", format="YYYY-MM-DD HH:mm"),
    "topics_mastered": "Topics mastered", "due_now": "Reviews due",
}


def _scope(engine: Engine, code: str | None) -> tuple[int | None, str] | None:
    """(class id or None for everyone, label); None when the configured class has nobody yet."""
    if not code:
        st.caption("No class code is configured: showing every learner on this server.")
        return None, "everyone"
    choice = st.radio("Show", ["This class", "Everyone on this server"], key="instructor_scope", horizontal=True)
    if choice != "This class":
        return None, "everyone"
    room = access.call(learners.class_id_for, code, create=False, default=None)
    if room is None:
        st.info("Nobody has joined the class yet. Share the class code and the /join page.", icon=":material/group:")
        return None
    return room, "class"


def _overview(people, stats, per_day, now) -> None:
    totals = analytics.class_totals(stats, now - timedelta(days=7))
    cols = st.columns(4)
    cols[0].metric("Learners", len(people))
    cols[1].metric("Active in the last 7 days", totals.active)
    cols[2].metric("Answers", totals.answers)
    cols[3].metric("Mean score", percent(totals.mean_score) if totals.answers else "—")
    if not totals.answers:
        return
    st.altair_chart(progress_charts.activity_chart(analytics.daily_activity(per_day)), width="stretch",
                    alt="Bar chart of answers per day across the class.")


def _questions(question_stats) -> None:
    st.subheader("Hardest questions", anchor=False)
    acc = analytics.question_accuracy(question_stats)
    st.altair_chart(progress_charts.question_accuracy_chart(acc), width="stretch",
                    alt="Bar chart of the 20 questions with the lowest mean score, hardest at the top.")
    st.dataframe(acc, hide_index=True, width="stretch", key="instructor_accuracy_table",
                 column_config={"question_id": "Question", "topic": "Topic", "attempts": "Answers",
                                "learners": "Learners", "accuracy": st.column_config.ProgressColumn(
                                    "Mean score", min_value=0.0, max_value=1.0, format="percent")})


def _mastery(stats, topic_scores) -> None:
    st.subheader("Mastery per topic", anchor=False)
    st.altair_chart(progress_charts.mastery_heatmap_chart(analytics.mastery_heatmap(topic_scores)), width="stretch",
                    alt="Heatmap of each learner's mastery per topic, darker is stronger.")
    st.subheader("Score distribution", anchor=False)
    st.altair_chart(progress_charts.score_distribution_chart(analytics.score_distribution(stats)),
                    width="stretch", alt="Histogram of learners' mean scores in 10 percent bins.")


def _learners(people, stats, topic_scores, due) -> None:
    st.subheader("Learners", anchor=False)
    summary = analytics.learner_summary(people, stats, topic_scores, due)
    st.dataframe(summary, hide_index=True, width="stretch", key="instructor_learners_table",
                 column_config=_LEARNER_COLUMNS)
    if stats.empty:
        return
    labels = analytics.learner_label(people).tolist()
    pick = st.selectbox("One learner's progress", labels, key="instructor_learner", index=None,
                        placeholder="Choose a learner")
    if pick is not None:
        lid = int(people.loc[labels.index(pick), "learner_id"])
        mine = access.call(attempts.history, lid)
        if mine is None:
            return
        if mine.empty:
            st.caption("No answers yet.")
        else:
            st.altair_chart(progress_charts.mastery_over_time_chart(analytics.mastery_timeline(mine)),
                            width="stretch", alt=f"Line chart of {pick}'s mastery per topic over time.")


def _export(engine: Engine, class_id: int | None, label: str, total: int, now) -> None:
    """The CSV of raw attempts, newest first, built only when clicked; says so when the cap cuts it short."""
    cap = dashboard.MAX_ROWS
    shown = "every attempt" if total <= cap else f"the newest {cap:,} attempts"
    st.download_button(f"Download {shown} (CSV)", lambda: analytics.attempts_csv(
                           dashboard.recent_attempts(engine, class_id, cap)),
                       file_name=f"gradient-lab-attempts-{label}-{now:%Y%m%d}.csv", mime="text/csv",
                       key="instructor_csv", icon=":material/download:")
    if total > cap:
        st.caption(f"The CSV holds the newest {cap:,} of {total:,} answers, newest first; the charts and "
                   "tables above count all of them.")


class _ClassData(NamedTuple):
    people: pd.DataFrame
    stats: pd.DataFrame
    per_day: pd.DataFrame
    questions: pd.DataFrame
    topic_scores: pd.DataFrame
    due: dict[int, int]


def _read(class_id: int | None, now) -> _ClassData | None:
    """The store's aggregates for the class, or None (after one outage warning) if any read failed."""
    reads = [(dashboard.learners,), (dashboard.learner_stats,), (dashboard.daily_counts,), (dashboard.question_stats,),
             (dashboard.topic_scores,), (dashboard.due_counts, now)]
    got = []
    for fn, *extra in reads:
        got.append(access.call(fn, class_id, *extra, quiet=True))
        if got[-1] is None:
            access.warn()
            return None
    return _ClassData(*got)


def render_dashboard(engine: Engine, code: str | None) -> None:
    scope = _scope(engine, code)
    if scope is None:
        return
    class_id, label = scope
    now = datetime.now(UTC)
    data = _read(class_id, now)
    if data is None:
        return
    _overview(data.people, data.stats, data.per_day, now)
    if data.stats.empty:
        st.info("No answers yet. They appear here as soon as learners answer quiz questions.", icon=":material/quiz:")
        _learners(data.people, data.stats, data.topic_scores, data.due)
        return
    _questions(data.questions)
    agreement.render(class_id)
    _mastery(data.stats, data.topic_scores)
    _learners(data.people, data.stats, data.topic_scores, data.due)
    _export(engine, class_id, label, int(data.stats["answers"].sum()), now)
