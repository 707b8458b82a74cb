"""Instructor tab: lessons (stored, built, imported and exported as YAML) and the live session, if one is running.

A lesson is presented on the Presenter page (`/present?lesson=<name>`); learners join at `/live` with the code the
projector shows. Lessons live in the database, so every replica presents the same steps.
"""

from __future__ import annotations

import streamlit as st
import yaml
from sqlalchemy import Engine

from explainer.core.urls import present_url
from explainer.live.lesson_yaml import MAX_LESSON_BYTES, dump_lesson, load_lesson_text
from explainer.store import lessons, live
from explainer.views.instructor import lesson_builder as builder
from explainer.views.nav import link_to
from explainer.views.practice.bank import active_bank
from explainer.views.progress import access
from explainer.views.progress.text import md_escape

HOW = ("A **lesson** is an ordered list of steps: a Learn section, an experiment (a lab with its settings) or a "
       "question from the bank. **Present** it on a projector (the Presenter page, behind this same secret): one "
       "step at a time in large type, the arrow keys or space to move on, and a join code with its QR code. "
       "Learners open **Live session** on their phones (or scan the code) and answer each question step once; the "
       "projector counts the answers as they arrive and draws one bar per option; **Reveal** shows the key and, "
       "for a *predict* question, runs its experiment. Live answers are ordinary attempts: they appear on the "
       "dashboard and in each learner's reviews. Lessons are YAML (download one to see the format, edit it, and "
       "import it back; problems are reported by line and field).")


def _save(text: str, source: str, ids: set[str]) -> None:
    """Check a lesson's YAML and store its canonical form; the outcome becomes the tab's message."""
    lesson, errors = load_lesson_text(text, source, ids)
    if errors:
        builder.flash("error", f"Not saved: {len(errors)} problem(s).", "\n".join(str(e) for e in errors))
        return
    replaced = access.call(lessons.save_lesson, lesson.title, dump_lesson(lesson), len(lesson.steps), quiet=True)
    if replaced is None:
        builder.flash("error", "Not saved: the database is unreachable; try again in a minute.")
        return
    builder.load_draft(lesson.title, [s.model_dump(exclude_defaults=True) for s in lesson.steps])
    again = " (it replaces the lesson of that name)" if replaced else ""
    builder.flash("success", f"Saved “{md_escape(lesson.title)}”{again}: present it at `{present_url(lesson.slug)}`.")


def _save_draft(ids: set[str]) -> None:
    draft = builder.draft()
    draft["title"] = st.session_state.get("lesson_title", "").strip()
    text = yaml.safe_dump({"title": draft["title"], "steps": draft["steps"]}, sort_keys=False, allow_unicode=True)
    _save(text, "lesson builder", ids)


def _new() -> None:
    builder.load_draft("", [])


def _live_status() -> None:
    state = access.call(live.active, default=None)
    if state is None:
        return
    with st.container(border=True, key="lesson_live_status"):
        st.markdown(f":red-badge[:material/sensors: live] Lesson `{state.lesson_slug}`, step {state.step + 1}; "
                    f"join code **{state.code}**.")
        cols = st.columns(2)
        cols[0].page_link(link_to("present"), label="Open the presenter view", icon=":material/co_present:")
        if cols[1].button("End the live session", key="lesson_live_end", icon=":material/stop_circle:"):
            access.call(live.end, state.id)
            st.rerun()


def _stored() -> None:
    stored = access.call(lessons.list_lessons, default=[])
    st.subheader("Your lessons", anchor=False)
    if not stored:
        st.caption("No lessons yet: build one below, or import a lesson's YAML.")
    for info in stored:
        cols = st.columns([4, 2, 2, 2, 2], vertical_alignment="center")
        cols[0].markdown(f"**{md_escape(info.title)}** · {info.step_count} steps · `{present_url(info.slug)}`")
        cols[1].page_link(link_to("present"), label="Present", icon=":material/co_present:",
                          query_params={"lesson": info.slug})
        cols[2].button("Edit", key=f"lesson_edit_{info.slug}", on_click=_edit, args=(info.yaml_text,))
        cols[3].download_button("YAML", data=info.yaml_text.encode(), file_name=f"{info.slug}.yaml",
                                mime="application/x-yaml", key=f"lesson_yaml_{info.slug}", on_click="ignore",
                                icon=":material/download:")
        if cols[4].button("Delete", key=f"lesson_delete_{info.slug}"):
            access.call(lessons.delete_lesson, info.slug)
            st.rerun()


def _edit(text: str) -> None:
    lesson, errors = load_lesson_text(text, "stored lesson")
    if lesson is None:  # stored lessons were valid when saved; a Learn heading may have been renamed since
        builder.flash("error", "This lesson no longer validates:", "\n".join(str(e) for e in errors))
        return
    builder.load_draft(lesson.title, [s.model_dump(exclude_defaults=True) for s in lesson.steps])


def _import(ids: set[str]) -> None:
    st.subheader("Import a lesson", anchor=False)
    file = st.file_uploader(f"Lesson (YAML, at most {MAX_LESSON_BYTES // 1024} KB)", key="lesson_upload",
                            accept_multiple_files=False)
    if file is None:
        return
    try:
        text = file.getvalue().decode("utf-8")
    except UnicodeDecodeError:
        st.error("Not a UTF-8 text file: save the lesson as UTF-8 YAML.", icon=":material/error:")
        return
    lesson, errors = load_lesson_text(text, file.name, ids)
    if errors:
        st.error(f"`{md_escape(file.name)}` has {len(errors)} problem(s); fix them and import again.",
                 icon=":material/error:")
        st.code("\n".join(str(e) for e in errors), language=None, wrap_lines=True)
        return
    st.info(f"“{md_escape(lesson.title)}”: {len(lesson.steps)} valid steps.", icon=":material/fact_check:")
    st.button(f"Save lesson “{lesson.title}”", key="lesson_import_save", type="primary", on_click=_save,
              args=(text, file.name, ids))


def render_lessons(engine: Engine) -> None:
    del engine  # every store call goes through access.call
    bank = active_bank().by_id
    ids = set(bank)
    builder.show_flash()
    st.markdown(HOW)
    _live_status()
    _stored()
    st.subheader("Lesson builder", anchor=False)
    draft = builder.draft()
    st.session_state.setdefault("lesson_title", draft["title"])
    st.text_input("Lesson title", key="lesson_title", max_chars=200, placeholder="Week 3: why deep sigmoid nets stall")
    builder.render_steps(bank)
    builder.render_add_step(bank)
    cols = st.columns(2)
    cols[0].button("Save lesson", key="lesson_save", type="primary", icon=":material/save:", on_click=_save_draft,
                   args=(ids,), width="stretch")
    cols[1].button("Start a new lesson", key="lesson_new", icon=":material/note_add:", on_click=_new, width="stretch")
    _import(ids)
