"""The mock interview's final report: per question time, concepts covered and self-rating; what to practise."""

from __future__ import annotations

import math

import streamlit as st

from explainer.views.progress_views.text import md_escape
from questions import Bank
from questions.session import Run


def _plain(markdown: str, limit: int = 60) -> str:
    """Markdown prompt -> short plain text for a table cell (emphasis and math markers dropped)."""
    text = " ".join(markdown.replace("**", "").replace("`", "").replace("$", "").split())
    return text[:limit] + ("…" if len(text) > limit else "")


def _mmss(seconds: float | None) -> str:
    minutes, secs = divmod(int(seconds or 0), 60)
    return f"{minutes}:{secs:02d}"


def _percent(values: list[float]) -> str:
    """Mean of 0-100 values, rounded half up like the table's "%.0f%%" (Python's format rounds 12.5 to 12)."""
    return f"{math.floor(sum(values) / len(values) + 0.5)}%" if values else "n/a"


def render_report(bank: Bank, run: Run, state_key: str) -> None:
    """Table of every answer, averages, the concepts missed most, and a button to start again."""
    rows, missed = [], []
    for i, answered in sorted(run.answers.items()):
        q = bank.by_id[run.ids[i]]
        checked = "" if answered.raw else " (self-check)"
        rows.append({
            "question": _plain(q.prompt),
            "time": f"{_mmss(answered.seconds)} / {_mmss(q.time_limit_s)}",
            "over time": answered.over_time,
            "concepts covered": f"{len(answered.grade.hits)} of {len(q.rubric)}{checked}",
            "coverage": 100 * answered.grade.score,
            "self-rating": None if answered.rating is None else 100 * answered.rating,
        })
        missed += answered.grade.misses
    st.header("Interview report", anchor=False)
    coverage = [r["coverage"] for r in rows]
    ratings = [r["self-rating"] for r in rows if r["self-rating"] is not None]
    left, mid, right = st.columns(3)
    left.metric("Concept coverage", _percent(coverage))
    mid.metric("Self-rating", _percent(ratings))
    right.metric("Over time", f"{sum(r['over time'] for r in rows)} of {len(rows)}")
    percent = {"min_value": 0, "max_value": 100, "format": "%.0f%%"}  # whole percents, as in the metrics
    st.dataframe(rows, hide_index=True, width="stretch", column_config={
        "question": st.column_config.TextColumn("question", width="medium"),
        "coverage": st.column_config.ProgressColumn("coverage", **percent),
        "self-rating": st.column_config.ProgressColumn("self-rating", **percent),
    })
    if missed:
        st.markdown("**Concepts to work on:** " + ", ".join(md_escape(c) for c in dict.fromkeys(missed)))
    if st.button("New interview", type="primary", key="mock_new", icon=":material/restart_alt:"):
        st.session_state[state_key] = None
        st.rerun()
