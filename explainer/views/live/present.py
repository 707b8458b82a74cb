"""Presenter page (behind the instructor secret): a lesson on the projector, one step at a time, in large type.

The step on screen, the reveals and the join code are the live session's row in the store: a refreshed page,
a second presenter window or another replica shows the same step (common.follow polls it). The sidebar and
header are hidden; the step buttons sit at the bottom, and → / space / ← press them.
"""

from __future__ import annotations

import contextlib

import streamlit as st
from sqlalchemy import Engine

from explainer.core.urls import live_url
from explainer.live.lessons import LabStep, LearnStep, Lesson
from explainer.store import learners, lessons, live
from explainer.store.live import LiveState
from explainer.views.instructor import page as instructor
from explainer.views.instructor import settings
from explainer.views.instructor.exports import app_address
from explainer.views.live import present_steps, projector
from explainer.views.live.common import follow, lesson_of
from explainer.views.practice.bank import active_bank
from explainer.views.progress import access
from explainer.views.progress.text import md_escape

_MSG = "_gl_present_msg"


def _flash(text: str) -> None:
    st.session_state[_MSG] = text


def _start(slug: str) -> None:
    """Start-button callback: end any live session and start this lesson at its first step."""
    info = access.call(lessons.get_lesson, slug, quiet=True)
    if info is None:
        _flash(f"No lesson {slug!r} (or the database is unreachable).")
        return
    code = settings.class_code()
    room = access.call(learners.class_id_for, code, create=True, quiet=True) if code else None
    access.call(live.start, info.slug, info.yaml_text, room, quiet=True)


def _start_panel(wanted: str | None) -> None:
    st.title("Presenter")
    stored = access.call(lessons.list_lessons, default=[])
    if not stored:
        st.info("No lessons yet: build one on the Class dashboard page, tab *Lessons and live*.",
                icon=":material/slideshow:")
        return
    slugs = [x.slug for x in stored]
    titles = {x.slug: f"{x.title} ({x.step_count} steps)" for x in stored}
    pick = st.selectbox("Lesson", slugs, index=slugs.index(wanted) if wanted in slugs else 0, key="present_lesson",
                        format_func=titles.get)
    st.caption("Starting shows a join code and its QR code on the projector; learners open Live session on "
               "their phones. Starting ends any other live session on this server.")
    st.button("Start the live session", key="present_start", type="primary", icon=":material/play_arrow:",
              on_click=_start, args=(pick,))


def _header(state: LiveState, lesson: Lesson) -> None:
    """One strip on top: the lesson and where we are; how to join (address, code, QR code) on the right."""
    address = app_address()
    url = (address or "") + live_url(state.code)
    where, join, qr = st.columns([6, 3, 1], vertical_alignment="center")
    where.caption(f"{md_escape(lesson.title)} · step {state.step + 1} of {len(lesson.steps)}")
    with join:
        st.caption(f"Join at {(address or '') + '/live'} with the code")
        st.container(key="present_code").markdown(state.code)
    qr.image(projector.qr_png(url), width=110, alt=f"QR code of {url}")


def _go(state: LiveState, to: int, count: int) -> None:
    try:
        access.call(live.go_to, state.id, to, count, quiet=True)
    except LookupError:
        _flash("This live session has ended.")


def _reveal(state: LiveState) -> None:
    try:
        access.call(live.reveal, state.id, quiet=True)
    except LookupError:
        _flash("This live session has ended.")


def _end(state: LiveState) -> None:
    with contextlib.suppress(LookupError):  # already ended elsewhere: nothing left to do
        access.call(live.end, state.id, quiet=True)


def _controls(state: LiveState, lesson: Lesson, is_question: bool) -> None:
    """Previous / Next (the keys press these), Reveal on an open question, End."""
    count = len(lesson.steps)
    cols = st.columns([2, 2, 2, 5, 2], vertical_alignment="center")
    cols[0].button("Previous", key=projector.PREV_KEY, icon=":material/arrow_back:", disabled=state.step == 0,
                   on_click=_go, args=(state, state.step - 1, count), width="stretch")
    cols[1].button("Next", key=projector.NEXT_KEY, icon=":material/arrow_forward:", disabled=state.step >= count - 1,
                   on_click=_go, args=(state, state.step + 1, count), width="stretch")
    if is_question and not state.is_revealed:
        cols[2].button("Reveal", key="present_reveal", type="primary", icon=":material/visibility:", on_click=_reveal,
                       args=(state,), width="stretch")
    cols[3].caption("Keys: → or space next, ← previous.")
    cols[4].button("End session", key="present_end", icon=":material/stop_circle:", on_click=_end, args=(state,),
                   type="tertiary", width="stretch")


def _step(state: LiveState, lesson: Lesson) -> bool:
    """Draw the step on the projector; True if it is a question."""
    step = lesson.steps[min(state.step, len(lesson.steps) - 1)]
    bank = active_bank()  # on every step: the first question then appears without the bank's cold load
    if isinstance(step, LearnStep):
        present_steps.show_learn(step)
        return False
    if isinstance(step, LabStep):
        present_steps.show_lab_step(step)
        return False
    q = bank.by_id.get(step.question)
    if q is None:
        st.warning(f"Question {step.question!r} is not in the banks this server serves.", icon=":material/warning:")
        return False
    present_steps.show_question(q, state)
    return True


def _authorized() -> bool:
    secret = settings.instructor_secret()
    return bool(secret) and instructor.authorized(secret)


def render() -> None:
    if not _authorized():
        st.title("Presenter")
        instructor.signed_in()  # says why (switched off) or shows the sign-in form
        return
    engine: Engine | None = access.engine()
    if engine is None:
        return
    msg = st.session_state.pop(_MSG, None)
    if msg:
        st.warning(msg, icon=":material/info:")
    state = access.call(live.active)
    wanted = st.query_params.get("lesson")
    if state is None:
        _start_panel(wanted)
        return
    lesson = lesson_of(state.lesson_yaml)
    if lesson is None:
        st.error("This session's lesson no longer validates (a Learn heading may have changed): end it and fix the "
                 "lesson.", icon=":material/error:")
        st.button("End session", key="present_end", on_click=_end, args=(state,))
        return
    projector.projector_style()
    if wanted and wanted != state.lesson_slug:
        st.info(f"Lesson `{state.lesson_slug}` is live. To present `{wanted}` instead, end this session first.",
                icon=":material/info:")
    _header(state, lesson)
    is_question = _step(state, lesson)
    st.divider()
    _controls(state, lesson, is_question)
    projector.step_keys()
    follow(state.id, state.version)
