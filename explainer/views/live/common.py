"""What the presenter and learner pages share: the lesson of a live session, the question form's key and option
order (the same on the projector and every phone), and the fragment that follows the session in the store."""

from __future__ import annotations

import functools

import streamlit as st

from explainer.live.lesson_yaml import load_lesson_text
from explainer.live.lessons import Lesson
from explainer.store import live
from explainer.store.live import LiveState
from explainer.views.progress import access
from questions.quiz import option_order
from questions.schema import Question

POLL_S = 1.0  # a change on the projector reaches every phone within one poll plus a rerun: under 2 s


@functools.lru_cache(maxsize=32)
def lesson_of(lesson_yaml: str) -> Lesson | None:
    """The lesson a live session copied in (validated when it was saved; None if it no longer validates)."""
    lesson, _ = load_lesson_text(lesson_yaml, "live session")
    return lesson


def question_key(state: LiveState) -> str:
    """Widget key prefix of the answer form for the step on the projector (fresh widgets for every step)."""
    return f"live_{state.id}_{state.step}"


def display_order(q: Question, state: LiveState) -> list[int]:
    """The options' order on the phones, as authored indices: explainer.views.practice.question shuffles with
    option_order(q, f"{salt}:{key}") and learners' forms use salt "" and `question_key`, so every phone and the
    projector list the options alike (A, B, … on the projector)."""
    return option_order(q, f":{question_key(state)}")


@st.fragment(run_every=POLL_S)
def follow(live_id: int, version: int) -> None:
    """Poll the session; when it changed (another step, a reveal, the end) rerun the whole page to show it.

    Only this fragment runs every POLL_S: an answer half typed on the page is not touched until it changes."""
    state = access.call(live.get, live_id, quiet=True)
    if state is not None and (state.version != version or state.ended):
        st.rerun()
