"""Instructor tab: pin experiment URLs and quizzes (topics, length, seed) that learners see on Home."""

from __future__ import annotations

import streamlit as st
from sqlalchemy import Engine

from explainer.core import urls
from explainer.core.sitemap import TOPICS
from explainer.store import presets
from explainer.views.progress import access
from explainer.views.progress.text import md_escape

_MSG = "_gl_presets_msg"


def _add(kind: str, title_key: str, build) -> None:
    """Form callback: build the URL (validation errors become a message) and store the preset."""
    try:
        url = build()
        if access.call(presets.add_preset, kind, st.session_state.get(title_key, ""), url, quiet=True) is None:
            st.session_state[_MSG] = ("error", "Not pinned: the database is unreachable; try again in a minute.")
        else:
            st.session_state[_MSG] = ("success", f"Pinned: {url}")
    except ValueError as exc:
        st.session_state[_MSG] = ("error", str(exc))


def _experiment_form() -> None:
    with st.form("preset_experiment_form", border=True):
        st.markdown("**Pin an experiment**: open a lab, set it up, copy the address bar, paste it here.")
        st.text_input("Title", key="preset_exp_title", max_chars=120, placeholder="Deep sigmoid net vanishes")
        st.text_input("Experiment URL", key="preset_exp_url", max_chars=600,
                      placeholder="/lab-activations?depth=30&activation=sigmoid")
        st.form_submit_button("Pin experiment", key="preset_exp_add", on_click=_add, args=(
            "experiment", "preset_exp_title", lambda: urls.experiment_url(st.session_state["preset_exp_url"])))


def _quiz_form() -> None:
    with st.form("preset_quiz_form", border=True):
        st.markdown("**Pin a quiz**: everyone gets the same questions in the same order (same seed).")
        st.text_input("Title", key="preset_quiz_title", max_chars=120, placeholder="Week 2: exploding gradients")
        st.multiselect("Topics", [t.slug for t in TOPICS], key="preset_quiz_topics",
                       format_func=lambda s: next(t.title for t in TOPICS if t.slug == s))
        cols = st.columns(2)
        cols[0].number_input("Questions", 1, urls.MAX_QUIZ_LENGTH, 10, key="preset_quiz_length")
        cols[1].number_input("Seed", 0, 2**31 - 1, 1, key="preset_quiz_seed")
        st.form_submit_button("Pin quiz", key="preset_quiz_add", on_click=_add, args=(
            "quiz", "preset_quiz_title", lambda: urls.quiz_url(
                list(st.session_state["preset_quiz_topics"]), int(st.session_state["preset_quiz_length"]),
                int(st.session_state["preset_quiz_seed"]))))


def render_presets(engine: Engine) -> None:
    msg = st.session_state.pop(_MSG, None)
    if msg:
        (st.success if msg[0] == "success" else st.error)(msg[1])
    pinned = access.call(presets.list_presets, default=[])
    st.subheader("Pinned for the class", anchor=False)
    if not pinned:
        st.caption("Nothing pinned yet. Pinned items appear on every learner's Home page.")
    for p in pinned:
        cols = st.columns([5, 1])
        cols[0].markdown(f"{'Quiz' if p.kind == 'quiz' else 'Experiment'}: **{md_escape(p.title)}** `{p.url}`")
        if cols[1].button("Remove", key=f"preset_remove_{p.id}", width="stretch"):
            access.call(presets.remove_preset, p.id)
            st.rerun()
    left, right = st.columns(2)
    with left:
        _experiment_form()
    with right:
        _quiz_form()
