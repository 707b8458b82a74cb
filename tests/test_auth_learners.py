"""Learner access through the real pages (AppTest): a learner sees only their own progress, names grant
nothing, class codes are checked, and resume keys are random."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from explainer.store import attempts, get_engine, learners
from explainer.store.attempts import AttemptIn
from explainer.store.tables import Learner
from tests.conftest import app_test

CODE = "ML101"


@pytest.fixture
def two_learners(app_db, monkeypatch):
    """Alice and Bob in the class, each with their own answers; returns their resume keys."""
    monkeypatch.setenv("GRADIENT_LAB_CLASS_CODE", CODE)
    engine = get_engine()
    room = learners.class_id_for(engine, CODE, create=True)
    keys = {}
    for name, qids in (("Alice", ["alice-q1", "alice-q2"]), ("Bob", ["bob-q1"])):
        me, keys[name] = learners.create_learner(engine, name, room)
        for q in qids:
            attempts.record_attempt(engine, me.id, AttemptIn(q, "rnn", "x", 1.0))
    return keys


def _learner_count() -> int:
    with get_engine().connect() as conn:
        return conn.scalar(select(func.count()).select_from(Learner))


def _progress_text(at) -> str:
    return " ".join(str(d.value.to_dict()) for d in at.dataframe) + " ".join(m.value for m in at.markdown)


def test_each_key_opens_only_its_own_progress(two_learners):
    """Alice's key shows Alice's two answers and none of Bob's questions."""
    at = app_test("explainer/pages/progress.py", query={"resume": two_learners["Alice"]})
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Answers"] == "2"
    text = _progress_text(at)
    assert "alice-q1" in text and "bob-q1" not in text


def test_typing_someone_elses_name_creates_a_new_learner(two_learners):
    """Joining as 'Bob' with the right code makes a new, empty learner; Bob's progress stays out of reach."""
    at = app_test("explainer/pages/join.py")
    at.text_input(key="join_code").set_value(CODE)
    at.text_input(key="join_name").set_value("Bob")
    at.button(key="join_submit").click().run()
    assert not at.exception and _learner_count() == 3
    new_key = at.code[0].value
    assert new_key != two_learners["Bob"] and "bob" not in new_key.lower()
    at.switch_page("explainer/pages/progress.py").run()
    assert not at.metric and "bob-q1" not in _progress_text(at)


def test_a_name_is_not_a_resume_key(two_learners):
    """?resume=Bob (or Bob's name padded to key length) resumes nobody and says so."""
    for guess in ("Bob", "Bob" * 8):
        at = app_test("explainer/pages/progress.py", query={"resume": guess})
        assert at.error and "not known" in at.error[0].value
        assert not at.metric


def test_wrong_class_code_creates_nobody(two_learners):
    """A wrong class code is refused and no learner is created."""
    at = app_test("explainer/pages/join.py")
    at.text_input(key="join_code").set_value("ML102")
    at.text_input(key="join_name").set_value("Mallory")
    at.button(key="join_submit").click().run()
    assert at.error and "class code is not right" in at.error[0].value
    assert _learner_count() == 2


def test_resume_form_and_forget(two_learners):
    """The resume form opens Bob's progress with Bob's key; 'Forget me' detaches this browser again."""
    at = app_test("explainer/pages/join.py")
    at.text_input(key="resume_key_input").set_value(two_learners["Bob"])
    at.button(key="resume_submit").click().run()
    assert "Welcome back, Bob" in at.success[0].value
    at.button(key="forget_me").click().run()
    assert "_gl_learner" not in at.session_state
    at.switch_page("explainer/pages/progress.py").run()
    assert not at.metric


def test_self_study_progress_comes_along_when_joining(two_learners):
    """A learner who practised before joining keeps their answers in the class (same learner, same key)."""
    engine = get_engine()
    me, key = learners.create_learner(engine)
    attempts.record_attempt(engine, me.id, AttemptIn("early-q", "rnn", "x", 1.0))
    at = app_test("explainer/pages/join.py", query={"resume": key})
    at.text_input(key="join_code").set_value("ml 101")
    at.text_input(key="join_name").set_value("Carol")
    at.button(key="join_submit").click().run()
    assert not at.exception
    ref = learners.by_resume_key(engine, key)
    assert ref.display_name == "Carol" and ref.class_id is not None and _learner_count() == 3
