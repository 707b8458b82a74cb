"""The class's live answers tallied per option (every question type) and drawn without giving the key away."""

from __future__ import annotations

import pytest

from explainer.live import charts, tally
from questions import load_banks
from questions.loader import default_paths
from questions.quiz import grade, option_order

BANK = load_banks(default_paths())


def first(kind: str):
    return next(q for q in BANK.questions if q.type == kind)


@pytest.mark.parametrize("value", [2, {3, 0}, True, "1/4", None, "The gradient shrinks."])
def test_encode_then_decode_gives_back_the_form_value(value):
    """What the store keeps of an answer decodes to the same value (a multiple-choice answer as a set)."""
    q = first("multiple_choice") if isinstance(value, set) else first("single_choice")
    assert tally.decode(q, tally.encode(value)) == value


def test_choice_bars_follow_the_display_order_and_mark_the_key():
    """A predict question: one bar per option in the shuffled order the phones show, lettered A, B, …,
    counts per option, the key marked, skips on their own bar."""
    q = first("predict")
    order = option_order(q, "live")
    picks = [order[0], order[0], q.answer, None]
    frame = tally.tally(q, [(tally.encode(p), grade(q, p).score) for p in picks], order)
    assert frame["option"].str[0].tolist()[:len(order)] == [tally.letter(i) for i in range(len(order))]
    counts = dict(zip(frame["position"], frame["count"], strict=True))
    key_position = order.index(q.answer)
    assert counts[0] == 2 + (key_position == 0) and counts[key_position] == 1 + 2 * (key_position == 0)
    assert frame["correct"].tolist()[:len(order)] == [i == q.answer for i in order]
    assert frame.iloc[-1].tolist() == [len(order), tally.SKIPPED, 1, False]


def test_multiple_choice_counts_each_picked_option():
    """Two learners picking {0, 1} and {1}: option 0 counted once, option 1 twice; every key marked."""
    q = first("multiple_choice")
    frame = tally.tally(q, [(tally.encode({0, 1}), 0.5), (tally.encode({1}), 0.5)])
    assert frame["count"].tolist()[:2] == [1, 2]
    assert frame["correct"].tolist() == [i in q.answers for i in range(len(q.options))]


def test_true_false_has_two_bars():
    q = first("true_false")
    frame = tally.tally(q, [("true", 0.0), ("true", 0.0), ("false", 1.0)])
    assert frame[["option", "count", "correct"]].values.tolist() == [
        ["True", 2, q.answer], ["False", 1, not q.answer]]


def test_numeric_answers_group_by_value_and_mark_those_within_tolerance():
    """The key written in scientific and in decimal form is one bar; correct where the grader accepts the value."""
    q = next(q for q in BANK.questions if q.type == "numeric" and "scientific" in q.accept)
    typed = [f"{q.value:e}", f"{q.value:.12f}".rstrip("0"), f"{q.value * 10 + 1:g}"]
    frame = tally.tally(q, [(tally.encode(t), grade(q, t).score) for t in typed])
    assert frame["count"].sum() == 3 and len(frame) == 2
    assert frame.loc[frame["count"] == 2, "correct"].item()


def test_numeric_answers_beyond_the_bar_limit_share_an_other_bar():
    q = first("numeric")
    typed = [str(i) for i in range(tally.MAX_NUMERIC_BARS + 3)]
    frame = tally.tally(q, [(tally.encode(t), 0.0) for t in typed])
    assert len(frame) == tally.MAX_NUMERIC_BARS + 1 and frame.iloc[-1]["option"] == "other"
    assert frame.iloc[-1]["count"] == 3


def test_free_responses_are_banded_by_credit():
    q = first("free_response")
    frame = tally.tally(q, [('"a"', 1.0), ('"b"', 0.4), ('"c"', 0.0), ('"d"', 0.0)])
    assert frame[["option", "count"]].values.tolist() == [["full credit", 1], ["partial credit", 1],
                                                        ["no credit", 2]]


def test_the_chart_colours_the_key_only_after_reveal():
    """Before reveal one colour for every bar (nothing given away); after it the key and the rest differ."""
    q = first("single_choice")
    frame = tally.tally(q, [(tally.encode(q.answer), 1.0)])
    hidden = charts.tally_chart(frame, revealed=False).to_dict()
    shown = charts.tally_chart(frame, revealed=True).to_dict()
    hidden_scale = hidden["layer"][0]["encoding"]["color"]["scale"]
    shown_scale = shown["layer"][0]["encoding"]["color"]["scale"]
    assert hidden_scale["domain"] == ["answers"] and shown_scale["domain"] == ["correct", "other"]


def test_summary_names_the_key_only_when_revealed():
    q = first("true_false")
    frame = tally.tally(q, [("true", 0.0)])
    assert "Correct" not in tally.summary(frame, 1, revealed=False)
    assert tally.summary(frame, 1, revealed=True).endswith(f"Correct: {'True' if q.answer else 'False'}.")
    assert tally.summary(frame, 0, revealed=True) == "No answers yet."
