"""The lesson builder: a draft lesson in this session (title and steps), steps added, moved and removed with
buttons, then checked as a whole (explainer.live.lessons) when it is saved."""

from __future__ import annotations

import streamlit as st

from explainer.core.sitemap import BY_PATH, LAB_PATHS, PAGES
from explainer.live.lessons import STEP_KINDS, LearnStep, QuestionStep, anchors, lab_step_from_url
from explainer.views.progress.text import md_escape
from questions.schema import Question

DRAFT = "_gl_lesson_draft"  # {"title": str, "steps": [step as a dict]}
MSG = "_gl_lesson_msg"
LEARN_PAGES = [p.url_path for p in PAGES if p.section == "Learn"]
KIND_LABELS = {"learn": "Learn section", "lab": "Experiment", "question": "Question"}
KIND_ICONS = {"learn": ":material/menu_book:", "lab": ":material/science:", "question": ":material/quiz:"}


def draft() -> dict:
    """This session's draft lesson (created empty on first use)."""
    return st.session_state.setdefault(DRAFT, {"title": "", "steps": []})


def load_draft(title: str, steps: list[dict]) -> None:
    """Put a lesson into the builder (the title widget follows on the next run)."""
    st.session_state[DRAFT] = {"title": title, "steps": [dict(s) for s in steps]}
    st.session_state["lesson_title"] = title


def flash(kind: str, text: str, details: str = "") -> None:
    """A message for the next run of the tab; `details` (located errors) is shown as plain text, never markdown."""
    st.session_state[MSG] = (kind, text, details)


def show_flash() -> None:
    msg = st.session_state.pop(MSG, None)
    if msg:
        kind, text, details = msg
        (st.success if kind == "success" else st.error)(text)
        if details:
            st.code(details, language=None, wrap_lines=True)


def _move(i: int, by: int) -> None:
    steps = draft()["steps"]
    j = i + by
    if 0 <= j < len(steps):
        steps[i], steps[j] = steps[j], steps[i]


def _remove(i: int) -> None:
    del draft()["steps"][i]


def _add(bank_ids: set[str]) -> None:
    """Add-step callback: build the step the form describes (its own checks), or say what is wrong."""
    kind = st.session_state.get("lesson_add_kind", "learn")
    try:
        if kind == "learn":
            anchor = st.session_state.get("lesson_add_anchor") or None
            step = LearnStep(learn=st.session_state["lesson_add_page"], anchor=anchor)
        elif kind == "lab":
            step = lab_step_from_url(st.session_state.get("lesson_add_url", ""),
                                     st.session_state.get("lesson_add_lab_title", "").strip() or None)
        else:
            qid = st.session_state.get("lesson_add_question")
            if qid not in bank_ids:
                raise ValueError("pick a question")
            step = QuestionStep(question=qid)
    except ValueError as exc:  # pydantic's ValidationError is a ValueError
        flash("error", "Step not added:", str(exc))
        return
    draft()["steps"].append(step.model_dump(exclude_defaults=True))
    flash("success", f"Added: {md_escape(step.label)}")


def step_label(step: dict, bank: dict[str, Question]) -> str:
    """One line per step in the builder: its kind and what it shows (a question's prompt, shortened)."""
    if "question" in step:
        q = bank.get(step["question"])
        prompt = " ".join(q.prompt.split())[:90] if q else "not in the banks being served"
        return f"Question `{step['question']}` ({q.type if q else '?'}): {md_escape(prompt)}"
    if "lab" in step:
        settings = ", ".join(f"{k}={v}" for k, v in step.get("params", {}).items()) or "its defaults"
        return f"Experiment **{BY_PATH[step['lab']].title}** with {settings}" + (
            f" ({md_escape(step['title'])})" if step.get("title") else "")
    heading = anchors(step["learn"]).get(step.get("anchor") or "", "the whole page")
    return f"Learn **{BY_PATH[step['learn']].title}**: {md_escape(heading)}"


def render_steps(bank: dict[str, Question]) -> None:
    steps = draft()["steps"]
    if not steps:
        st.caption("No steps yet: add the first one below.")
    for i, step in enumerate(steps):
        kind = next(k for k in STEP_KINDS if k in step)
        cols = st.columns([12, 1, 1, 1], vertical_alignment="center")
        cols[0].markdown(f"{i + 1}. {KIND_ICONS[kind]} {step_label(step, bank)}")
        cols[1].button("", key=f"lesson_up_{i}", icon=":material/arrow_upward:", help="Move up", disabled=i == 0,
                       on_click=_move, args=(i, -1))
        cols[2].button("", key=f"lesson_down_{i}", icon=":material/arrow_downward:", help="Move down",
                       disabled=i == len(steps) - 1, on_click=_move, args=(i, 1))
        cols[3].button("", key=f"lesson_remove_{i}", icon=":material/delete:", help="Remove", on_click=_remove,
                       args=(i,))


def _question_choice(q: Question) -> str:
    return f"{q.id} · {q.type} · {' '.join(q.prompt.split())[:70]}"


def render_add_step(bank: dict[str, Question]) -> None:
    """The add-step panel: pick the kind, then what to show."""
    with st.container(border=True, key="lesson_add_panel"):
        st.markdown("**Add a step**")
        kind = st.radio("Kind of step", STEP_KINDS, key="lesson_add_kind", horizontal=True,
                        format_func=KIND_LABELS.get)
        if kind == "learn":
            page = st.selectbox("Learn page", LEARN_PAGES, key="lesson_add_page",
                                format_func=lambda p: BY_PATH[p].title)
            sections = {"": "The whole page", **anchors(page)}
            st.selectbox("Section", list(sections), key="lesson_add_anchor", format_func=sections.get)
        elif kind == "lab":
            st.text_input("Experiment URL", key="lesson_add_url", max_chars=600,
                          placeholder="/lab-activations?activation=sigmoid&depth=30",
                          help="Open a lab, set it up, copy the address bar and paste it here. Labs: "
                               + ", ".join(sorted(LAB_PATHS)))
            st.text_input("Title on learners' phones (optional)", key="lesson_add_lab_title", max_chars=120)
        else:
            ids = sorted(bank)
            st.selectbox("Question", ids, key="lesson_add_question", index=None, placeholder="Type to search",
                         format_func=lambda i: _question_choice(bank[i]))
        st.button("Add step", key="lesson_add", icon=":material/add:", on_click=_add, args=(set(bank),))
