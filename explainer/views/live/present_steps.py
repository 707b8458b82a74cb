"""One lesson step on the projector: a Learn section, a lab's charts full width, or a question with its live tally.

Learn sections are drawn by the Learn pages' renderer, labs by the lab pages' own `body` (the same charts and
diagnosis as the page, with the step's settings), questions with the class's answers updating every POLL_S.
"""

from __future__ import annotations

import importlib

import streamlit as st

from explainer.live import tally
from explainer.live.charts import tally_chart
from explainer.live.lessons import LabStep, LearnStep, learn_doc, section
from explainer.store import live
from explainer.store.live import LiveState
from explainer.views.lab.page import LabRun, check_configs, config_key
from explainer.views.lab.results import run_variants
from explainer.views.learn.markdown import render_doc
from explainer.views.live.common import POLL_S, display_order
from explainer.views.practice.question import render_links
from explainer.views.progress import access
from questions.quiz import key_text
from questions.schema import FreeResponse, MultipleChoice, Numeric, Predict, Question, SingleChoice, TrueFalse


def show_learn(step: LearnStep) -> None:
    """The section (or page) as the Learn page draws it, under the page's title."""
    render_doc(section(learn_doc(step.learn), step.anchor), slots={"class_presets": lambda: None})


def lab_view(page: str):
    """The view module of lab page `page` (explainer/views/lab/<name>.py): its `body(run)` draws the charts."""
    return importlib.import_module(f"explainer.views.lab.{page.removeprefix('lab-').replace('-', '_')}")


def show_lab(page: str, params: dict) -> None:
    """The lab page's charts for these settings (its defaults for the rest), full width, no controls."""
    from explainer.lab.specs import LABS

    spec = LABS[page]
    view = lab_view(page)
    values = {**spec.defaults, **params}
    variants = spec.variants(values)
    st.title(spec.title)
    if params:
        st.caption("Settings: " + ", ".join(f"{k} = {v}" for k, v in params.items()))
    if check_configs(spec.kind, variants):
        view.body(LabRun(spec, values, variants, config_key(values), run_variants(spec.kind, variants)))


def show_lab_step(step: LabStep) -> None:
    show_lab(step.lab, dict(step.params))


def _options(q: Question, order: list[int], revealed: bool) -> None:
    """The choices as the phones list them, lettered A, B, … (the bars use the same letters); once revealed the
    key is ticked."""
    if isinstance(q, SingleChoice | Predict | MultipleChoice):
        keys = set(q.answers) if isinstance(q, MultipleChoice) else {q.answer}
        tick = {i: " :green[:material/check_circle:]" if revealed and i in keys else "" for i in order}
        hint = "\n\n(pick all that apply)" if isinstance(q, MultipleChoice) else ""
        st.markdown("\n".join(f"- **{tally.letter(p)}** · {q.options[i]}{tick[i]}" for p, i in enumerate(order))
                    + hint)
    elif isinstance(q, TrueFalse):
        st.markdown("**True** or **False**?")
    elif isinstance(q, Numeric):
        st.markdown("Type a number on your phone" + (f" (unit: {q.unit})." if q.unit else "."))
    elif isinstance(q, FreeResponse):
        st.markdown("Write a short answer on your phone.")


@st.fragment(run_every=POLL_S)
def live_tally(q: Question, live_id: int, step: int, order: list[int], revealed: bool) -> None:
    """The answer count and one bar per option, re-read from the store every POLL_S (any replica's answers)."""
    answers = access.call(live.answers, live_id, step, default=[], quiet=True)
    frame = tally.tally(q, answers, order)
    sentence = tally.summary(frame, len(answers), revealed)
    with st.container(key="present_tally"):
        st.metric("Answers", len(answers))
        if answers:
            st.altair_chart(tally_chart(frame, revealed), width="stretch", alt=sentence)
        key = [r.option for r in frame.itertuples() if r.correct]
        if revealed and key:
            st.caption("Correct: " + "; ".join(key))


def show_question(q: Question, state: LiveState) -> None:
    """The prompt and the options, the live tally beside them; after "Reveal" the key, the explanation and,
    for a predict question, its experiment run right here."""
    order = display_order(q, state)
    left, right = st.columns([3, 2], gap="large")
    with left:
        st.markdown(q.prompt)
        _options(q, order, state.is_revealed)
    with right:
        live_tally(q, state.id, state.step, order, state.is_revealed)
    if not state.is_revealed:
        return
    with st.container(border=True, key="present_key"):
        st.markdown(f"**{'Model answer' if isinstance(q, FreeResponse) else 'Answer'}:** {key_text(q)}")
        st.markdown(q.explanation)
        render_links(q)
    if isinstance(q, Predict):
        show_lab(q.preset.page, dict(q.preset.params))
