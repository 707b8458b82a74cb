"""My progress page: mastery per topic now and over time, reviews due, recent answers, the resume key."""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from explainer.progress import analytics
from explainer.progress import charts as progress_charts
from explainer.store import attempts
from explainer.views.instructor.join import show_key
from explainer.views.nav import link_to
from explainer.views.progress import access, identity
from questions.quiz import percent


def when_text(dt: datetime | None) -> str:
    """'now', 'in 12 min', 'in 3 h', 'in 4 days' for a due date."""
    if dt is None:
        return "—"
    minutes = (dt - datetime.now(UTC)).total_seconds() / 60
    if minutes <= 0:
        return "now"
    if minutes < 1:
        return "in under a minute"
    if minutes < 90:
        return f"in {minutes:.0f} min"
    if minutes < 48 * 60:
        return f"in {minutes / 60:.0f} h"
    return f"in {minutes / 1440:.0f} days"


def _charts(history) -> None:
    mastery = analytics.with_every_topic(analytics.topic_mastery(history))
    st.subheader("Mastery per topic", anchor=False)
    st.caption("Latest score on each question you answered in a topic, over (questions answered + 2): "
               "mastery needs several right answers, not one lucky one.")
    st.altair_chart(progress_charts.topic_mastery_bar_chart(mastery), width="stretch",
                    alt="Bar chart of your current mastery per topic, from 0 to 100 percent.")
    timeline = analytics.mastery_timeline(history)
    st.subheader("Over time", anchor=False)
    st.altair_chart(progress_charts.mastery_over_time_chart(timeline), width="stretch",
                    alt="Line chart of your mastery per topic at the end of each day you practised.")
    with st.expander("Data behind the charts", key="progress_data"):
        st.dataframe(mastery.assign(mastery=mastery["mastery"].round(3)), hide_index=True, width="stretch")


def render() -> None:
    st.title("My progress")
    engine = access.engine()
    if engine is None:
        return
    me = access.call(identity.current)
    identity.sync_cookie()
    history = None if me is None else access.call(attempts.history, me.id)
    if me is None or history is None or history.empty:
        st.info("No answers saved yet. Take a practice quiz: every answer is saved here and scheduled for review.",
                icon=":material/insights:")
        st.page_link(link_to("quiz"), label="Start a practice quiz", icon=":material/quiz:")
        if me is None:
            st.page_link(link_to("join"), label="Resume with a key or join a class", icon=":material/key:")
        return
    due = access.call(attempts.due_cards, me.id, default=[])
    cols = st.columns(4)
    cols[0].metric("Answers", len(history))
    cols[1].metric("Questions seen", history["question_id"].nunique())
    cols[2].metric("Mean score", percent(history["score"].mean()))
    cols[3].metric("Reviews due now", len(due))
    if due:
        st.page_link(link_to("review"), label=f"Review {len(due)} due question{'s' * (len(due) != 1)}",
                     icon=":material/event_repeat:")
    else:
        st.caption(f"Next review due {when_text(access.call(attempts.next_due, me.id))}.")
    _charts(history)
    st.subheader("Recent answers", anchor=False)
    recent = history.sort_values("answered_at", ascending=False).head(20)
    st.dataframe(recent[["answered_at", "question_id", "topic", "score"]], hide_index=True, width="stretch",
                 column_config={"score": st.column_config.ProgressColumn("Score", min_value=0.0, max_value=1.0,
                                                                         format="percent")})
    key = identity.known_key()
    if key:
        with st.expander("Continue on another device", key="progress_resume", icon=":material/key:"):
            show_key(key, fresh=False)
