"""Lessons: the step model, the YAML round trip, located errors, Learn sections, and the lesson/join URLs."""

from __future__ import annotations

import textwrap

import pytest
from pydantic import ValidationError

from explainer.core import urls
from explainer.learn import parser
from explainer.live.lesson_yaml import dump_lesson, load_lesson_text
from explainer.live.lessons import (
    LabStep,
    LearnStep,
    Lesson,
    QuestionStep,
    anchors,
    lab_step_from_url,
    learn_doc,
    section,
)
from questions import load_banks
from questions.loader import default_paths
from tests.conftest import ROOT

BANK = load_banks(default_paths())
IDS = set(BANK.by_id)
PREDICT = next(q.id for q in BANK.questions if q.type == "predict")
NUMERIC = next(q.id for q in BANK.questions if q.type == "numeric")
FIRST_VANISHING = next(iter(anchors("vanishing")))

GOOD = f"""\
title: "Week 3: why deep sigmoid nets stall"
steps:
  - learn: vanishing
    anchor: {FIRST_VANISHING}
  - question: {PREDICT}
  - lab: lab-activations
    params: {{activation: sigmoid, depth: 30, init_scale: 0.5}}
    title: A deep sigmoid net
  - question: {NUMERIC}
  - learn: remedy-init
"""


def test_a_valid_lesson_loads_with_each_kind_of_step():
    """Learn section, question, lab preset: each step becomes its own model, in order, with typed params."""
    lesson, errors = load_lesson_text(GOOD, "week3.yaml", IDS)
    assert errors == []
    assert [type(s) for s in lesson.steps] == [LearnStep, QuestionStep, LabStep, QuestionStep, LearnStep]
    assert lesson.steps[2].params == {"activation": "sigmoid", "depth": 30, "init_scale": 0.5}
    assert lesson.question_ids == [PREDICT, NUMERIC]
    assert lesson.slug == "week-3-why-deep-sigmoid-nets-stall"


def test_yaml_round_trip_gives_back_the_same_lesson():
    """dump_lesson then load_lesson_text returns an equal lesson (defaults left out, order kept)."""
    lesson, _ = load_lesson_text(GOOD, "week3.yaml", IDS)
    text = dump_lesson(lesson)
    again, errors = load_lesson_text(text, "dumped.yaml", IDS)
    assert errors == [] and again == lesson
    assert "anchor: null" not in text and "params: {}" not in text


BAD = """\
title: Broken
steps:
  - learn: vanishing
    anchor: no-such-heading
  - lab: lab-activations
    params: {depth: 1000}
  - question: no-such-question
  - slide: 3
  - lab: lab-init
    colour: red
extra: 1
"""


def test_every_problem_is_located_by_line_and_field():
    """One error per problem, each naming the source, the YAML line and the field, with what is wrong."""
    lesson, errors = load_lesson_text(BAD, "broken.yaml", IDS)
    assert lesson is None
    found = {(e.line, e.field): e.message for e in errors}
    assert "not a heading of vanishing" in found[(4, "steps.0.anchor")]
    assert "depth=1000 must be a whole number 2–100" in found[(6, "steps.1.params")]
    assert "no question 'no-such-question'" in found[(7, "steps.2.question")]
    assert "learn:, lab: or question:" in found[(8, "steps.3")]
    assert found[(10, "steps.4.colour")] == "unknown field (typo?)"
    assert "unknown top-level key" in found[(11, "extra")]
    assert all(str(e).startswith("broken.yaml:") for e in errors)


@pytest.mark.parametrize("text, needle", [
    ("title: [unclosed", "invalid YAML"),
    ("- just a list", "a lesson is a mapping"),
    ("title: x\nsteps: []\n", "at least 1 item"),
    ("title: !!python/object/apply:os.system [ls]\nsteps: []\n", "is not allowed"),
])
def test_malformed_documents_are_refused_with_a_reason(text, needle):
    """Bad YAML, a non-mapping, an empty lesson and Python tags each give an error saying so."""
    lesson, errors = load_lesson_text(text, "x.yaml")
    assert lesson is None and any(needle in str(e) for e in errors), errors


def test_lab_params_are_checked_against_the_page_they_name():
    """A setting of another lab page is refused (predict presets follow the same rule)."""
    with pytest.raises(ValidationError, match="'cell' is not a setting of lab-activations"):
        LabStep(lab="lab-activations", params={"cell": "lstm"})
    assert LabStep(lab="lab-recurrent", params={"cell": "lstm"}).url == "/lab-recurrent?cell=lstm"


def test_a_section_runs_from_its_heading_to_the_next_heading_of_its_level():
    """section() keeps the heading and its blocks, stops at the next ## heading; no anchor = the whole page."""
    doc = learn_doc("vanishing")
    first, second = list(anchors("vanishing"))[:2]
    part = section(doc, first)
    heads = part.of(parser.Heading)
    assert heads[0].anchor == first and second not in {h.anchor for h in heads}
    assert len(part.blocks) < len(doc.blocks)
    assert section(doc, None) is doc
    with pytest.raises(KeyError):
        section(doc, "no-such-heading")


def test_step_labels_name_what_the_projector_shows():
    """Labels: the Learn page and heading, the lab and its settings (or the author's title), the question id."""
    lesson = Lesson.model_validate({"title": "t", "steps": [
        {"learn": "vanishing", "anchor": FIRST_VANISHING}, {"lab": "lab-init", "params": {"depth": 30}},
        {"lab": "lab-init", "title": "Mine"}, {"question": PREDICT}]})
    labels = [s.label for s in lesson.steps]
    assert labels[0] == f"Vanishing gradients › {anchors('vanishing')[FIRST_VANISHING]}"
    assert labels[1:] == ["Initialization (depth=30)", "Mine", f"Question {PREDICT}"]


def test_join_codes_are_read_however_they_are_typed():
    """A fresh code uses the unambiguous alphabet; typing it in lower case with spaces or dashes still works;
    look-alike characters and wrong lengths are refused; the join URL carries the code."""
    code = urls.new_join_code()
    assert len(code) == urls.JOIN_CODE_LENGTH and set(code) <= set(urls.JOIN_CODE_ALPHABET)
    assert urls.parse_join_code(f" {code[:3].lower()} - {code[3:]}") == code
    assert urls.parse_join_code("ABC0O1") is None and urls.parse_join_code("ABC") is None
    assert urls.live_url("K7QH2X") == "/live?code=K7QH2X"
    with pytest.raises(ValueError):
        urls.live_url("k7qh2x")


def test_lesson_urls_use_the_title_slug():
    """A lesson's URL name is its title in lower-case ascii words; present_url refuses anything else."""
    assert urls.lesson_slug("Week 3: Clipping & Co. (v2)") == "week-3-clipping-co-v2"
    assert urls.lesson_slug("???") == "lesson"
    assert urls.present_url("week-3") == "/present?lesson=week-3"
    with pytest.raises(ValueError):
        urls.present_url("Week 3")


def test_a_pasted_experiment_address_becomes_a_typed_lab_step():
    """A full lab URL gives typed params (the predict switch dropped); a value the page would clamp is refused
    with the key and the allowed range, as is a setting of another page."""
    step = lab_step_from_url("https://lab.school.edu/lab-activations?depth=30&activation=tanh&predict=true")
    assert (step.lab, step.params) == ("lab-activations", {"depth": 30, "activation": "tanh"})
    with pytest.raises(ValueError, match="depth='300' is outside the allowed range 2–100"):
        lab_step_from_url("/lab-activations?depth=300")
    with pytest.raises(ValueError, match="'cell' is not a setting of lab-activations"):
        lab_step_from_url("/lab-activations?cell=lstm")


def test_the_lesson_in_deploy_md_is_valid():
    """The example lesson in docs/DEPLOY.md loads without errors against the built-in bank."""
    text = (ROOT / "docs" / "DEPLOY.md").read_text(encoding="utf-8")
    block = text.split("## Teaching live", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    lesson, errors = load_lesson_text(textwrap.dedent(block), "docs/DEPLOY.md", IDS)
    assert errors == [] and len(lesson.steps) == 3
