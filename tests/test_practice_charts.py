"""The quiz summary chart: per-topic frame, bar encodings, colour levels, and the screen-reader sentence."""

from __future__ import annotations

from explainer.progress import quiz_charts as charts
from questions import Result, summarize

RESULTS = [Result("a", "rnn", "easy", 1.0), Result("b", "rnn", "hard", 0.5), Result("c", "clipping", "easy", 0.0)]


def test_topic_frame_rows():
    """One row per topic with its title, count, summed score, percent and level."""
    frame = charts.topic_frame(summarize(RESULTS))
    assert frame.to_dict("records") == [
        {"topic": "Gradient clipping", "questions": 1, "score": 0.0, "percent": 0.0, "level": "below 50%"},
        {"topic": "Recurrent nets and LSTM/GRU gating", "questions": 2, "score": 1.5, "percent": 75.0,
         "level": "50-79%"},
    ]


def test_topic_chart_spec():
    """Bars: topic on y sorted by score, percent on a fixed 0-100 x axis, a colour per level, tooltips."""
    spec = charts.topic_chart(charts.topic_frame(summarize(RESULTS))).to_dict()
    enc = spec["encoding"]
    assert spec["mark"]["type"] == "bar"
    assert enc["y"]["field"] == "topic" and enc["y"]["sort"] == "-x"
    assert enc["x"]["field"] == "percent" and enc["x"]["scale"]["domain"] == [0, 100]
    assert enc["color"]["scale"]["domain"] == list(charts.LEVELS)
    assert {t["field"] for t in enc["tooltip"]} == {"topic", "questions", "score", "percent"}


def test_alt_text_is_computed_from_the_data():
    """The alt sentence lists topics best first; an empty quiz says so."""
    frame = charts.topic_frame(summarize(RESULTS))
    expected = "Score per topic: Recurrent nets and LSTM/GRU gating 75%, Gradient clipping 0%."
    assert charts.chart_alt_text(frame) == expected
    assert charts.chart_alt_text(charts.topic_frame(summarize([]))) == "No answers yet."
