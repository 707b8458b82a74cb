"""Live session page for learners (phones first): join with the code on the projector, then follow the presenter.

A question step shows its answer form (the practice pages' own); the answer is recorded once, as an attempt, and
the key appears after the presenter's "Reveal". The page polls the store (common.follow), so it follows a
presenter on any replica; a reload rejoins at once (the code stays in the address bar, the learner in a cookie).
"""

from __future__ import annotations

import time

import streamlit as st
from sqlalchemy import Engine

from explainer.core.sitemap import BY_PATH
from explainer.core.urls import parse_join_code
from explainer.live import tally
from explainer.live.lessons import LabStep, LearnStep, QuestionStep
from explainer.store import learners, live
from explainer.store.attempts import AttemptIn
from explainer.store.live import LiveState
from explainer.views.live.common import follow, lesson_of, question_key
from explainer.views.nav import link_to
from explainer.views.practice import question as ask_ui
from explainer.views.practice.bank import active_bank
from explainer.views.progress import access, identity
from explainer.views.progress.text import md_escape
from questions.quiz import Grade, answer_text, grade, key_text
from questions.schema import Question
from questions.session import Answered

_JOINED = "_gl_live_joined"  # id of the live session this browser session joined
_MSG = "_gl_live_msg"
WRONG_CODE_DELAY_S = 0.5  # a wrong code costs a moment: guessing the live code by trial stays hopeless


def _needs_name(me, state: LiveState) -> bool:
    """A name is asked of newcomers, and of self-study learners who join a class's session (the dashboard lists
    them under it); a learner already in a class keeps their name."""
    return me is None or (me.class_id is None and state.class_id is not None)


def _enter(engine: Engine, state: LiveState, name: str | None) -> None:
    """Make this session's learner a participant of `state` (created, or moved into its class, when needed)."""
    me = identity.current(engine)
    if _needs_name(me, state):
        name = learners.clean_name(name or "")
        if me is None:
            me, key = learners.create_learner(engine, name, state.class_id)
            identity.adopt(me, key, remember=True)
        else:
            identity.refresh(learners.join_class(engine, me.id, state.class_id, name))
    st.session_state[_JOINED] = state.id
    st.query_params["code"] = state.code  # a reload rejoins at once


def _on_join() -> None:
    engine = access.engine(quiet=True)
    if engine is None:
        st.session_state[_MSG] = "The class database is unreachable right now; please try again in a minute."
        return
    state = live.by_code(engine, st.session_state.get("live_code", ""))
    if state is None:
        time.sleep(WRONG_CODE_DELAY_S)
        st.session_state[_MSG] = "No live session has that code: check the projector."
        return
    try:
        _enter(engine, state, st.session_state.get("live_name"))
    except ValueError as exc:
        st.session_state[_MSG] = str(exc)


def _join_form(engine: Engine) -> None:
    msg = st.session_state.pop(_MSG, None)
    if msg:
        st.error(msg, icon=":material/error:")
    me = access.call(identity.current)
    typed = st.query_params.get("code", "")
    state = access.call(live.by_code, typed) if parse_join_code(typed) else None
    if state is not None and not _needs_name(me, state):  # scanned the QR code, or reloaded: no form needed
        _enter(engine, state, None)
        st.rerun()
    st.markdown("Your instructor shows a **join code** on the projector. Type it here, or scan the QR code.")
    with st.form("live_join_form", border=True):
        st.text_input("Join code", key="live_code", value=typed[:12], max_chars=12, placeholder="K7QH2X")
        if me is None or me.class_id is None:
            st.text_input("Display name (what your instructor sees)", key="live_name", max_chars=learners.MAX_NAME)
        st.form_submit_button("Join", key="live_join", type="primary", on_click=_on_join, width="stretch")


def _not_a_question(step: LearnStep | LabStep) -> None:
    st.markdown(f"**On the projector:** {md_escape(step.label)}")
    if isinstance(step, LearnStep):
        st.page_link(link_to(step.learn), label=f"Read it: {BY_PATH[step.learn].title}", icon=":material/menu_book:")
    else:
        params = {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in step.params.items()}
        st.page_link(link_to(step.lab), label=f"Try it: {BY_PATH[step.lab].title}", icon=":material/science:",
                     query_params=params)
    st.caption("Questions appear here when the presenter opens one.")


def _answered(q, mine: tuple[str, float], revealed: bool) -> None:
    value = tally.decode(q, mine[0])
    text = "(skipped)" if value is None else answer_text(q, value)
    if not revealed:
        st.success(f"Your answer is in: {md_escape(text)}. The key comes when the presenter reveals it.",
                   icon=":material/how_to_vote:")
        return
    graded = Grade(0.0, "Skipped: here is the answer.") if value is None else grade(q, value)
    ask_ui.render_feedback(q, Answered(value, text, graded, None))


def _question(engine: Engine, state: LiveState, step: QuestionStep, q: Question | None) -> None:
    if q is None:
        st.warning(f"Question {step.question!r} is not in the banks this server serves.", icon=":material/warning:")
        return
    me = access.call(identity.current)
    ask_ui.render_prompt(q, "Live question")
    mine = None if me is None else access.call(live.my_answer, state.id, state.step, me.id)
    if mine is not None:
        _answered(q, mine, state.is_revealed)
        return
    if state.is_revealed:
        st.info(f"Answers are closed. The answer: {key_text(q)}", icon=":material/lock:")
        st.markdown(q.explanation)
        return
    result = ask_ui.ask(q, question_key(state))
    if result is None or me is None:
        return
    submission, graded, text = result
    attempt = AttemptIn(q.id, q.topic, text, graded.score)
    try:
        recorded = access.call(live.answer, state.id, state.step, me.id, tally.encode(submission.value), attempt)
    except live.QuestionClosed:
        st.warning("Too late: the presenter moved on or revealed the answer.", icon=":material/lock_clock:")
        return
    if recorded is not None:  # None: the database is down and its warning shows; the form stays for a retry
        st.rerun()


def render() -> None:
    st.title("Live session")
    engine = access.engine()
    if engine is None:
        return
    identity.sync_cookie()
    joined = st.session_state.get(_JOINED)
    state = None if joined is None else access.call(live.get, joined)
    if state is None or state.ended:
        if state is not None:
            st.info("That live session has ended. Your answers are saved: see My progress.", icon=":material/flag:")
        st.session_state.pop(_JOINED, None)
        _join_form(engine)
        return
    lesson = lesson_of(state.lesson_yaml)
    if lesson is None:
        st.error("This session's lesson can no longer be read; ask your instructor.", icon=":material/error:")
        return
    st.caption(f"{md_escape(lesson.title)} · step {state.step + 1} of {len(lesson.steps)} · code {state.code}")
    step = lesson.steps[min(state.step, len(lesson.steps) - 1)]
    bank = active_bank()  # on every step: the first question then appears without the bank's cold load
    if isinstance(step, QuestionStep):
        _question(engine, state, step, bank.by_id.get(step.question))
    else:
        _not_a_question(step)
    follow(state.id, state.version)
