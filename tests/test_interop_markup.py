"""Bank markdown <-> HTML: exact round trip on every bank text, LaTeX as MathJax delimiters, foreign HTML read."""

from __future__ import annotations

import pytest

from questions.interop.markup import from_html, inline_html, to_html
from questions.loader import BUILTIN_DIR, load_banks

BANK = load_banks([BUILTIN_DIR])


def texts(q) -> list[str]:
    """Every markdown text of a question: prompt, explanation, options, model answer, source."""
    return [q.prompt, q.explanation, *getattr(q, "options", []), *filter(None, [getattr(q, "model_answer", None),
                                                                               q.source])]


@pytest.mark.parametrize("q", BANK.questions, ids=lambda q: q.id)
def test_every_bank_text_round_trips(q):
    """from_html(to_html(text)) == text for each of the question's texts, with no problems reported."""
    for text in texts(q):
        assert from_html(to_html(text)) == (text, [])


def test_inline_and_display_math_become_mathjax_delimiters():
    """$..$ -> \\( .. \\), $$..$$ -> \\[ .. \\], and '<' inside math is escaped for HTML."""
    assert inline_html("a $x < 1$ b $$\\sum_i x_i$$") == "a \\(x &lt; 1\\) b \\[\\sum_i x_i\\]"


def test_markdown_marks_become_tags():
    """**bold**, *emphasis* and `code` become <strong>, <em> and <code>; code content is not parsed further."""
    assert inline_html("**a** *b* `c*d*`") == "<strong>a</strong> <em>b</em> <code>c*d*</code>"


def test_lone_stars_and_dollars_stay_text():
    """A multiplication star or a single dollar is not markup and survives as text."""
    assert from_html(to_html("2 * 3 * 4 costs $5")) == ("2 * 3 * 4 costs $5", [])


def test_paragraphs_split_on_blank_lines():
    """Blank lines separate <p> paragraphs; single newlines stay inside a paragraph."""
    assert to_html("one\ntwo\n\nthree") == "<p>one\ntwo</p>\n<p>three</p>"


def test_foreign_html_is_read_as_markdown():
    """HTML from Moodle's editor: <br>, lists, <b>/<i>, entities and non-breaking spaces become markdown."""
    md, problems = from_html('<p>Is&nbsp;<b>this</b> <i>right</i>?<br>Yes</p><ul><li>one</li><li>two</li></ul>'
                             '<span style="x">\\(x^2\\)</span>')
    assert md == "Is **this** *right*?\nYes\n\n- one\n- two\n\n$x^2$"
    assert problems == []


def test_images_are_reported():
    """An <img> cannot become bank text: it is named in a problem."""
    assert from_html('<p>See <img src="plot.png" alt="the plot"></p>')[1] == [
        "image 'the plot' cannot be carried over (bank text has no pictures)"]
