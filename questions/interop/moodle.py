"""Moodle XML: export the bank as a <quiz> of questions (one category per topic), and read one back into drafts.

Types: single_choice and predict -> multichoice (single), multiple_choice -> multichoice (multiple, +100/n_right
per correct and -100/n_wrong per wrong option), true_false -> truefalse, numeric -> numerical (absolute
tolerance, unit as an optional unit), free_response -> essay (model answer and rubric in the feedback and the
grader information). Texts are HTML with LaTeX as \\( \\) and \\[ \\]; the rest travels as lms.py describes.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from xml.parsers import expat

from questions.interop.draft import (
    Draft,
    finish_choice,
    finish_essay,
    finish_numeric,
    start_draft,
    text_to_markdown,
)
from questions.interop.lms import (
    CATEGORY_ROOT,
    choice_fractions,
    feedback_html,
    fraction_text,
    grader_html,
    meta_tags,
    num,
    read_feedback,
)
from questions.interop.markup import inline_html, to_html
from questions.schema import FreeResponse, MultipleChoice, Numeric, Predict, Question, SingleChoice, TrueFalse

MOODLE_TYPES = {"single_choice": "multichoice", "predict": "multichoice", "multiple_choice": "multichoice",
                "true_false": "truefalse", "numeric": "numerical", "free_response": "essay"}


def _text(parent: ET.Element, tag: str, text: str, fmt: str | None = "html") -> ET.Element:
    node = ET.SubElement(parent, tag, {"format": fmt} if fmt else {})
    ET.SubElement(node, "text").text = text
    return node


def _value(parent: ET.Element, tag: str, text: str) -> None:
    ET.SubElement(parent, tag).text = text


def _choices(node: ET.Element, q: SingleChoice | MultipleChoice | Predict) -> None:
    single = not isinstance(q, MultipleChoice)
    _value(node, "single", "true" if single else "false")
    _value(node, "shuffleanswers", "true" if q.shuffle else "false")
    _value(node, "answernumbering", "abc")
    _value(node, "showstandardinstruction", "0")
    for name in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"):
        _text(node, name, "")
    if not single:
        ET.SubElement(node, "shownumcorrect")
    for option, fraction in zip(q.options, choice_fractions(q), strict=True):
        answer = ET.SubElement(node, "answer", {"fraction": fraction_text(fraction), "format": "html"})
        ET.SubElement(answer, "text").text = inline_html(option)
        _text(answer, "feedback", "")


def _numerical(node: ET.Element, q: Numeric) -> None:
    answer = ET.SubElement(node, "answer", {"fraction": "100", "format": "moodle_auto_format"})
    ET.SubElement(answer, "text").text = num(q.value)
    _text(answer, "feedback", "")
    _value(answer, "tolerance", num(q.tolerance * abs(q.value) if q.relative else q.tolerance))
    _value(node, "unitgradingtype", "0")
    _value(node, "unitpenalty", "0.1000000")
    _value(node, "showunits", "1" if q.unit else "3")  # 1: units optional, 3: no units
    _value(node, "unitsleft", "0")
    if q.unit:
        unit = ET.SubElement(ET.SubElement(node, "units"), "unit")
        _value(unit, "multiplier", "1")
        _value(unit, "unit_name", q.unit)


def _essay(node: ET.Element, q: FreeResponse) -> None:
    for tag, value in (("responseformat", "editor"), ("responserequired", "1"), ("responsefieldlines", "10"),
                       ("attachments", "0"), ("attachmentsrequired", "0")):
        _value(node, tag, value)
    _text(node, "graderinfo", grader_html(q))
    _text(node, "responsetemplate", "")


def question_element(q: Question, app_url: str | None = None) -> ET.Element:
    """One <question> in Moodle's XML structure."""
    node = ET.Element("question", {"type": MOODLE_TYPES[q.type]})
    _text(node, "name", q.id, None)
    _text(node, "questiontext", to_html(q.prompt))
    _text(node, "generalfeedback", feedback_html(q, app_url))
    _value(node, "defaultgrade", "1")
    _value(node, "penalty", {"truefalse": "1", "essay": "0"}.get(MOODLE_TYPES[q.type], "0.3333333"))
    _value(node, "hidden", "0")
    _value(node, "idnumber", q.id)
    if isinstance(q, SingleChoice | MultipleChoice | Predict):
        _choices(node, q)
    elif isinstance(q, TrueFalse):
        for text in ("true", "false"):
            answer = ET.SubElement(node, "answer", {"fraction": "100" if (text == "true") == q.answer else "0",
                                                    "format": "moodle_auto_format"})
            ET.SubElement(answer, "text").text = text
            _text(answer, "feedback", "")
    elif isinstance(q, Numeric):
        _numerical(node, q)
    else:
        _essay(node, q)
    tags = ET.SubElement(node, "tags")
    for tag in meta_tags(q, native_units=True, native_shuffle=True):
        ET.SubElement(ET.SubElement(tags, "tag"), "text").text = tag
    return node


def export_moodle(questions: list[Question], app_url: str | None = None) -> bytes:
    """A Moodle XML file: a category question before each run of questions on one topic."""
    quiz = ET.Element("quiz")
    topic = None
    for q in questions:
        if q.topic != topic:
            topic = q.topic
            category = ET.SubElement(quiz, "question", {"type": "category"})
            _text(category, "category", f"{CATEGORY_ROOT}/{topic}", None)
            _text(category, "info", f"<p>Gradient Lab questions on {topic}.</p>")
        quiz.append(question_element(q, app_url))
    ET.indent(quiz, space="  ")
    return ET.tostring(quiz, encoding="utf-8", xml_declaration=True) + b"\n"


# ---- import --------------------------------------------------------------------------------------------------


class MoodleError(ValueError):
    """The file is not Moodle XML at all; `line` is where the parser gave up."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


def parse_xml(data: bytes) -> tuple[ET.Element, dict[ET.Element, int]]:
    """The element tree and each element's line; DOCTYPEs (entity tricks) are refused."""
    parser = expat.ParserCreate()
    builder = ET.TreeBuilder()
    lines: dict[ET.Element, int] = {}

    def start(tag: str, attrs: dict[str, str]) -> None:
        lines[builder.start(tag, attrs)] = parser.CurrentLineNumber

    def doctype(*_: object) -> None:
        raise MoodleError("a DOCTYPE is not allowed in Moodle XML", parser.CurrentLineNumber)

    parser.StartElementHandler = start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.data
    parser.StartDoctypeDeclHandler = doctype
    parser.buffer_text = True
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise MoodleError(f"not well-formed XML: {expat.ErrorString(exc.code)}", exc.lineno) from None
    return builder.close(), lines


def _get(node: ET.Element, path: str, default: str = "") -> str:
    found = node.find(path)
    return (found.text or default) if found is not None else default


def _format(node: ET.Element | None, default: str = "html") -> str:
    return node.get("format", default) if node is not None else default


def _flag(value: str, default: bool) -> bool:
    return {"true": True, "1": True, "false": False, "0": False}.get(value.strip().lower(), default)


def _choice_options(draft: Draft, node: ET.Element) -> tuple[list[str], list[float]]:
    options, fractions = [], []
    for i, answer in enumerate(node.findall("answer")):
        text, problems = text_to_markdown(_get(answer, "text"), _format(answer, _format(node.find("questiontext"))))
        draft.problems += [(f"options.{i}", p) for p in problems]
        options.append(text)
        try:
            fractions.append(float(answer.get("fraction", "0")))
        except ValueError:
            draft.problems.append((f"options.{i}", f"fraction {answer.get('fraction')!r} is not a number"))
            fractions.append(0.0)
    return options, fractions


def _number(text: str | None) -> float | None:
    try:
        return float(text or "")
    except ValueError:
        return None


def _numeric(draft: Draft, node: ET.Element) -> None:
    answers = [a for a in node.findall("answer") if _get(a, "text").strip() != "*"]
    keys = [a for a in answers if _number(a.get("fraction")) == 100]
    if len(answers) != 1 or len(keys) != 1:
        draft.problems.append(("value", f"{len(answers)} numerical answers ({len(keys)} worth 100%): the bank has "
                                        "one key with a tolerance, no partial credit"))
        return
    try:
        value, tolerance = float(_get(keys[0], "text")), float(_get(keys[0], "tolerance", "0"))
    except ValueError:
        draft.problems.append(("value", f"answer {_get(keys[0], 'text')!r} or its tolerance is not a number"))
        return
    units = [u for u in node.findall("units/unit") if _number(_get(u, "multiplier", "1")) == 1]
    if len(node.findall("units/unit")) > len(units[:1]):
        draft.problems.append(("unit", "only one unit (multiplier 1) can be carried over; the bank has no conversions"))
    finish_numeric(draft, value, tolerance, _get(units[0], "unit_name").strip() or None if units else None)


def read_question(node: ET.Element, line: int | None, category: str | None) -> Draft:
    """One <question> as a draft (with problems for what Moodle has and the bank cannot hold)."""
    kind = node.get("type", "")
    name = _get(node, "name/text").strip()
    qtypes = {"multichoice": "single_choice", "truefalse": "true_false", "numerical": "numeric",
              "essay": "free_response"}
    draft = start_draft(
        line=line, name=name, idnumber=_get(node, "idnumber").strip() or None, qtype=qtypes.get(kind, kind),
        prompt=_get(node, "questiontext/text"), prompt_format=_format(node.find("questiontext")),
        feedback=_get(node, "generalfeedback/text"),
        feedback_format=_format(node.find("generalfeedback"), _format(node.find("questiontext"))),
        tags=[_get(t, "text") for t in node.findall("tags/tag")], category=category)
    if kind == "multichoice":
        options, fractions = _choice_options(draft, node)
        finish_choice(draft, options, fractions, _flag(_get(node, "single", "true"), True),
                      _flag(_get(node, "shuffleanswers", "true"), True))
    elif kind == "truefalse":
        right = [_get(a, "text").strip().lower() for a in node.findall("answer") if _number(a.get("fraction")) == 100]
        if right in (["true"], ["false"]):
            draft.data["answer"] = right == ["true"]
        else:
            draft.problems.append(("answer", "no answer 'true' or 'false' is worth 100%"))
    elif kind == "numerical":
        _numeric(draft, node)
    elif kind == "essay":
        if "rubric" not in draft.data:  # feedback edited in Moodle: the grader information has the same sections
            draft.data.update({k: v for k, v in read_feedback(_get(node, "graderinfo/text")).fields.items()
                               if k in ("model_answer", "rubric")})
        finish_essay(draft)
    else:
        draft.problems.append(("type", f"Moodle question type {kind!r} has no bank equivalent (mapped: multichoice, "
                                       "truefalse, numerical, essay)"))
    return draft


def read_moodle(data: bytes) -> list[Draft]:
    """Every question of a Moodle XML file as a draft, in file order."""
    root, lines = parse_xml(data)
    if root.tag != "quiz":
        raise MoodleError(f"the root element is <{root.tag}>, not Moodle's <quiz>", lines.get(root))
    drafts: list[Draft] = []
    category = None
    for node in root.findall("question"):
        if node.get("type") == "category":
            category = _get(node, "category/text").strip() or None
            continue
        drafts.append(read_question(node, lines.get(node), category))
    return drafts
