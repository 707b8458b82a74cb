"""Moodle XML export: parses with xml.etree and follows Moodle's question structure for every built-in question."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from questions.interop import export_bytes
from questions.interop.importer import Defaults, import_bytes
from questions.interop.lms import CATEGORY_ROOT
from questions.loader import BUILTIN_DIR, load_banks

BANK = load_banks([BUILTIN_DIR])
APP_URL = "https://lab.example.org"
ROOT = ET.fromstring(export_bytes(BANK.questions, "moodle-xml", APP_URL)[0])
# Moodle's allowed grade percentages (question_bank::fraction_options_full), positive and negative.
GRADES = [100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20, 16.66667, 14.28571, 12.5,
          11.11111, 10, 5, 0]


def questions_of(qtype: str) -> list[tuple[ET.Element, object]]:
    """(<question>, bank question) pairs of one Moodle type."""
    nodes = [n for n in ROOT.findall("question") if n.get("type") == qtype]
    return [(n, BANK.by_id[n.findtext("name/text")]) for n in nodes]


def fractions(node: ET.Element) -> list[float]:
    return [float(a.get("fraction")) for a in node.findall("answer")]


def test_root_is_a_quiz_of_every_question():
    """The document is a <quiz> with one <question> per bank question besides the category questions."""
    assert ROOT.tag == "quiz"
    names = [n.findtext("name/text") for n in ROOT.findall("question") if n.get("type") != "category"]
    assert names == [q.id for q in BANK.questions]


def test_every_question_sits_in_its_topic_category():
    """A category question opens the file, and each question follows the category of its own topic."""
    nodes = ROOT.findall("question")
    assert nodes[0].get("type") == "category"
    current = None
    for node in nodes:
        if node.get("type") == "category":
            current = node.findtext("category/text")
            continue
        assert current == f"{CATEGORY_ROOT}/{BANK.by_id[node.findtext('name/text')].topic}"


def test_question_text_and_feedback_are_html():
    """questiontext and generalfeedback carry format="html" and HTML paragraphs; idnumber is the bank id."""
    for node in ROOT.findall("question"):
        if node.get("type") == "category":
            continue
        assert node.find("questiontext").get("format") == "html"
        assert node.findtext("questiontext/text").startswith("<p>")
        assert node.find("generalfeedback").get("format") == "html"
        assert node.findtext("idnumber") == node.findtext("name/text")


def test_latex_becomes_mathjax_delimiters():
    """Inline $..$ in a prompt becomes \\( .. \\) in the question text, and no dollar sign is left."""
    with_math = [(n, BANK.by_id[n.findtext("name/text")]) for n in ROOT.findall("question")
                 if n.get("type") != "category" and "$" in BANK.by_id[n.findtext("name/text")].prompt]
    assert with_math, "the built-in bank has prompts with LaTeX"
    for node, q in with_math:
        text = node.findtext("questiontext/text")
        assert "$" not in text
        assert text.count("\\(") == text.count("\\)") == len(re.findall(r"\$[^$]+\$", q.prompt))


def test_single_answer_multichoice_fractions_sum_to_100():
    """single=true: exactly one answer worth 100, the others 0 (single_choice and predict)."""
    pairs = [(n, q) for n, q in questions_of("multichoice") if n.findtext("single") == "true"]
    assert pairs
    for node, q in pairs:
        assert sum(fractions(node)) == 100
        assert fractions(node)[q.answer] == 100
        assert sorted(fractions(node))[:-1] == [0] * (len(q.options) - 1)


def test_multiple_answer_multichoice_positive_fractions_sum_to_100():
    """single=false: correct options share +100, wrong ones share -100, each a Moodle grade value."""
    pairs = [(n, q) for n, q in questions_of("multichoice") if n.findtext("single") == "false"]
    assert pairs
    for node, q in pairs:
        values = fractions(node)
        assert sum(v for v in values if v > 0) == pytest.approx(100, abs=1e-3)
        assert [i for i, v in enumerate(values) if v > 0] == q.answers
        if len(q.answers) < len(q.options):
            assert sum(v for v in values if v < 0) == pytest.approx(-100, abs=1e-3)
        for v in values:
            assert min(abs(abs(v) - g) for g in GRADES) < 1e-4, f"{q.id}: {v} is not a Moodle grade"


def test_multichoice_keeps_the_shuffle_setting():
    """shuffleanswers follows the bank's shuffle flag."""
    for node, q in questions_of("multichoice"):
        assert node.findtext("shuffleanswers") == ("true" if q.shuffle else "false")


def test_truefalse_has_a_true_and_a_false_answer():
    """truefalse: answers 'true' and 'false', the key worth 100."""
    pairs = questions_of("truefalse")
    assert pairs
    for node, q in pairs:
        answers = {a.findtext("text"): float(a.get("fraction")) for a in node.findall("answer")}
        assert answers == {"true": 100.0 if q.answer else 0.0, "false": 0.0 if q.answer else 100.0}


def test_numerical_has_value_and_absolute_tolerance():
    """numerical: one answer worth 100 with the key and a <tolerance> (absolute, so relative ones are scaled)."""
    pairs = questions_of("numerical")
    assert pairs
    for node, q in pairs:
        (answer,) = node.findall("answer")
        assert float(answer.get("fraction")) == 100
        assert float(answer.findtext("text")) == q.value
        expected = q.tolerance * abs(q.value) if q.relative else q.tolerance
        assert float(answer.findtext("tolerance")) == pytest.approx(expected, rel=1e-12, abs=0)


def test_essay_gives_graders_the_model_answer_and_rubric():
    """essay: an editor response, and the grader information holds the model answer and every rubric concept."""
    pairs = questions_of("essay")
    assert pairs
    for node, q in pairs:
        assert node.findtext("responseformat") == "editor"
        info = node.findtext("graderinfo/text")
        assert "Model answer" in info and "Key concepts" in info
        assert all(c.claim.split()[0] in info for c in q.rubric)


def test_predict_feedback_links_the_experiment():
    """A predict question's feedback links the lab preset at the app's public address."""
    pairs = [(n, q) for n, q in questions_of("multichoice") if q.type == "predict"]
    assert pairs
    for node, q in pairs:
        feedback = node.findtext("generalfeedback/text")
        assert f'href="{APP_URL}{q.preset.url.replace("&", "&amp;")}"' in feedback


def test_metadata_travels_as_tags():
    """topic, difficulty and learn pages are tags, next to the question's own tags."""
    for node in ROOT.findall("question"):
        if node.get("type") == "category":
            continue
        q = BANK.by_id[node.findtext("name/text")]
        tags = [t.findtext("text") for t in node.findall("tags/tag")]
        expected = {f"topic:{q.topic}", f"difficulty:{q.difficulty}", *(f"learn:{p}" for p in q.learn), *q.tags}
        assert expected <= set(tags)


MOODLE_MADE = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
<!-- question: 0  -->
  <question type="category">
    <category><text>$course$/top/Default for ML 101</text></category>
  </question>
  <question type="multichoice">
    <name><text>Sigmoid slope</text></name>
    <questiontext format="html">
      <text><![CDATA[<p dir="ltr" style="text-align: left;">The largest slope of the sigmoid is&nbsp;\\(\\sigma'(0)\\)
 =<br></p>]]></text>
    </questiontext>
    <generalfeedback format="html"><text><![CDATA[<p>It is <b>1/4</b>.</p>]]></text></generalfeedback>
    <single>true</single>
    <shuffleanswers>true</shuffleanswers>
    <answer fraction="0" format="html"><text><![CDATA[<p dir="ltr">1</p>]]></text></answer>
    <answer fraction="100" format="html"><text><![CDATA[<p dir="ltr">\\(1/4\\)</p>]]></text></answer>
    <tags><tag><text>Week 2</text></tag></tags>
  </question>
</quiz>
"""


def test_question_exported_by_moodle_itself_imports():
    """Moodle's own export (CDATA, styled paragraphs, a course category, a free-form tag) maps with --topic."""
    result = import_bytes(MOODLE_MADE.encode(), "moodle.xml", defaults=Defaults(topic="vanishing", difficulty="easy"))
    assert result.errors == []
    (q,) = result.questions
    assert (q.id, q.type, q.topic, q.learn, q.tags) == ("sigmoid-slope", "single_choice", "vanishing",
                                                        ["vanishing"], ["week-2"])
    assert q.prompt == "The largest slope of the sigmoid is $\\sigma'(0)$\n ="
    assert (q.options, q.answer, q.explanation) == (["1", "$1/4$"], 1, "It is **1/4**.")


def test_essay_rubric_is_read_from_grader_information_when_feedback_was_edited():
    """If a teacher rewrote an essay's feedback in Moodle, the model answer and rubric come from graderinfo."""
    q = next(q for q in BANK.questions if q.type == "free_response")
    root = ET.fromstring(export_bytes([q], "moodle-xml")[0])
    root.find("question[@type='essay']/generalfeedback/text").text = "<p>Rewritten in Moodle.</p>"
    result = import_bytes(ET.tostring(root), "edited.xml")
    assert result.errors == []
    (back,) = result.questions
    assert (back.model_answer, back.rubric, back.explanation) == (q.model_answer, q.rubric, "Rewritten in Moodle.")
