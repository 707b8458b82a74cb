"""Presenter and Live session pages under AppTest, on SQLite and PostgreSQL: the presenter starts a lesson and
moves through it; a learner joins with the code, answers a question once; the projector counts it; Reveal
shows the key on both screens. Two AppTests are two browser sessions sharing one database."""

from __future__ import annotations

import pytest

from explainer.core.sitemap import LAB_PATHS
from explainer.store import attempts, get_engine, lessons, live
from explainer.views.instructor import page as instructor
from explainer.views.live import present_steps
from questions import load_banks
from questions.loader import default_paths
from tests.conftest import app_test

PRESENT = "explainer/pages/present.py"
LIVE = "explainer/pages/live.py"
SECRET = "correct-horse-battery-staple"
BANK = load_banks(default_paths())
CHOICE = next(q for q in BANK.questions if q.type == "single_choice")
PREDICT = next(q for q in BANK.questions if q.type == "predict" and q.preset.page == "lab-activations")
LESSON = f"""\
title: Live test lesson
steps:
  - learn: vanishing
  - question: {CHOICE.id}
  - lab: lab-activations
    params: {{activation: relu, depth: 6, width: 16, seeds: 2, batch_size: 16}}
  - question: {PREDICT.id}
"""


@pytest.fixture
def stored_lesson(app_db, monkeypatch):
    """The instructor secret configured and one lesson stored (learn, question, lab steps)."""
    monkeypatch.setenv("GRADIENT_LAB_INSTRUCTOR_SECRET", SECRET)
    monkeypatch.setattr(instructor, "_failures", type(instructor._failures)())
    engine = get_engine()
    lessons.save_lesson(engine, "Live test lesson", LESSON, 4)
    return engine


def presenter():
    """The Presenter page after signing in."""
    at = app_test(PRESENT)
    at.text_input(key="instructor_secret_input").set_value(SECRET)
    at.button(key="instructor_login").click().run()
    return at


def started(engine):
    """A signed-in presenter who started the stored lesson, and the live state."""
    at = presenter()
    at.button(key="present_start").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at, live.active(engine)


def joined(code: str, name: str = "Ada Live"):
    """A learner's Live session page after joining with `code` under `name`."""
    at = app_test(LIVE)
    at.text_input(key="live_code").set_value(code.lower())
    at.text_input(key="live_name").set_value(name)
    at.button(key="live_join").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_presenter_needs_the_instructor_secret(stored_lesson):
    """Without signing in: the sign-in form, no lesson, no start button."""
    at = app_test(PRESENT)
    assert not at.exception
    assert at.text_input(key="instructor_secret_input") is not None
    assert not [b for b in at.button if b.key == "present_start"]


def test_starting_shows_the_code_the_qr_code_and_the_first_step(stored_lesson):
    """Start: the session is in the store at step 0; the projector shows its code, a QR image and the Learn page."""
    at, state = started(stored_lesson)
    assert state is not None and state.step == 0 and state.lesson_slug == "live-test-lesson"
    text = "\n".join(m.value for m in at.markdown)
    assert state.code in text
    assert len(at.get("image")) == 1
    assert at.title[0].value == "Vanishing gradients"


def test_next_and_previous_move_the_step_in_the_store(stored_lesson):
    """The step buttons change the shared state; a fresh presenter session (a refresh) shows the same step."""
    at, state = started(stored_lesson)
    at.button(key="present_next").click().run()
    assert live.active(stored_lesson).step == 1
    assert [m.label for m in at.metric] == ["Answers"]
    again = presenter()
    assert [m.value for m in again.metric] == ["0"]
    at.button(key="present_prev").click().run()
    assert live.active(stored_lesson).step == 0


def test_a_learner_answers_once_and_the_projector_counts_it(stored_lesson):
    """The learner joins with the code typed in lower case, sees the question the presenter opened, answers;
    the answer is an attempt in the store, the projector's count and bar show it, and the form is gone."""
    at, state = started(stored_lesson)
    at.button(key="present_next").click().run()
    phone = joined(state.code)
    key = f"live_{state.id}_1"
    phone.radio(key=f"{key}_choice").set_value(CHOICE.answer)
    phone.button(key=f"{key}_check").click().run()
    assert not phone.exception
    assert "Your answer is in" in phone.success[0].value
    assert not [r for r in phone.radio if r.key == f"{key}_choice"]
    learner_id = phone.session_state["_gl_learner"].id
    assert attempts.history(stored_lesson, learner_id)["question_id"].tolist() == [CHOICE.id]
    at.run()
    assert [m.value for m in at.metric] == ["1"] and len(at.get("vega_lite_chart")) == 1


def test_reveal_shows_the_key_on_the_projector_and_the_phone(stored_lesson):
    """After Reveal: the projector shows the answer and explanation; the learner gets feedback for their answer."""
    at, state = started(stored_lesson)
    at.button(key="present_next").click().run()
    phone = joined(state.code)
    key = f"live_{state.id}_1"
    wrong = next(i for i in range(len(CHOICE.options)) if i != CHOICE.answer)
    phone.radio(key=f"{key}_choice").set_value(wrong)
    phone.button(key=f"{key}_check").click().run()
    at.button(key="present_reveal").click().run()
    assert live.active(stored_lesson).is_revealed
    projector = "\n".join(m.value for m in at.markdown)
    assert f"**Answer:** {CHOICE.options[CHOICE.answer]}" in projector
    phone.run()
    assert phone.error and "Not quite" in phone.error[0].value


def test_phones_list_the_options_in_the_projectors_order(stored_lesson):
    """The learner's radio offers the options in the order the projector letters them A, B, …"""
    at, state = started(stored_lesson)
    at.button(key="present_next").click().run()
    phone = joined(state.code)
    radio = phone.radio(key=f"live_{state.id}_1_choice")
    listed = next(m.value for m in at.markdown if m.value.startswith("- **A**"))
    on_projector = [line.split(" · ", 1)[1] for line in listed.splitlines()]
    assert list(radio.options) == on_projector  # the radio shows each option's text (its format_func)
    assert len(on_projector) == len(CHOICE.options)


def test_a_lab_step_draws_the_labs_charts_and_a_predict_reveal_runs_its_experiment(stored_lesson):
    """Step 3 (a lab preset) shows the lab's charts; step 4 (a predict question) shows only the tally until
    Reveal, which adds the preset's experiment charts."""
    at, state = started(stored_lesson)
    at.button(key="present_next").click().run()
    at.button(key="present_next").click().run()
    assert not at.exception and at.title[0].value == "Activations"
    assert len(at.get("vega_lite_chart")) >= 2
    at.button(key="present_next").click().run()
    before = len(at.get("vega_lite_chart"))
    at.button(key="present_reveal").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.get("vega_lite_chart")) >= before + 2 and at.title[0].value == "Activations"


def test_a_wrong_code_is_refused(stored_lesson, monkeypatch):
    """A code that is not live gets a message and no session."""
    from explainer.views.live import learner

    monkeypatch.setattr(learner, "WRONG_CODE_DELAY_S", 0)
    started(stored_lesson)
    phone = app_test(LIVE)
    phone.text_input(key="live_code").set_value("ZZZZZZ")
    phone.text_input(key="live_name").set_value("Eve")
    phone.button(key="live_join").click().run()
    assert "No live session has that code" in phone.error[0].value


def test_the_scanned_link_joins_a_known_learner_without_a_form(stored_lesson):
    """A learner who already joined opening /live?code=CODE again (a reload) is back in the session at once."""
    _, state = started(stored_lesson)
    phone = joined(state.code)
    phone.session_state["_gl_live_joined"] = None
    phone.query_params["code"] = state.code
    phone.run()
    assert not [t for t in phone.text_input if t.key == "live_code"]
    assert "step 1 of 4" in phone.caption[0].value


def test_ending_the_session_tells_the_learner(stored_lesson):
    at, state = started(stored_lesson)
    phone = joined(state.code)
    at.button(key="present_end").click().run()
    assert live.active(stored_lesson) is None
    phone.run()
    assert "has ended" in phone.info[0].value


@pytest.mark.parametrize("lab", sorted(LAB_PATHS))
def test_every_lab_page_can_be_a_lesson_step(lab):
    """The projector draws a lab step with the lab view's own `body(run)`: every lab page has one."""
    assert callable(present_steps.lab_view(lab).body)
