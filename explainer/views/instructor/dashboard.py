"""Instructor dashboard tab: participation, hardest questions, mastery heatmap, scores, learners, CSV export."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import streamlit as st
from sqlalchemy import Engine

from explainer.progress import analytics
from explainer.progress import charts as progress_charts
from explainer.store import dashboard, learners
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


def _overview(people, answers, now) -> None:
    recent = answers[answers["answered_at"] >= now - timedelta(days=7)] if not answers.empty else answers
    cols = st.columns(4)
    cols[0].metric("Learners", len(people))
    cols[1].metric("Active in the last 7 days", recent["learner_id"].nunique() if not recent.empty else 0)
    cols[2].metric("Answers", len(answers))
    cols[3].metric("Mean score", percent(answers["score"].mean()) if not answers.empty else "—")
    if answers.empty:
        return
    st.altair_chart(progress_charts.activity_chart(analytics.daily_activity(answers)), width="stretch",
                    alt="Bar chart of answers per day across the class.")


def _questions(answers) -> None:
    st.subheader("Hardest questions", anchor=False)
    acc = analytics.question_accuracy(answers)
    st.altair_chart(progress_charts.question_accuracy_chart(acc), width="stretch",
                    alt="Bar chart of the 20 questions with the lowest mean score, hardest at the top.")
    st.dataframe(acc, hide_index=True, width="stretch", key="instructor_accuracy_table",
                 column_config={"question_id": "Question", "topic": "Topic", "attempts": "Answers",
                                "learners": "Learners", "accuracy": st.column_config.ProgressColumn(
                                    "Mean score", min_value=0.0, max_value=1.0, format="percent")})


def _mastery(answers) -> None:
    st.subheader("Mastery per topic", anchor=False)
    st.altair_chart(progress_charts.mastery_heatmap_chart(analytics.mastery_heatmap(answers)), width="stretch",
                    alt="Heatmap of each learner's mastery per topic, darker is stronger.")
    st.subheader("Score distribution", anchor=False)
    st.altair_chart(progress_charts.score_distribution_chart(analytics.score_distribution(answers)),
                    width="stretch", alt="Histogram of learners' mean scores in 10 percent bins.")


def _learners(people, answers, due) -> None:
    st.subheader("Learners", anchor=False)
    summary = analytics.learner_summary(people, answers, due)
    st.dataframe(summary, hide_index=True, width="stretch", key="instructor_learners_table",
                 column_config=_LEARNER_COLUMNS)
    if answers.empty:
        return
    labels = analytics.learner_label(people).tolist()
    pick = st.selectbox("One learner's progress", labels, key="instructor_learner", index=None,
                        placeholder="Choose a learner")
    if pick is not None:
        lid = int(people.loc[labels.index(pick), "learner_id"])
        mine = answers[answers["learner_id"] == lid]
        if mine.empty:
            st.caption("No answers yet.")
        else:
            st.altair_chart(progress_charts.mastery_over_time_chart(analytics.mastery_timeline(mine)),
                            width="stretch", alt=f"Line chart of {pick}'s mastery per topic over time.")


def render_dashboard(engine: Engine, code: str | None) -> None:
    scope = _scope(engine, code)
    if scope is None:
        return
    class_id, label = scope
    now = datetime.now(UTC)
    people = access.call(dashboard.learners, class_id)
    answers = access.call(dashboard.attempts, class_id)
    due = access.call(dashboard.due_counts, class_id, now, default={})
    if people is None or answers is None:
        return
    _overview(people, answers, now)
    if answers.empty:
        st.info("No answers yet. They appear here as soon as learners answer quiz questions.", icon=":material/quiz:")
        _learners(people, answers, due)
        return
    _questions(answers)
    _mastery(answers)
    _learners(people, answers, due)
    st.download_button("Download every attempt (CSV)", analytics.attempts_csv(answers),
                       file_name=f"gradient-lab-attempts-{label}-{now:%Y%m%d}.csv", mime="text/csv",
                       key="instructor_csv", icon=":material/download:")
