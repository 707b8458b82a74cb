"""Malformed or unmappable imports: each problem is a located error (file, line, question, field), the rest imports."""

from __future__ import annotations

import textwrap

from questions.interop.importer import Defaults, import_bytes, import_file

HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n'
TAGS = "<tags><tag><text>topic:overview</text></tag><tag><text>difficulty:easy</text></tag></tags>"


def moodle(*questions: str) -> bytes:
    return (HEAD + "".join(questions) + "</quiz>\n").encode()


def multichoice(name: str, fractions: tuple[str, ...], single: str = "true", feedback: str = "<p>Why.</p>") -> str:
    answers = "".join(f'<answer fraction="{f}" format="html"><text>option {i}</text></answer>'
                      for i, f in enumerate(fractions))
    return (f'<question type="multichoice">\n<name><text>{name}</text></name>\n'
            f'<questiontext format="html"><text>&lt;p&gt;Pick.&lt;/p&gt;</text></questiontext>\n'
            f'<generalfeedback format="html"><text>{feedback.replace("<", "&lt;")}</text></generalfeedback>\n'
            f"<single>{single}</single>{answers}{TAGS}\n</question>\n")


GOOD = multichoice("good-one", ("100", "0", "0"))


def test_unsupported_moodle_type_is_located():
    """A short-answer question: error on its own line, naming it and the field 'type'; the good one imports."""
    short = ('<question type="shortanswer">\n<name><text>short-one</text></name>\n'
             '<questiontext format="html"><text>Name it.</text></questiontext></question>\n')
    result = import_bytes(moodle(GOOD, short), "class.xml")
    [error] = result.errors
    assert (error.source, error.line, error.question_id, error.field) == ("class.xml", 9, "short-one", "type")
    assert "shortanswer" in error.message
    assert [q.id for q in result.questions] == ["good-one"]
    assert "short-one" not in result.yaml_text


def test_multichoice_without_a_key_is_located():
    """No option worth anything: the error names the 'answer' field, once (not again as 'missing')."""
    result = import_bytes(moodle(multichoice("no-key", ("0", "0", "0"))), "k.xml")
    assert [(e.line, e.question_id, e.field) for e in result.errors] == [(3, "no-key", "answer")]
    assert "no option has a positive grade" in result.errors[0].message


def test_uneven_multiple_answer_weights_are_refused():
    """Correct options worth 70% and 30%: the bank weighs correct options equally, so it is an error."""
    result = import_bytes(moodle(multichoice("uneven", ("70", "30", "-100"), single="false")), "u.xml")
    assert [(e.question_id, e.field) for e in result.errors] == [("uneven", "answers")]
    assert "70, 30%" in result.errors[0].message


def test_loader_errors_point_into_the_input_file():
    """A field the loader refuses (no explanation) is reported at the question's line in the XML, not the YAML."""
    result = import_bytes(moodle(GOOD, multichoice("no-why", ("100", "0"), feedback="")), "w.xml")
    [error] = result.errors
    assert (error.source, error.line, error.question_id, error.field) == ("w.xml", 9, "no-why", "explanation")
    assert error.message == "missing required field"
    assert str(error) == "w.xml:9: question 'no-why', field 'explanation': missing required field"


def test_missing_topic_without_defaults_is_an_error():
    """A foreign question with no topic tag or topic category needs --topic; without it the error says so."""
    plain = multichoice("plain", ("100", "0")).replace(TAGS, "")
    errors = import_bytes(moodle(plain), "p.xml").errors
    assert {(e.question_id, e.field) for e in errors} >= {("plain", "topic"), ("plain", "difficulty")}
    fixed = import_bytes(moodle(plain), "p.xml", defaults=Defaults(topic="overview", difficulty="easy"))
    assert fixed.errors == [] and fixed.questions[0].learn == ["overview"]


def test_image_in_question_text_is_reported():
    """Pictures cannot be carried into bank text: the prompt field gets an error naming the image."""
    picture = "Pick &lt;img src=\"a.png\" alt=\"plot\"&gt;"
    img = multichoice("pic", ("100", "0")).replace("&lt;p&gt;Pick.&lt;/p&gt;", picture)
    [error] = import_bytes(moodle(img), "i.xml").errors
    assert (error.question_id, error.field) == ("pic", "prompt")
    assert "'plot'" in error.message


def test_broken_xml_names_the_line():
    """Not well-formed XML is one error at the line where the parser stopped."""
    [error] = import_bytes(b"<quiz>\n<question type='essay'>\n</quiz>\n", "broken.xml").errors
    assert (error.source, error.line) == ("broken.xml", 3)
    assert "not well-formed" in error.message


def test_doctype_is_refused():
    """A DOCTYPE (entity expansion tricks) is refused before any entity is read."""
    data = b'<?xml version="1.0"?>\n<!DOCTYPE quiz [<!ENTITY a "aaaa">]>\n<quiz>&a;</quiz>'
    [error] = import_bytes(data, "dtd.xml").errors
    assert error.line == 2 and "DOCTYPE" in error.message


def test_gift_short_answer_and_bad_number_are_located():
    """GIFT: a short-answer block and a numerical answer that is no number, each at its own line."""
    text = textwrap.dedent("""\
        // [tag:topic:overview] [tag:difficulty:easy]
        ::ok::Sigmoid saturates.{T####Yes.}

        // [tag:topic:overview] [tag:difficulty:easy]
        ::short::Name the remedy.{=clipping####Clip.}

        // [tag:topic:overview] [tag:difficulty:easy]
        ::num::How much?{#lots####No.}
        """)
    result = import_bytes(text.encode(), "quiz.gift")
    assert [(e.line, e.question_id, e.field) for e in result.errors] == [(5, "short", "type"), (8, "num", "value")]
    assert [q.id for q in result.questions] == ["ok"]


def test_gift_unbalanced_braces_are_located():
    """A GIFT question whose answer braces never close is an error at its line."""
    text = "// [tag:topic:overview] [tag:difficulty:easy]\n::open::Never closed {=a ~b\n"
    [error] = import_bytes(text.encode(), "open.gift").errors
    assert (error.line, error.question_id, error.field) == (2, "open", "type")


def test_missing_file_is_one_error(tmp_path):
    """A path that does not exist gives one error naming it, and an empty bank."""
    result = import_file(tmp_path / "nope.xml")
    [error] = result.errors
    assert error.source.endswith("nope.xml") and "cannot read" in error.message
    assert result.questions == []
