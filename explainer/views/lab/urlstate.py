"""URL parameters → widget state, before the widgets exist: clamp or refuse bad values, and say so on the page.

Streamlit 1.67 seeds a bound widget from the URL on first load and silently drops a value it cannot use (out of
range, unknown option, not a number: the widget falls back to its default and the parameter leaves the URL).
We check the same parameters first (explainer.core.urls): a value we can repair (clamped to the range, rounded
down to a whole number, a differently spelt option) is written to st.session_state so the widget starts there;
every bad value gets a visible notice naming the parameter, the value given and the value used.
"""

from __future__ import annotations

import streamlit as st

from explainer.core.urls import Notice, NoticeKind, ParamSpec, check_query

REPORTED_KEY = "_lab_reported_params"  # (key, value) of ignored URL parameters already reported this session
PAGE_KEY, SAVED_KEY = "_lab_page", "_lab_saved"  # the lab page drawn last; each lab page's settings when left


def _raw_params() -> dict[str, list[str]]:
    return {k: st.query_params.get_all(k) for k in st.query_params}


def prepare(page: str, specs: dict[str, ParamSpec]) -> list[Notice]:
    """Check this page's URL parameters; pre-set repaired values; return the notices to show.

    Runs on every script run, but only a first load carries bad values: Streamlit removes each one from the
    URL after that run, so the notices disappear once the learner moves a control.
    """
    raw = _raw_params()
    own_settings(page, specs, raw)
    notices = check_query(raw, specs)
    reported = st.session_state.setdefault(REPORTED_KEY, set())
    # A parameter this page does not use stays in the URL (nothing binds it): report it once, not on every run.
    notices = [n for n in notices if n.key in specs or (n.key, n.raw) not in reported]
    reported.update((n.key, n.raw) for n in notices if n.key not in specs)
    for n in notices:
        if n.value is not None and n.key in specs:
            st.session_state[n.key] = n.value
    return notices


def own_settings(page: str, specs: dict[str, ParamSpec], raw: dict[str, list[str]]) -> None:
    """Each lab page keeps its own settings. Widgets of different pages share keys (`depth` is on six of them), so
    without this a value set on one page would follow the learner to the next: depth 100 and width 512 from the
    Activations lab would turn the Precision lab's 1 s default into minutes, and its lesson into another one.
    Entering a lab page restores what the learner left there (or its defaults); its URL parameters still win."""
    entering = st.session_state.get(PAGE_KEY) != page
    st.session_state[PAGE_KEY] = page
    mine = st.session_state.setdefault(SAVED_KEY, {}).get(page, {})
    for key in specs:
        if entering:
            st.session_state.pop(key, None)  # another page's value: the widget starts from the URL or its default
        if key in mine and key not in raw and key not in st.session_state:  # also back from a Learn page
            st.session_state[key] = mine[key]


def remember(page: str, values: dict) -> None:
    """The page's settings as drawn, restored when the learner comes back to it (own_settings)."""
    st.session_state.setdefault(SAVED_KEY, {})[page] = dict(values)


def _literal(text: str) -> str:
    """URL text shown inside a code span: no backticks or line breaks, so it cannot escape into markdown."""
    return text.replace("`", "'").replace("\n", " ")[:60]


def show(box, notices: list[Notice], defaults: dict) -> None:
    """One warning listing every parameter that was not used as given, and the value used instead."""
    if not notices:
        return
    lines = []
    for n in notices:
        given = f"`{_literal(n.key)}={_literal(n.raw)}`"
        if n.kind is NoticeKind.UNKNOWN:
            lines.append(f"- {given} {n.reason}.")
            continue
        used = st.session_state.get(n.key, defaults.get(n.key))
        shown = "the default" if used is None else f"`{used}`"
        lines.append(f"- {given} {n.reason}; using {shown}.")
    box.warning("Some settings in this page's address could not be used as given:\n\n" + "\n".join(lines),
                icon=":material/link_off:")
