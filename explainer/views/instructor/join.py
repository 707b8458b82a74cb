"""Join page: join the class with its code and a display name, resume with a key, or sign in (OIDC)."""

from __future__ import annotations

import streamlit as st

from explainer.progress.auth import class_code_matches
from explainer.store import learners
from explainer.views.instructor import settings
from explainer.views.nav import link_to
from explainer.views.progress import access, identity
from explainer.views.progress.text import md_escape

_FLASH = "_gl_join_flash"  # (kind, message) shown once after a form callback
_FRESH = "_gl_fresh_key"


def show_key(key: str, *, fresh: bool) -> None:
    """The learner's resume key and link: the only way back to this progress from another browser."""
    if fresh:
        st.success("Save your resume key now: it is the only way to reach this progress from another browser "
                   "or device. Nobody, not even the instructor, can look it up for you.", icon=":material/key:")
    st.markdown("**Your resume key**")
    st.code(key, language=None)
    st.caption(f"Or bookmark this link on another device: `/join?{identity.PARAM}={key}`")


def _flash(kind: str, message: str) -> None:
    st.session_state[_FLASH] = (kind, message)


def _on_join(code: str) -> None:
    """Form callback: check the code, then create the learner (or move a self-study learner into the class)."""
    if not class_code_matches(st.session_state.get("join_code", ""), code):
        _flash("error", "That class code is not right. Ask your instructor for it.")
        return
    try:
        name = learners.clean_name(st.session_state.get("join_name", ""))
    except ValueError as exc:
        _flash("error", str(exc))
        return
    engine = access.engine(quiet=True)
    if engine is None:
        _flash("error", "The class database is unreachable right now; please try again in a minute.")
        return
    room = learners.class_id_for(engine, code, create=True)
    me = identity.current(engine)
    if me is not None and me.class_id is None:  # self-study progress comes along into the class
        identity.refresh(learners.join_class(engine, me.id, room, name))
    else:
        me, key = learners.create_learner(engine, name, room)
        identity.adopt(me, key, remember=True)
    st.session_state[_FRESH] = True
    _flash("success", f"Welcome, {md_escape(name)}! You joined the class.")


def _on_resume() -> None:
    key = st.session_state.get("resume_key_input", "").strip()
    engine = access.engine(quiet=True)
    found = None if engine is None else learners.by_resume_key(engine, key)
    if found is None:
        _flash("error", "No progress is saved under that key on this server.")
    else:
        identity.adopt(found, key, remember=True)
        _flash("success", f"Welcome back, {md_escape(found.display_name)}.")


def _safe(callback, *args) -> None:
    try:
        callback(*args)
    except Exception:  # noqa: BLE001 (a database error in a callback becomes a message, not a traceback)
        access.log.exception("join page action failed")
        _flash("error", "That did not work because the database had a problem; please try again.")


def _oidc_panel() -> None:
    if st.user.is_logged_in:
        who = md_escape(st.user.get("name") or st.user.get("email") or "you")
        st.info(f"Signed in as **{who}**.", icon=":material/verified_user:")
        if st.button("Sign out", key="oidc_logout"):
            st.logout()
    elif st.button("Sign in with your school account", key="oidc_login", type="primary"):
        st.login()


def _forms(me, code: str | None) -> None:
    if code and (me is None or me.class_id is None):
        with st.form("join_form", border=True):
            st.markdown("**Join the class**")
            st.text_input("Class code", key="join_code", type="password", max_chars=64)
            st.text_input("Display name (what your instructor sees)", key="join_name", max_chars=learners.MAX_NAME)
            st.form_submit_button("Join", key="join_submit", type="primary", on_click=_safe, args=(_on_join, code))
    elif not code:
        st.info("This server runs in self-study mode: your progress is saved on this browser automatically, "
                "no account needed.", icon=":material/person:")
    with st.form("resume_form", border=True):
        st.markdown("**Resume with a key** (from another browser or device)")
        st.text_input("Resume key", key="resume_key_input", type="password", max_chars=64)
        st.form_submit_button("Resume", key="resume_submit", on_click=_safe, args=(_on_resume,))


def render() -> None:
    st.title("Join a class")
    flash = st.session_state.pop(_FLASH, None)
    if flash:
        (st.success if flash[0] == "success" else st.error)(flash[1])
    if identity.oidc_configured():
        _oidc_panel()
    engine = access.engine()
    if engine is None:
        return
    me = access.call(identity.current)
    identity.sync_cookie()
    if me is not None:
        where = "in the class" if me.class_id is not None else "self-study"
        st.markdown(f"You are learning as **{md_escape(me.display_name)}** ({where}).")
        key = identity.known_key()
        if key:
            show_key(key, fresh=st.session_state.pop(_FRESH, False))
            if st.button("Forget me on this browser", key="forget_me"):
                identity.forget()
                st.info("This browser no longer opens your progress. Your resume key still does.")
                me = None
    _forms(me, settings.class_code())
    st.page_link(link_to("quiz"), label="Start a practice quiz", icon=":material/quiz:")
