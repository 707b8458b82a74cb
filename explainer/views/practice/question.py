"""One question on screen: its prompt, an answer form per type, and the feedback after grading.

Bank text is markdown + LaTeX rendered with st.markdown (never unsafe_allow_html, so HTML stays inert);
learner text is shown escaped. Every widget key starts with the caller's `key`, so each question gets
fresh widgets and tests can drive them by key.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from explainer.core.sitemap import BY_PATH, TOPIC_BY_SLUG
from explainer.views.nav import link_to
from explainer.views.practice import claims, selfrate
from explainer.views.progress.text import md_escape
from questions import hints
from questions.quiz import Grade, answer_text, check_numeric, grade, key_text, option_order
from questions.schema import FreeResponse, MultipleChoice, Numeric, Predict, Question, SingleChoice, TrueFalse
from questions.session import Answered

DIFFICULTY_BADGE = {"easy": ":green-badge[easy]", "medium": ":orange-badge[medium]", "hard": ":red-badge[hard]"}


@dataclass(frozen=True)
class Submission:
    """What the answer form produced: an answer to grade, a skip, or a problem to fix first."""

    kind: str  # "answer" | "skip" | "invalid"
    value: object = None
    problem: str = ""


def render_prompt(q: Question, heading: str) -> None:
    topic = TOPIC_BY_SLUG[q.topic].title
    st.caption(f"{heading} · {md_escape(topic)} · {DIFFICULTY_BADGE[q.difficulty]}")
    st.markdown(q.prompt)


def _widgets(q: Question, key: str, salt: str) -> object:
    """Render the answer widgets for `q` (choices in a shuffled order); return their current value."""
    order = option_order(q, f"{salt}:{key}")
    if isinstance(q, SingleChoice | Predict):
        return st.radio("Your answer", order, index=None, format_func=lambda i: q.options[i], key=f"{key}_choice")
    if isinstance(q, MultipleChoice):
        st.caption("Select all that apply (wrong picks cost points).")
        return {i for i in order if st.checkbox(q.options[i], key=f"{key}_opt{i}")}
    if isinstance(q, TrueFalse):
        return st.radio("Your answer", (True, False), index=None, horizontal=True,
                        format_func=lambda b: "True" if b else "False", key=f"{key}_tf")
    if isinstance(q, Numeric):
        st.caption(hints.forms_caption(q))
        return st.text_input("Your answer", key=f"{key}_number", max_chars=60, placeholder=hints.placeholder(q))
    assert isinstance(q, FreeResponse)
    st.caption(f"Suggested time: about {round(q.time_limit_s / 60, 1):g} min. Claims count, not length or "
               "keywords: say how things relate; a wrong claim costs credit.")
    return st.text_area("Your answer", key=f"{key}_text", height=160, max_chars=5000)


def _problem(q: Question, value: object) -> str:
    """Why `value` cannot be graded yet (empty, or not a number), or "" when it can."""
    if value is None or value == "" or value == set():
        return "Give an answer first, or choose “I don't know”."
    if isinstance(q, Numeric):
        return check_numeric(q, str(value)) or ""
    if isinstance(q, FreeResponse) and not str(value).strip():
        return "Write an answer first, or choose “I don't know”."
    return ""


def answer_form(q: Question, key: str, salt: str = "") -> Submission | None:
    """The answer form (Enter or the button submits); None until it is submitted."""
    with st.form(f"{key}_form", border=True):
        value = _widgets(q, key, salt)
        check = st.form_submit_button("Check answer", type="primary", key=f"{key}_check", icon=":material/done:")
        skip = st.form_submit_button("I don't know", key=f"{key}_skip")
    if skip:
        return Submission("skip")
    if not check:
        return None
    problem = _problem(q, value)
    return Submission("invalid", value, problem) if problem else Submission("answer", value)


def ask(q: Question, key: str, salt: str = "") -> tuple[Submission, Grade, str] | None:
    """The answer form, graded once submitted: (submission, grade, answer as text), or None until an answer
    that can be graded (or a skip) arrives; an answer that cannot be graded yet says why. `salt` varies the
    option shuffle (a quiz's seed), so a retaken quiz does not put each key in the same place."""
    submission = answer_form(q, key, salt)
    if submission is None:
        return None
    if submission.kind == "invalid":
        st.warning(submission.problem, icon=":material/edit:")
        return None
    if submission.kind == "skip":
        return submission, Grade(0.0, "Skipped: here is the answer."), "(skipped)"
    return submission, grade(q, submission.value), answer_text(q, submission.value)


def _verdict(grade: Grade) -> None:
    if grade.correct:
        st.success(grade.message, icon=":material/check_circle:")
    elif grade.score > 0:
        st.warning(grade.message, icon=":material/contrast:")
    else:
        st.error(grade.message, icon=":material/cancel:")


def render_links(q: Question) -> None:
    """Links to the Learn page(s) the question tests and to the experiment that shows it."""
    for path in q.learn:
        st.page_link(link_to(path), label=f"Learn: {BY_PATH[path].title}", icon=":material/menu_book:")
    if isinstance(q, Predict):
        params = {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in q.preset.params.items()}
        st.page_link(link_to(q.preset.page), label="Run this experiment", icon=":material/science:",
                     query_params=params)
        st.caption(f"`{q.preset.url}`")
    elif (lab := TOPIC_BY_SLUG[q.topic].lab) is not None:
        st.page_link(link_to(lab), label=f"Experiment: {BY_PATH[lab].title}", icon=":material/science:")


def render_feedback(q: Question, answered: Answered) -> None:
    """Verdict, the learner's answer, the key, the explanation and the links."""
    _verdict(answered.grade)
    typed = isinstance(q, Numeric | FreeResponse) and answered.raw is not None  # learner text: shown verbatim
    st.markdown(f"**Your answer:** {md_escape(answered.text) if typed else answered.text}")
    if isinstance(q, FreeResponse):
        claims.render_claims(q, answered.grade)
        st.markdown("**Model answer**")
        st.markdown(q.model_answer)
    elif not answered.grade.correct:
        st.markdown(f"**Correct answer:** {key_text(q)}")
    st.markdown("**Why**")
    st.markdown(q.explanation)
    if q.source:
        st.caption(f"Source: {q.source}")
    render_links(q)


def self_rated(q: Question) -> bool:
    """Free answers are rated by the learner after the model answer, so they are saved when the learner moves
    on (with the rating); every other type is saved as soon as it is graded."""
    return isinstance(q, FreeResponse)


def rate_answer(q: Question, answered: Answered, key: str) -> None:
    """For a typed free answer: the self-rating buttons beside the automatic suggestion (kept on `answered`)."""
    if self_rated(q) and answered.raw is not None:
        answered.self_rating = selfrate.rate(key, answered.grade, answered.seconds)
