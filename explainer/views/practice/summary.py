"""The end of a practice quiz: score, time, per-topic chart, per-difficulty table, every mistake, retry missed."""

from __future__ import annotations

import streamlit as st

from explainer.progress import quiz_charts as charts
from explainer.views.practice import question as qv
from questions import Bank, summarize
from questions.session import Run


def _clock(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes} min {secs:02d} s" if minutes else f"{secs} s"


def _review_mistakes(bank: Bank, run: Run) -> None:
    mistakes = [(i, a) for i, a in sorted(run.answers.items()) if not a.grade.correct]
    st.subheader(f"Review: {len(mistakes)} to revisit" if mistakes else "No mistakes: well done", anchor=False)
    for i, answered in mistakes:
        q = bank.by_id[run.ids[i]]
        with st.container(border=True, key=f"quiz_review_{i}"):
            qv.render_prompt(q, f"Question {i + 1} · score {answered.grade.score:.2f}")
            qv.render_feedback(q, answered)


def render_summary(bank: Bank, run: Run, state_key: str) -> None:
    """Everything after the last question; buttons restart with the missed questions or a new quiz."""
    results = run.results(bank.by_id)
    s = summarize(results)
    st.header("Results", anchor=False)
    cols = st.columns(4)
    cols[0].metric("Score", f"{s.score:.2f} / {s.count}")
    cols[1].metric("Percent", f"{s.percent:.0f}%")
    cols[2].metric("Fully correct", f"{s.correct} of {s.count}")
    cols[3].metric("Time", _clock(s.seconds))
    st.caption(" · ".join(f"{b.name.capitalize()}: {b.score:.2f} / {b.count}" for b in s.by_difficulty))
    frame = charts.topic_frame(s)
    st.altair_chart(charts.topic_chart(frame), width="stretch", alt=charts.chart_alt_text(frame))
    with st.expander("Per topic and per difficulty (table)", key="quiz_tables"):
        st.dataframe(frame, hide_index=True, width="stretch")
        st.dataframe([{"difficulty": b.name, "questions": b.count, "score": round(b.score, 2),
                       "percent": round(b.percent, 1)} for b in s.by_difficulty], hide_index=True, width="stretch")
    missed = run.retry_missed(bank.by_id)
    left, right = st.columns(2)
    if left.button(f"Retry missed ({len(missed.ids)})", key="quiz_retry", disabled=not missed.ids,
                   icon=":material/replay:", width="stretch"):
        st.session_state[state_key] = missed
        st.rerun()
    if right.button("New quiz", key="quiz_new", icon=":material/add:", width="stretch"):
        st.session_state[state_key] = None
        st.rerun()
    _review_mistakes(bank, run)
