"""Practice charts: quiz summary rows -> Altair (pure: no streamlit; unit-tested through chart.to_dict())."""

from __future__ import annotations

import altair as alt
import pandas as pd

from explainer.core.palette import BLUE, GREY, VERMILLION
from explainer.core.sitemap import TOPIC_BY_SLUG
from questions.quiz import Summary

LEVELS = ("80% or more", "50-79%", "below 50%")
LEVEL_COLORS = (BLUE, GREY, VERMILLION)


def level(percent: float) -> str:
    return LEVELS[0] if percent >= 80 else LEVELS[1] if percent >= 50 else LEVELS[2]


def topic_frame(summary: Summary) -> pd.DataFrame:
    """One row per topic: title, questions, score (sum), percent and its level (for the colour)."""
    return pd.DataFrame(
        [{"topic": TOPIC_BY_SLUG[b.name].title if b.name in TOPIC_BY_SLUG else b.name, "questions": b.count,
          "score": round(b.score, 2), "percent": round(b.percent, 1), "level": level(b.percent)}
         for b in summary.by_topic],
        columns=["topic", "questions", "score", "percent", "level"],
    )


def topic_chart(frame: pd.DataFrame) -> alt.Chart:
    """Horizontal bars of percent per topic (0-100), coloured by how well it went, with tooltips."""
    color = alt.Color("level:N", scale=alt.Scale(domain=list(LEVELS), range=list(LEVEL_COLORS)),
                      legend=alt.Legend(title=None, orient="bottom", direction="vertical"))
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y("topic:N", sort="-x", title=None, axis=alt.Axis(labelLimit=260)),
            x=alt.X("percent:Q", scale=alt.Scale(domain=[0, 100]), title="Score (%)"),
            color=color,
            tooltip=[alt.Tooltip("topic:N"), alt.Tooltip("questions:Q"), alt.Tooltip("score:Q"),
                     alt.Tooltip("percent:Q", title="percent")],
        )
        .properties(height=alt.Step(28))
    )


def chart_alt_text(frame: pd.DataFrame) -> str:
    """One sentence for screen readers, computed from the data."""
    if frame.empty:
        return "No answers yet."
    parts = [f"{r.topic} {r.percent:g}%" for r in frame.sort_values("percent", ascending=False).itertuples()]
    return "Score per topic: " + ", ".join(parts) + "."
