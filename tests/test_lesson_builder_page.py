"""The instructor's Lessons tab under AppTest: build a lesson step by step (add, reorder, remove), save it,
import YAML (located errors, or saved), and the bank export downloads."""

from __future__ import annotations

import pytest

from explainer.live.lesson_yaml import load_lesson_text
from explainer.store import get_engine, lessons
from explainer.views.instructor import page as instructor
from questions import load_banks
from questions.loader import default_paths
from tests.conftest import app_test

pytestmark = pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)  # page logic; the store runs on both
PAGE = "explainer/pages/instructor.py"
SECRET = "correct-horse-battery-staple"
QUESTION = next(q for q in load_banks(default_paths()).questions if q.type == "predict")


@pytest.fixture
def signed_in(app_db, monkeypatch):
    """The instructor page after signing in (its Lessons tab is rendered with the others)."""
    monkeypatch.setenv("GRADIENT_LAB_INSTRUCTOR_SECRET", SECRET)
    monkeypatch.setattr(instructor, "_failures", type(instructor._failures)())
    at = app_test(PAGE)
    at.text_input(key="instructor_secret_input").set_value(SECRET)
    at.button(key="instructor_login").click().run()
    assert not at.exception
    return at


def add_learn(at, page: str, anchor: str = ""):
    at.radio(key="lesson_add_kind").set_value("learn").run()
    at.selectbox(key="lesson_add_page").set_value(page).run()
    at.selectbox(key="lesson_add_anchor").set_value(anchor)
    at.button(key="lesson_add").click().run()


def add_lab(at, url: str):
    at.radio(key="lesson_add_kind").set_value("lab").run()
    at.text_input(key="lesson_add_url").set_value(url)
    at.button(key="lesson_add").click().run()


def add_question(at, qid: str):
    at.radio(key="lesson_add_kind").set_value("question").run()
    at.selectbox(key="lesson_add_question").set_value(qid)
    at.button(key="lesson_add").click().run()


def steps(at) -> list[dict]:
    return at.session_state["_gl_lesson_draft"]["steps"]


def test_build_reorder_remove_and_save_a_lesson(signed_in):
    """Three steps added through the form, the lab moved up, the Learn step removed, saved: the store holds a
    lesson whose YAML loads back to the steps in the builder's order."""
    at = signed_in
    add_learn(at, "vanishing")
    add_question(at, QUESTION.id)
    add_lab(at, "http://localhost:8501/lab-init?init=xavier_normal&depth=30&predict=true")
    assert [next(iter(s)) for s in steps(at)] == ["learn", "question", "lab"]
    at.button(key="lesson_up_2").click().run()
    at.button(key="lesson_remove_0").click().run()
    assert steps(at) == [{"lab": "lab-init", "params": {"init": "xavier_normal", "depth": 30}},
                         {"question": QUESTION.id}]
    at.text_input(key="lesson_title").set_value("Week 4: init")
    at.button(key="lesson_save").click().run()
    assert not at.exception and any("Saved" in m.value for m in at.success)
    stored = lessons.get_lesson(get_engine(), "week-4-init")
    lesson, errors = load_lesson_text(stored.yaml_text, "stored")
    assert errors == [] and [s.model_dump(exclude_defaults=True) for s in lesson.steps] == steps(at)


def test_a_bad_experiment_url_is_refused_with_the_reason(signed_in):
    """An out-of-range setting is not added; the message names the key and the allowed range."""
    at = signed_in
    add_lab(at, "/lab-activations?depth=500")
    assert steps(at) == []
    assert any("depth='500' is outside the allowed range 2–100" in c.value for c in at.code)


def test_saving_without_a_title_says_what_is_missing(signed_in):
    """A draft with steps but no title is not saved; the located error names the title field."""
    at = signed_in
    add_learn(at, "exploding")
    at.button(key="lesson_save").click().run()
    assert any("Not saved" in m.value for m in at.error)
    assert any("field 'title'" in c.value for c in at.code)
    assert lessons.list_lessons(get_engine()) == []


def test_importing_yaml_reports_located_errors(signed_in):
    """An uploaded lesson with an unknown question and a bad anchor: nothing saved, each error with its line."""
    at = signed_in
    bad = b"title: Imported\nsteps:\n  - question: nope-not-here\n  - learn: vanishing\n    anchor: nowhere\n"
    at.file_uploader(key="lesson_upload").upload("week5.yaml", bad, "application/x-yaml").run()
    assert not at.exception
    text = "\n".join(c.value for c in at.code)
    assert "week5.yaml:3: field 'steps.0.question'" in text and "week5.yaml:5: field 'steps.1.anchor'" in text
    assert lessons.list_lessons(get_engine()) == []


def test_importing_a_valid_lesson_saves_it_into_the_builder(signed_in):
    at = signed_in
    good = f"title: Imported\nsteps:\n  - question: {QUESTION.id}\n".encode()
    at.file_uploader(key="lesson_upload").upload("week5.yaml", good, "application/x-yaml").run()
    at.button(key="lesson_import_save").click().run()
    assert [x.slug for x in lessons.list_lessons(get_engine())] == ["imported"]
    assert steps(at) == [{"question": QUESTION.id}]


def test_the_bank_exports_offer_every_format(signed_in):
    """One download per export format, named as questions.interop names the files."""
    at = signed_in
    keys = {b.key for b in at.get("download_button")}
    assert {"export_moodle-xml", "export_gift", "export_anki", "export_csv"} <= keys
