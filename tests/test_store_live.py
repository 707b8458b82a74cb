"""Live sessions and lessons in the store, on SQLite and PostgreSQL: one live session at a time, steps and
reveals, one answer per learner and step recorded together with its attempt, and stored lessons."""

from __future__ import annotations

import threading

import pytest

from explainer.core.urls import JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH
from explainer.store import attempts, learners, lessons, live
from explainer.store.attempts import AttemptIn

YAML = "title: Week 3\nsteps:\n  - learn: vanishing\n  - question: van-sigmoid-max\n"


def _attempt(score: float = 1.0) -> AttemptIn:
    return AttemptIn("van-sigmoid-max", "vanishing", "0.25", score)


def _at_question(engine) -> live.LiveState:
    """A live session moved to step 1 (the question step of YAML)."""
    state = live.start(engine, "week-3", YAML)
    return live.go_to(engine, state.id, 1, 2)


def test_start_gives_a_join_code_and_the_first_step(engine):
    """A started session is live at step 0 with nothing revealed, and is found by its code however it is typed."""
    state = live.start(engine, "week-3", YAML)
    assert len(state.code) == JOIN_CODE_LENGTH and set(state.code) <= set(JOIN_CODE_ALPHABET)
    assert (state.step, state.revealed, state.ended, state.lesson_yaml) == (0, frozenset(), False, YAML)
    assert live.active(engine) == state
    typed = f" {state.code[:3].lower()}-{state.code[3:]} "
    assert live.by_code(engine, typed) == state
    assert live.by_code(engine, "nope") is None


def test_starting_a_session_ends_the_previous_one(engine):
    """At most one session is live: the old code stops working, the new one is active."""
    old = live.start(engine, "week-3", YAML)
    new = live.start(engine, "week-4", YAML)
    assert new.code != old.code
    assert live.active(engine).id == new.id
    assert live.by_code(engine, old.code) is None
    assert live.get(engine, old.id).ended


def test_steps_are_clamped_and_every_change_bumps_the_version(engine):
    """go_to keeps the step inside the lesson; each change (move, reveal) increases the version."""
    state = live.start(engine, "week-3", YAML)
    moved = live.go_to(engine, state.id, 7, 2)
    assert moved.step == 1 and moved.version == state.version + 1
    assert live.go_to(engine, state.id, -3, 2).step == 0
    revealed = live.reveal(engine, state.id)
    assert revealed.revealed == frozenset({0}) and revealed.is_revealed and revealed.version == state.version + 3
    assert not live.go_to(engine, state.id, 1, 2).is_revealed


def test_an_answer_is_recorded_once_and_as_an_attempt(engine):
    """The first answer is stored with its attempt (history and review card); a second one is refused and
    leaves the first in place, with no second attempt."""
    state = _at_question(engine)
    me, _ = learners.create_learner(engine, "Ada")
    assert live.answer(engine, state.id, 1, me.id, "1", _attempt(1.0))
    assert not live.answer(engine, state.id, 1, me.id, "2", _attempt(0.0))
    assert live.my_answer(engine, state.id, 1, me.id) == ("1", 1.0)
    assert live.answers(engine, state.id, 1) == [("1", 1.0)]
    history = attempts.history(engine, me.id)
    assert history["question_id"].tolist() == ["van-sigmoid-max"] and history["score"].tolist() == [1.0]
    assert attempts.card_json(engine, me.id, "van-sigmoid-max") is not None


@pytest.mark.parametrize("close", ["other step", "revealed", "ended"])
def test_a_closed_question_takes_no_answer(engine, close):
    """Answers to a step that is not on the projector, was revealed, or whose session ended are refused,
    and nothing is recorded (no live answer, no attempt)."""
    state = _at_question(engine)
    me, _ = learners.create_learner(engine, "Bo")
    step = 0 if close == "other step" else 1
    if close == "revealed":
        live.reveal(engine, state.id)
    elif close == "ended":
        live.end(engine, state.id)
    with pytest.raises(live.QuestionClosed):
        live.answer(engine, state.id, step, me.id, "1", _attempt())
    assert live.answers(engine, state.id, step) == []
    assert attempts.history(engine, me.id).empty


def test_answers_from_many_learners_at_once_are_all_counted(engine):
    """Twelve learners answering in the same instant (threads, separate connections): twelve answers and
    twelve attempts, as when a class answers together on several replicas."""
    state = _at_question(engine)
    people = [learners.create_learner(engine, f"L{i}")[0] for i in range(12)]
    barrier = threading.Barrier(len(people))
    errors: list[BaseException] = []

    def send(me, i):
        barrier.wait()
        try:
            live.answer(engine, state.id, 1, me.id, str(i % 3), _attempt(float(i % 3 == 1)))
        except BaseException as exc:  # noqa: BLE001 (asserted below)
            errors.append(exc)

    threads = [threading.Thread(target=send, args=(me, i)) for i, me in enumerate(people)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    assert sorted(a for a, _ in live.answers(engine, state.id, 1)) == sorted(str(i % 3) for i in range(12))
    assert sum(len(attempts.history(engine, me.id)) for me in people) == 12


def test_lessons_are_saved_replaced_listed_and_deleted(engine):
    """A lesson is stored under its title's slug; saving the same title replaces it; delete removes it."""
    assert not lessons.save_lesson(engine, "Week 3: Clipping", YAML, 2)
    assert lessons.save_lesson(engine, "Week 3: clipping!", YAML + "  - learn: exploding\n", 3)
    assert [(x.slug, x.step_count) for x in lessons.list_lessons(engine)] == [("week-3-clipping", 3)]
    assert lessons.get_lesson(engine, "week-3-clipping").yaml_text.endswith("exploding\n")
    assert lessons.delete_lesson(engine, "week-3-clipping")
    assert lessons.get_lesson(engine, "week-3-clipping") is None


def test_a_change_to_an_ended_session_is_refused(engine):
    """Moving or revealing an ended session raises LookupError (the page explains), and no session is active."""
    state = live.start(engine, "week-3", YAML)
    live.end(engine, state.id)
    assert live.active(engine) is None
    with pytest.raises(LookupError):
        live.go_to(engine, state.id, 1, 2)
