"""Quiz assembly (filters, seed, topic balance), the scoring summary and "retry what I missed"."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from questions import Result, assemble, load_banks, missed, summarize
from questions.loader import BUILTIN_DIR
from questions.quiz import option_order


@pytest.fixture(scope="module")
def questions():
    return load_banks([BUILTIN_DIR]).questions


def test_same_seed_same_quiz_whatever_the_bank_order(questions):
    """Identical arguments give the identical quiz, even if the bank lists questions in another order."""
    shuffled = list(questions)
    random.Random(7).shuffle(shuffled)
    a = assemble(questions, count=10, seed=42)
    b = assemble(shuffled, count=10, seed=42)
    assert [q.id for q in a] == [q.id for q in b]
    assert len({q.id for q in a}) == 10


def test_different_seeds_give_different_quizzes(questions):
    """Another seed picks or orders the questions differently."""
    ids = [[q.id for q in assemble(questions, count=10, seed=seed)] for seed in (1, 2)]
    assert ids[0] != ids[1]


def test_filters_by_topic_difficulty_and_type(questions):
    """Only questions matching every non-empty filter are chosen."""
    quiz = assemble(questions, count=50, seed=0, topics={"rnn", "clipping"}, difficulties={"medium"})
    assert quiz and all(q.topic in {"rnn", "clipping"} and q.difficulty == "medium" for q in quiz)
    frees = assemble(questions, count=5, seed=0, types={"free_response"})
    assert len(frees) == 5 and all(q.type == "free_response" for q in frees)


def test_topics_are_spread_evenly(questions):
    """A 12-question quiz over all 12 topics takes one question from each."""
    quiz = assemble(questions, count=12, seed=3)
    assert set(Counter(q.topic for q in quiz).values()) == {1}


def test_count_larger_than_pool_returns_the_whole_pool(questions):
    """Asking for more questions than match returns every match once; an empty filter result is empty."""
    pool = [q for q in questions if q.topic == "overview"]
    assert sorted(q.id for q in assemble(questions, count=500, seed=0, topics={"overview"})) == sorted(
        q.id for q in pool)
    assert assemble(questions, count=5, seed=0, topics={"no-such-topic"}) == []


def test_summary_totals_per_topic_per_difficulty_and_time():
    """The summary adds scores, counts full-credit answers, groups by topic and difficulty, and sums time."""
    results = [
        Result("a", "rnn", "easy", 1.0, 10.0),
        Result("b", "rnn", "hard", 0.5, 20.0),
        Result("c", "clipping", "easy", 0.0, None),
        Result("d", "clipping", "medium", 1.0, 5.5),
    ]
    s = summarize(results)
    assert (s.count, s.score, s.correct, s.seconds) == (4, 2.5, 2, 35.5)
    assert s.percent == pytest.approx(62.5)
    assert [(b.name, b.count, b.score) for b in s.by_topic] == [("clipping", 2, 1.0), ("rnn", 2, 1.5)]
    assert [(b.name, b.percent) for b in s.by_difficulty] == [("easy", 50.0), ("medium", 100.0), ("hard", 50.0)]


def test_empty_summary():
    """No answers: zero everywhere, no division by zero."""
    s = summarize([])
    assert (s.count, s.percent, s.by_topic, s.by_difficulty) == (0, 0.0, (), ())


def test_missed_lists_partial_and_wrong_answers_once_in_order():
    """Retry-missed takes every answer below full credit, in quiz order, without duplicates."""
    results = [Result("a", "t", "easy", 1.0), Result("b", "t", "easy", 0.4), Result("c", "t", "easy", 0.0),
               Result("b", "t", "easy", 0.0)]
    assert missed(results) == ["b", "c"]


def test_option_order_is_a_stable_seeded_shuffle(questions):
    """Choice options are a permutation seeded by salt + id: the same every rerun (and in any process: string
    seeds are hashed with SHA-512, not Python's salted hash), and another salt reorders most questions."""
    choice = [q for q in questions if getattr(q, "options", None)]
    for q in choice:
        order = option_order(q, "19:quiz_q0")
        assert sorted(order) == list(range(len(q.options)))
        assert order == option_order(q, "19:quiz_q0")
    moved = sum(option_order(q, "a") != option_order(q, "b") for q in choice)
    assert moved > 0.8 * len(choice)


def test_option_order_keeps_the_authored_order_when_asked(questions):
    q = next(q for q in questions if q.type == "single_choice").model_copy(update={"shuffle": False})
    assert option_order(q, "any salt") == list(range(len(q.options)))
    assert option_order(next(q for q in questions if q.type == "numeric"), "s") == []
