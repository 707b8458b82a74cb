"""Who is learning in this session: an OIDC sign-in, a resume key (URL or cookie), or nobody yet.

Self-study needs no account. The first saved answer creates a learner with a random resume key; the key
goes into a first-party cookie (set by a one-line script, since Streamlit can read cookies via
st.context.cookies but not set them), so the same browser profile resumes automatically. The key also
works on any device as `/join?resume=KEY`; the parameter is removed from the address bar once read.
The database stores only the key's hash; names are labels, never lookups.
"""

from __future__ import annotations

import streamlit as st
from sqlalchemy import Engine

from explainer.progress.auth import looks_like_resume_key
from explainer.store import learners
from explainer.store.learners import LearnerRef

COOKIE = "gl_resume"
PARAM = "resume"
COOKIE_DAYS = 365
_LEARNER = "_gl_learner"  # LearnerRef for this session
_KEY = "_gl_resume_key"  # the plaintext key, when this session knows it (to show it and set the cookie)
_COOKIE_PENDING = "_gl_cookie_pending"  # key this browser must keep: re-sent on every run of this session


def oidc_configured() -> bool:
    """True when the deployment configured st.login (an [auth] section in secrets.toml)."""
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 (no secrets file at all)
        return False


def _oidc_user() -> tuple[str | None, str, str] | None:
    """(issuer, subject, name) of the signed-in OIDC user, or None."""
    if not oidc_configured():
        return None
    try:
        if not st.user.is_logged_in:
            return None
        subject = st.user.get("sub") or st.user.get("email")
        if not subject:
            return None
        return st.user.get("iss"), str(subject), str(st.user.get("name") or st.user.get("email") or "Learner")
    except Exception:  # noqa: BLE001
        return None


def cookie_key() -> str | None:
    try:
        key = st.context.cookies.get(COOKIE)
    except Exception:  # noqa: BLE001 (no browser context, e.g. a bare script run)
        return None
    return key if looks_like_resume_key(key) else None


def sync_cookie() -> None:
    """Send the session's resume key to the browser cookie, on every run of this session.

    A script element only runs once the browser has mounted it; a learner who clicks on before that
    (the run is replaced) would lose it, so it is re-sent on each run until the session ends. It goes to
    the sidebar, where an invisible element costs no layout. Sessions that connected with the cookie
    already set send nothing.
    """
    key = st.session_state.get(_COOKIE_PENDING)
    if key and cookie_key() != key:
        _set_cookie(key)


def _set_cookie(key: str) -> None:
    """Store the resume key in this browser (a first-party cookie, Secure on https)."""
    if not looks_like_resume_key(key):  # only [A-Za-z0-9_-] ever reaches the script
        return
    st.sidebar.html(
        f"<script>document.cookie='{COOKIE}={key}; path=/; max-age={COOKIE_DAYS * 86400}; SameSite=Lax'"
        "+(location.protocol==='https:'?'; Secure':'');</script>",
        unsafe_allow_javascript=True,
    )


def _clear_cookie() -> None:
    st.sidebar.html(f"<script>document.cookie='{COOKIE}=; path=/; max-age=0; SameSite=Lax';</script>",
                    unsafe_allow_javascript=True)


def adopt(ref: LearnerRef, key: str | None, *, remember: bool) -> LearnerRef:
    """Make `ref` this session's learner; with `remember`, write its key to the browser cookie."""
    st.session_state[_LEARNER] = ref
    if key:
        st.session_state[_KEY] = key
        if remember and cookie_key() != key:
            st.session_state[_COOKIE_PENDING] = key
    return ref


def forget() -> None:
    """Sign this browser out of its learner (the progress stays in the database, reachable by key)."""
    st.session_state.pop(_LEARNER, None)
    st.session_state.pop(_KEY, None)
    st.session_state.pop(_COOKIE_PENDING, None)
    _clear_cookie()


def known_key() -> str | None:
    """The plaintext resume key, if this session has it (just created, from the URL, or from the cookie)."""
    return st.session_state.get(_KEY)


def current(engine: Engine, *, create: bool = False) -> LearnerRef | None:
    """This session's learner, resolved once: OIDC, then session, then ?resume=, then cookie; or a new one."""
    user = _oidc_user()
    if user is not None:
        ref = st.session_state.get(_LEARNER)
        if ref is None or st.session_state.get("_gl_oidc") != user[:2]:
            ref = learners.by_oidc(engine, *user)
            st.session_state["_gl_oidc"] = user[:2]
            st.session_state[_LEARNER] = ref
        return ref
    ref = st.session_state.get(_LEARNER)
    if ref is not None:
        return ref
    if PARAM in st.query_params:
        key = st.query_params.get(PARAM)
        del st.query_params[PARAM]  # keep the key out of the address bar, history and screenshots
        found = learners.by_resume_key(engine, key)
        if found is not None:
            return adopt(found, key, remember=True)
        st.error("That resume key is not known on this server: check it, or start fresh.", icon=":material/key_off:")
    key = cookie_key()
    if key:
        found = learners.by_resume_key(engine, key)
        if found is not None:
            return adopt(found, key, remember=False)
    if create:
        ref, key = learners.create_learner(engine)
        return adopt(ref, key, remember=True)
    return None


def refresh(ref: LearnerRef) -> None:
    """After a change to the learner (joined a class, renamed), keep the session's copy current."""
    st.session_state[_LEARNER] = ref
