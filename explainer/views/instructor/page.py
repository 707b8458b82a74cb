"""Instructor page: a secret gate (constant-time, throttled), then dashboard, question banks (and their exports),
presets, and lessons (the builder; presenting one is the Presenter page, behind the same gate).

Without the secret nothing about the class is rendered, not even counts. The secret is never echoed:
the session remembers only a digest of the secret it was granted under, so rotating the configured
secret signs every instructor session out.
"""

from __future__ import annotations

import threading
import time
from collections import deque

import streamlit as st

from explainer.progress import auth
from explainer.store.config import database_url, describe
from explainer.views.instructor import settings
from explainer.views.instructor.banks import render_banks
from explainer.views.instructor.dashboard import render_dashboard
from explainer.views.instructor.exports import render_exports
from explainer.views.instructor.lessons import render_lessons
from explainer.views.instructor.presets import render_presets
from explainer.views.progress import access

_GRANT = "_gl_instructor_grant"
MAX_FAILURES_PER_MINUTE = 10  # per server process: a brute force gets ~14,000 guesses a day at most
FAILURE_DELAY_S = 1.0
_failures: deque[float] = deque()
_failures_lock = threading.Lock()


def _throttled() -> bool:
    now = time.monotonic()
    with _failures_lock:
        while _failures and now - _failures[0] > 60:
            _failures.popleft()
        return len(_failures) >= MAX_FAILURES_PER_MINUTE


def _record_failure() -> None:
    with _failures_lock:
        _failures.append(time.monotonic())


def _grant_for(secret: str) -> str:
    return auth.digest("instructor-session", secret)


def authorized(secret: str | None) -> bool:
    """This session was granted access under the currently configured secret."""
    return bool(secret) and auth.secret_matches(st.session_state.get(_GRANT), _grant_for(secret))


def _on_sign_in(secret: str) -> None:
    typed = st.session_state.get("instructor_secret_input", "")
    st.session_state["instructor_secret_input"] = ""  # do not keep the typed secret in widget state
    if _throttled():
        st.session_state["_gl_instructor_msg"] = "Too many wrong attempts on this server; wait a minute."
        return
    if auth.secret_matches(typed, secret):
        st.session_state[_GRANT] = _grant_for(secret)
    else:
        _record_failure()
        time.sleep(FAILURE_DELAY_S)
        st.session_state["_gl_instructor_msg"] = "That is not the instructor secret."


def _sign_in_form(secret: str) -> None:
    msg = st.session_state.pop("_gl_instructor_msg", None)
    if msg:
        st.error(msg, icon=":material/lock:")
    with st.form("instructor_login_form", border=True):
        st.markdown("Enter the instructor secret configured for this server.")
        st.text_input("Instructor secret", key="instructor_secret_input", type="password", max_chars=256)
        st.form_submit_button("Open the dashboard", key="instructor_login", type="primary", on_click=_on_sign_in,
                              args=(secret,))


def signed_in() -> bool:
    """The gate every instructor page shares: True when this session holds a grant under the configured secret;
    otherwise it shows why not (section switched off, or the sign-in form) and the page shows nothing else."""
    secret = settings.instructor_secret()
    if not secret:
        st.info("The instructor section is switched off on this server. To switch it on, set "
                f"`{auth.SECRET_ENV}` (or `{auth.SECRET_KEY}` in `.streamlit/secrets.toml`); see docs/DEPLOY.md.",
                icon=":material/lock:")
        return False
    if not authorized(secret):
        _sign_in_form(secret)
        return False
    return True


def render() -> None:
    st.title("Class dashboard")
    if not signed_in():
        return
    secret = settings.instructor_secret()
    top = st.columns([4, 1])
    top[0].caption(f"Database: `{describe(database_url())}`")
    if top[1].button("Sign out", key="instructor_logout", width="stretch"):
        st.session_state.pop(_GRANT, None)
        st.rerun()
    if len(secret) < auth.MIN_SECRET_LENGTH:
        st.warning(f"The instructor secret is shorter than {auth.MIN_SECRET_LENGTH} characters; use a long random "
                   "one (see docs/DEPLOY.md).", icon=":material/warning:")
    engine = access.engine()
    if engine is None:
        return
    dashboard_tab, banks_tab, presets_tab, lessons_tab = st.tabs(
        ["Dashboard", "Question banks", "Class presets", "Lessons and live"])
    with dashboard_tab:
        render_dashboard(engine, settings.class_code())
    with banks_tab:
        render_banks(engine)
        render_exports()
    with presets_tab:
        render_presets(engine)
    with lessons_tab:
        render_lessons(engine)
