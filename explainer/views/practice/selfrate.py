"""The Anki way: after seeing the model answer the learner rates their own free answer (Again, Hard, Good, Easy),
with the automatic grade's rating shown beside it as a suggestion. The learner's rating schedules the review."""

from __future__ import annotations

import streamlit as st

from explainer.progress import srs
from questions.quiz import Grade, percent

HELP = {1: "missed it", 2: "partly, with real gaps", 3: "got it", 4: "got it, effortlessly"}


def suggestion(grade: Grade, seconds: float | None) -> int:
    """The rating the automatic grade maps to (srs.rating_for): what the card would get without a self-rating."""
    return int(srs.rating_for(grade.score, seconds))


def label(rating: int | None) -> str:
    return srs.SELF_RATINGS.get(rating, "not rated") if rating is not None else "not rated"


def rate(key: str, grade: Grade, seconds: float | None) -> int | None:
    """The four ratings as buttons (none chosen at first) and the suggestion; the chosen rating or None."""
    suggested = suggestion(grade, seconds)
    st.markdown("**How did you do?** Compare with the model answer, then rate yourself.")
    choice = st.segmented_control("Your rating", list(srs.SELF_RATINGS), key=f"{key}_self_rating",
                                  format_func=lambda r: f"{srs.SELF_RATINGS[r]} ({HELP[r]})",
                                  label_visibility="collapsed")
    st.caption(f":material/auto_awesome: Suggested by the automatic grade ({percent(grade.score)}): "
               f"**{srs.SELF_RATINGS[suggested]}**. Your own rating, if you give one, schedules the next review.")
    return choice
