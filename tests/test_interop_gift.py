"""GIFT: the export parses back the way Moodle reads GIFT, reserved characters survive, foreign GIFT maps."""

from __future__ import annotations

import textwrap

from questions.interop import export_bytes
from questions.interop.gift import blocks, escape, read_gift
from questions.interop.importer import Defaults, import_bytes
from questions.loader import BUILTIN_DIR, load_banks
from questions.schema import QUESTION_ADAPTER

BANK = load_banks([BUILTIN_DIR])
TEXT = export_bytes(BANK.questions, "gift")[0].decode("utf-8")


def test_export_parses_back_into_one_clean_draft_per_question():
    """Reading the export gives one draft per question, same ids and types, no mapping problems."""
    drafts = read_gift(TEXT)
    assert [d.data["id"] for d in drafts] == [q.id for q in BANK.questions]
    assert [d.data["type"] for d in drafts] == [q.type for q in BANK.questions]
    assert [p for d in drafts for p in d.problems] == []


def test_each_question_is_one_block_with_its_id_comment():
    """Blocks are separated by blank lines; each question block starts with `// [id:..]` and its ::name::."""
    question_blocks = [lines for _, lines in blocks(TEXT) if lines[0].startswith("// [id:")]
    assert len(question_blocks) == len(BANK.questions)
    for lines, q in zip(question_blocks, BANK.questions, strict=True):
        assert lines[0].startswith(f"// [id:{q.id}]")
        assert lines[1].startswith(f"::{q.id}::[html]")


def test_latex_survives_as_mathjax_delimiters():
    """A prompt's $..$ is written as \\( .. \\) (backslashes doubled, as GIFT requires), never as dollars."""
    q = next(q for q in BANK.questions if "$" in q.prompt)
    block = next(lines for _, lines in blocks(TEXT) if lines[0].startswith(f"// [id:{q.id}]"))
    assert "\\\\(" in block[1] and "$" not in block[1]


def test_reserved_characters_and_backslashes_round_trip():
    """Braces, =, ~, #, :, newlines and LaTeX backslashes (\\nabla, \\{) come back exactly."""
    prompt = "Set $\\{x : x = 1\\}$ and $\\nabla L$; 50% ~ # {braces}: done.\nSecond line."
    q = QUESTION_ADAPTER.validate_python({
        "id": "gift-escape", "type": "single_choice", "topic": "overview", "difficulty": "easy", "prompt": prompt,
        "options": ["a = b", "c ~ d", "{e}", "f # g: h"], "answer": 2, "explanation": "Because \\ and \\\\.",
        "learn": ["overview"],
    })
    result = import_bytes(export_bytes([q], "gift")[0], "escape.gift")
    assert result.errors == []
    assert result.questions == [q]


def test_escape_matches_moodles_writer():
    """escape() writes what Moodle's GIFT exporter writes: reserved characters and backslash escaped, one line."""
    assert escape("a\\b {c} =d ~e #f :g\nh") == "a\\\\b \\{c\\} \\=d \\~e \\#f \\:g\\nh"


def test_foreign_gift_maps_with_defaults():
    """GIFT written by hand (no tags) imports with the given topic and difficulty and the topic's Learn page."""
    text = textwrap.dedent("""\
        // written in a text editor
        ::grad-sum::What is 1/4 as a decimal? {#0.25:0.001####One quarter.}

        Sigmoid saturates for large |x|.{T####Its slope tends to 0.}

        ::pick::Which activation has slope 1 for x > 0?{=ReLU ~Sigmoid ~Tanh#no####ReLU is the identity there.}
        """)
    result = import_bytes(text.encode(), "hand.gift", defaults=Defaults(topic="activations", difficulty="easy"))
    assert [str(e) for e in result.errors] == []
    numeric, true_false, choice = result.questions
    assert (numeric.type, numeric.value, numeric.tolerance) == ("numeric", 0.25, 0.001)
    assert (true_false.type, true_false.answer) == ("true_false", True)
    assert (choice.type, choice.options, choice.answer) == ("single_choice", ["ReLU", "Sigmoid", "Tanh"], 0)
    assert {q.topic for q in result.questions} == {"activations"}
    assert choice.learn == ["remedy-activations"]
    assert [q.id for q in result.questions] == ["grad-sum", "sigmoid-saturates-for-large-x", "pick"]
    assert choice.explanation == "ReLU is the identity there."


def test_range_answers_become_value_and_tolerance():
    """A numerical `{#low..high}` answer becomes its midpoint with half the width as tolerance."""
    text = "// [tag:topic:overview] [tag:difficulty:easy]\n::r1::Pick a number in [1, 5].{#1..5####Any.}\n"
    (q,) = import_bytes(text.encode(), "range.gift").questions
    assert (q.value, q.tolerance) == (3.0, 2.0)
