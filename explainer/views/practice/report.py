"""The mock interview's final report: per question time, claims stated, self-rating vs the automatic suggestion."""

from __future__ import annotations

import streamlit as st

from explainer.progress import srs
from explainer.views.practice import selfrate
from explainer.views.progress.text import md_escape
from questions import Bank
from questions.quiz import percent
from questions.session import Run


def _plain(markdown: str, limit: int = 60) -> str:
    """Markdown prompt -> short plain text for a table cell (emphasis and math markers dropped)."""
    text = " ".join(markdown.replace("**", "").replace("`", "").replace("$", "").split())
    return text[:limit] + ("…" if len(text) > limit else "")


def _mmss(seconds: float | None) -> str:
    minutes, secs = divmod(int(seconds or 0), 60)
    return f"{minutes}:{secs:02d}"


def _mean_percent(fractions: list[float]) -> str:
    return percent(sum(fractions) / len(fractions)) if fractions else "n/a"


def render_report(bank: Bank, run: Run, state_key: str) -> None:
    """Table of every answer, averages, the claims missed most, and a button to start again."""
    rows, missed, agree = [], [], []
    for i, answered in sorted(run.answers.items()):
        q = bank.by_id[run.ids[i]]
        checked = "" if answered.raw else " (self-check)"
        core = [c for c in q.rubric if not c.bonus]
        suggested = selfrate.suggestion(answered.grade, answered.seconds)
        if answered.self_rating is not None and answered.raw:
            agree.append(answered.self_rating == suggested)
        rows.append({
            "question": _plain(q.prompt),
            "time": f"{_mmss(answered.seconds)} / {_mmss(q.time_limit_s)}",
            "over time": answered.over_time,
            "claims stated": f"{sum(c.claim in answered.grade.hits for c in core)} of {len(core)}{checked}",
            "auto score": 100 * answered.grade.score,
            "suggested": srs.SELF_RATINGS[suggested] if answered.raw else "—",
            "your rating": selfrate.label(answered.self_rating),
        })
        missed += [c for c in answered.grade.misses if c in {x.claim for x in core}]
    st.header("Interview report", anchor=False)
    answers = run.answers.values()
    left, mid, right = st.columns(3)
    left.metric("Automatic score", _mean_percent([a.grade.score for a in answers]))
    mid.metric("You agreed with the suggestion", f"{sum(agree)} of {len(agree)}" if agree else "n/a")
    right.metric("Over time", f"{sum(r['over time'] for r in rows)} of {len(rows)}")
    whole = {"min_value": 0, "max_value": 100, "format": "%.0f%%"}  # whole percents, rounded as `percent` does
    st.dataframe(rows, hide_index=True, width="stretch", column_config={
        "question": st.column_config.TextColumn("question", width="medium"),
        "auto score": st.column_config.ProgressColumn("auto score", **whole),
    })
    if missed:
        st.markdown("**Claims to work on:** " + ", ".join(md_escape(c) for c in dict.fromkeys(missed)))
    if st.button("New interview", type="primary", key="mock_new", icon=":material/restart_alt:"):
        st.session_state[state_key] = None
        st.rerun()
