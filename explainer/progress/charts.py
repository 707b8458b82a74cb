"""Progress and class charts: DataFrame (from explainer.progress.analytics) -> alt.Chart. No Streamlit here."""

from __future__ import annotations

import altair as alt
import pandas as pd

from explainer.progress.analytics import TOPIC_ORDER, TOPIC_TITLE

_PCT = alt.Axis(format="%")
_MASTERY_SCALE = alt.Scale(domain=[0, 1], scheme="blues")


def _titled(df: pd.DataFrame) -> pd.DataFrame:
    return df.assign(topic_title=df["topic"].map(lambda s: TOPIC_TITLE.get(s, s)))


def _topic_titles(df: pd.DataFrame) -> list[str]:
    present = set(df["topic"])
    return [TOPIC_TITLE[t] for t in TOPIC_ORDER if t in present] + sorted(
        TOPIC_TITLE.get(t, t) for t in present if t not in TOPIC_ORDER)


def mastery_over_time_chart(timeline: pd.DataFrame) -> alt.Chart:
    """One line per topic: mastery (0-100 %) at the end of each active day."""
    df = _titled(timeline)
    return alt.Chart(df).mark_line(point=True).encode(
        x=alt.X("day:T", title="Day"),
        y=alt.Y("mastery:Q", title="Mastery", scale=alt.Scale(domain=[0, 1]), axis=_PCT),
        color=alt.Color("topic_title:N", title="Topic", sort=_topic_titles(df)),
        tooltip=[alt.Tooltip("day:T", title="Day"), alt.Tooltip("topic_title:N", title="Topic"),
                 alt.Tooltip("mastery:Q", title="Mastery", format=".0%"),
                 alt.Tooltip("answered:Q", title="Questions answered")],
    ).properties(height=320)


def topic_mastery_bar_chart(mastery: pd.DataFrame) -> alt.Chart:
    """Current mastery per topic as horizontal bars, in the course's topic order."""
    df = _titled(mastery)
    base = alt.Chart(df).encode(
        y=alt.Y("topic_title:N", title=None, sort=_topic_titles(df), axis=alt.Axis(labelLimit=320)),
        x=alt.X("mastery:Q", title="Mastery", scale=alt.Scale(domain=[0, 1]), axis=_PCT),
        tooltip=[alt.Tooltip("topic_title:N", title="Topic"), alt.Tooltip("mastery:Q", format=".0%"),
                 alt.Tooltip("answered:Q", title="Questions answered")],
    )
    bars = base.mark_bar().encode(color=alt.Color("mastery:Q", scale=_MASTERY_SCALE, legend=None))
    labels = base.mark_text(align="left", dx=4, fontSize=11).encode(
        text=alt.condition("datum.answered > 0", alt.Text("mastery:Q", format=".0%"), alt.value("not started")))
    return (bars + labels).properties(height=alt.Step(22))


def mastery_heatmap_chart(heat: pd.DataFrame) -> alt.Chart:
    """Learners x topics, coloured by mastery: where the class is strong or stuck."""
    df = _titled(heat)
    base = alt.Chart(df).encode(
        x=alt.X("topic_title:N", title=None, sort=_topic_titles(df), axis=alt.Axis(labelAngle=-35)),
        y=alt.Y("learner:N", title=None, sort="ascending"),
    )
    cells = base.mark_rect().encode(
        color=alt.Color("mastery:Q", title="Mastery", scale=_MASTERY_SCALE, legend=alt.Legend(format="%")),
        tooltip=[alt.Tooltip("learner:N"), alt.Tooltip("topic_title:N", title="Topic"),
                 alt.Tooltip("mastery:Q", format=".0%"), alt.Tooltip("answered:Q", title="Questions answered")],
    )
    labels = base.mark_text(fontSize=11).encode(
        text=alt.Text("mastery:Q", format=".0%"),
        color=alt.condition("datum.mastery > 0.6", alt.value("white"), alt.value("black")),
    )
    return (cells + labels).properties(height=alt.Step(24))


def question_accuracy_chart(accuracy: pd.DataFrame, top: int = 20) -> alt.Chart:
    """The `top` hardest questions (lowest mean score) as bars, hardest at the top."""
    df = _titled(accuracy.head(top))
    base = alt.Chart(df).encode(
        y=alt.Y("question_id:N", title=None, sort=list(df["question_id"]), axis=alt.Axis(labelLimit=320)),
        x=alt.X("accuracy:Q", title="Mean score", scale=alt.Scale(domain=[0, 1]), axis=_PCT),
        tooltip=["question_id:N", alt.Tooltip("topic_title:N", title="Topic"),
                 alt.Tooltip("accuracy:Q", title="Mean score", format=".0%"), "attempts:Q", "learners:Q"],
    )
    bars = base.mark_bar().encode(color=alt.Color("topic_title:N", title="Topic"))
    labels = base.mark_text(align="left", dx=4, fontSize=11).encode(text=alt.Text("accuracy:Q", format=".0%"))
    return (bars + labels).properties(height=alt.Step(20))


def score_distribution_chart(dist: pd.DataFrame) -> alt.Chart:
    """Histogram of learners' mean scores in 10 % bins."""
    return alt.Chart(dist).mark_bar().encode(
        x=alt.X("bin_start:Q", title="Mean score", bin="binned", axis=_PCT, scale=alt.Scale(domain=[0, 1])),
        x2="bin_end:Q",
        y=alt.Y("learners:Q", title="Learners", axis=alt.Axis(tickMinStep=1)),
        tooltip=[alt.Tooltip("bin_start:Q", title="From", format=".0%"),
                 alt.Tooltip("bin_end:Q", title="To", format=".0%"), "learners:Q"],
    ).properties(height=220)


def activity_chart(activity: pd.DataFrame) -> alt.Chart:
    """Answers per day (bars) with active learners in the tooltip: participation over time."""
    return alt.Chart(activity).mark_bar().encode(
        x=alt.X("yearmonthdate(day):O", title="Day", axis=alt.Axis(format="%b %d", labelAngle=0)),
        y=alt.Y("answers:Q", title="Answers", axis=alt.Axis(tickMinStep=1)),
        tooltip=[alt.Tooltip("day:T", title="Day"), "answers:Q", alt.Tooltip("learners:Q", title="Active learners")],
    ).properties(height=200)
