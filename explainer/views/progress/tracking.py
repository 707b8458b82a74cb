"""Seam between the practice pages and the progress store: record answers, uploaded banks, class presets.

Practice pages call these; none of them raises into a page. When the database is unreachable an answer
is kept in the session (with a visible warning) and saved with the next answer once it is back; each
answer carries its own id, so a retried write is recorded exactly once.
"""

from __future__ import annotations

import logging
import math

import streamlit as st

from explainer.core.urls import split_url
from explainer.store import attempts, banks, presets
from explainer.store.attempts import AttemptIn
from explainer.views.nav import link_to
from explainer.views.progress import access, identity
from explainer.views.progress.text import md_escape

log = logging.getLogger("gradient_lab.tracking")
_PENDING = "_gl_pending_attempts"


def save_answer(question_id: str, topic: str, answer: str, score: float, seconds: float | None,
                self_rating: int | None = None) -> None:
    """Persist one answered question for the current learner; updates its review card (with the learner's own
    1-4 `self_rating` when they rated themselves, else with the automatic score's rating).

    The score is passed on as graded: the store refuses one outside [0, 1] (a grading bug), which is logged
    as an error and shown as a warning instead of being clamped into a plausible number."""
    try:
        secs = None if seconds is None or not math.isfinite(float(seconds)) else max(0.0, float(seconds))
        attempt = AttemptIn(str(question_id), str(topic), "" if answer is None else str(answer), score, secs,
                            self_rating=self_rating)
    except (TypeError, ValueError) as exc:
        log.error("practice page reported an invalid attempt for %r (score %r): %s", question_id, score, exc)
        st.warning(f"This answer was not saved: {exc}. This is a bug in the app; please report it.",
                   icon=":material/error:")
        return
    pending: list[AttemptIn] = st.session_state.setdefault(_PENDING, [])
    pending.append(attempt)
    flush_pending()
    identity.sync_cookie()  # a learner created by this answer: remember it in this browser


def flush_pending() -> int:
    """Save every answer still waiting in this session; return how many are left unsaved."""
    pending: list[AttemptIn] = st.session_state.get(_PENDING, [])
    if not pending:
        return 0
    engine = access.engine(quiet=True)
    try:
        if engine is None:
            raise ConnectionError("database down")
        learner = identity.current(engine, create=True)
        while pending:
            attempts.record_attempt(engine, learner.id, pending[0])
            pending.pop(0)
    except Exception as exc:  # noqa: BLE001 (never raise into a page)
        if engine is not None:
            access.mark_down(exc)
        n = len(pending)
        access.warn(f"{n} answer{'s' if n != 1 else ''} waiting to be saved.")
    return len(pending)


def pending_count() -> int:
    return len(st.session_state.get(_PENDING, []))


def extra_bank_sources() -> list[tuple[str, str]]:
    """Question banks stored outside the repo (instructor uploads): (source name, YAML text) pairs.

    Quietly empty while the database is down: the built-in banks are still served. Practice pages call
    this on every run, so it also re-sends a newly created learner's resume cookie (identity.sync_cookie).
    """
    identity.sync_cookie()
    return access.call(banks.bank_sources, default=[], quiet=True)


def render_class_presets() -> None:
    """On the home page: experiment URLs and quizzes the instructor pinned for the class."""
    identity.sync_cookie()
    pinned = access.call(presets.list_presets, default=[], quiet=True)
    if not pinned:
        return
    with st.container(border=True, key="class_presets"):
        st.subheader("Pinned for your class", anchor=False)
        for kind, heading, icon in (("quiz", "Quizzes", ":material/quiz:"), ("experiment", "Experiments",
                                                                           ":material/science:")):
            items = [p for p in pinned if p.kind == kind]
            if items:
                st.markdown(f"**{heading}**")
            for p in items:
                page, params = split_url(p.url)
                st.page_link(link_to(page), label=md_escape(p.title), icon=icon, query_params=dict(params))

