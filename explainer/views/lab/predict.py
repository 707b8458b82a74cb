"""Predict first: the learner commits to a guess before the results are shown, then learns if it was right.

Turned on with the toggle (URL key `predict=true`, so an instructor can share a predict-first link). A guess
belongs to one configuration: change a setting and the page asks again.
"""

from __future__ import annotations

import streamlit as st

from explainer.experiments.summary import VERDICTS

GUESS_KEY, REVEALED_KEY = "predict_guess", "_predict_revealed"  # revealed: {url_path: (config key, guess)}


def _reveal(url_path: str, config_key: str) -> None:
    st.session_state.setdefault(REVEALED_KEY, {})[url_path] = (config_key, st.session_state.get(GUESS_KEY))


def gate(url_path: str, config_key: str, question: str, choices: tuple[str, ...] = VERDICTS) -> str | None:
    """Return None to show results now, or the pending state; renders the toggle and, if needed, the guess form.

    Returns "waiting" while the learner has not committed a guess for this configuration.
    """
    on = st.toggle("Predict first", key="predict", bind="query-params",
                   help="Hide the results until you have said what you expect.")
    if not on:
        return None
    revealed = st.session_state.get(REVEALED_KEY, {}).get(url_path)
    if revealed and revealed[0] == config_key:
        return None
    with st.container(border=True, key="predict_form"):
        st.markdown(f"**Your prediction.** {question}")
        guess = st.radio("Your prediction", choices, index=None, horizontal=True, key=GUESS_KEY,
                         label_visibility="collapsed")
        st.button("Run and reveal", key="predict_reveal", type="primary", disabled=guess is None,
                  on_click=_reveal, args=(url_path, config_key), icon=":material/visibility:")
    return "waiting"


def verdict_feedback(url_path: str, config_key: str, verdict: str) -> None:
    """After a reveal: say whether the committed guess matches the measured verdict (or training outcome)."""
    if not st.session_state.get("predict"):
        return
    revealed = st.session_state.get(REVEALED_KEY, {}).get(url_path)
    if not revealed or revealed[0] != config_key or revealed[1] is None:
        return
    guess = revealed[1]
    if guess == verdict:
        st.success(f"You predicted **{guess}**, and that is what the run shows.", icon=":material/thumb_up:")
    else:
        st.info(f"You predicted **{guess}**; the run shows **{verdict}**. Look at the chart to see why.",
                icon=":material/lightbulb:")
