"""The loader: located one-line errors for every cross-check, safe YAML only, duplicates across files, fuzzing."""

from __future__ import annotations

import textwrap

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from questions import BankError, load_bank_text, load_banks, load_sources

GOOD = """\
questions:
  - id: q-one
    type: single_choice
    topic: vanishing
    difficulty: easy
    prompt: Pick one.
    explanation: Because.
    learn: [vanishing]
    options: [a, b, c]
    answer: 2
"""


def bank_with(fields: str) -> str:
    """A one-question bank whose common fields are valid and whose type-specific fields are `fields`."""
    head = textwrap.dedent("""\
        questions:
          - id: q-bad
            topic: clipping
            difficulty: medium
            prompt: Something.
            explanation: Because.
            learn: [remedy-clipping]
        """)
    return head + textwrap.indent(textwrap.dedent(fields), "    ")


def only_error(text: str) -> BankError:
    questions, errors = load_bank_text(text, "bank.yaml")
    assert questions == [] and len(errors) == 1, [str(e) for e in errors]
    return errors[0]


def test_valid_bank_loads():
    """A minimal valid bank yields its question and no errors."""
    questions, errors = load_bank_text(GOOD, "good.yaml")
    assert errors == [] and [q.id for q in questions] == ["q-one"]


@pytest.mark.parametrize(
    ("fields", "field", "line", "needle"),
    [
        ("type: single_choice\noptions: [a, b, c]\nanswer: 3\n", "answer", 10, "answer index 3 is out of range"),
        ("type: predict\npreset: {page: lab-init}\noptions: [a, b]\nanswer: -1\n", "answer", 11, "out of range"),
        ("type: multiple_choice\noptions: [a, b]\nanswers: []\n", "answers", 10, "at least one correct option"),
        ("type: multiple_choice\noptions: [a, b]\nanswers: [0, 5]\n", "answers", 10, "out of range"),
        ("type: free_response\nmodel_answer: m\nrubric: []\n", "rubric", 10, "rubric is empty"),
        ("type: numeric\nvalue: 1\ntolerance: -0.5\n", "tolerance", 10, "tolerance must be >= 0"),
        ("type: numeric\nvalue: one\ntolerance: 0\n", "value", 9, "not a number"),
        ("type: true_false\nanswer: true\ncolour: red\n", "colour", 10, "unknown field"),
        ("type: essay\n", "type", 2, "does not match any of the expected tags"),
        ("type: single_choice\noptions: [a, A]\nanswer: 0\n", "options", 9, "appears twice"),
        ("type: predict\npreset: {page: lab-init, params: {depth: 500}}\noptions: [a, b]\nanswer: 0\n",
         "preset.params", 9, "depth=500 must be a whole number 2–100"),
        ("type: predict\npreset: {page: lab-init, params: {colour: red}}\noptions: [a, b]\nanswer: 0\n",
         "preset.params", 9, "'colour' is not a setting of lab-init"),
        ("type: predict\npreset: {page: quiz, params: {}}\noptions: [a, b]\nanswer: 0\n",
         "preset.page", 9, "'quiz' is not one of"),
        ("type: free_response\nmodel_answer: m\nrubric: [{claim: c, match: ['clip']}]\n",
         "rubric.0.match.0", 10, "a claim relates at least two terms"),
        ("type: free_response\nmodel_answer: m\nrubric: [{claim: c, match: ['clip + !!!']}]\n",
         "rubric.0.match.0", 10, "can never match"),
        ("type: free_response\nmodel_answer: m\nrubric: [{name: n, phrases: [clip]}]\n",
         "rubric.0", 10, "keyword rubric items ('name' + 'phrases') are no longer graded"),
        ("type: free_response\nmodel_answer: m\nrubric: [{claim: c, match: ['something + something']}]\n",
         "rubric", 10, "uses only words of the prompt"),
    ],
)
def test_cross_checks_name_file_line_id_and_field(fields, field, line, needle):
    """Each cross-check yields one error naming the file, the line, the question id and the field."""
    err = only_error(bank_with(fields))
    assert (err.source, err.question_id, err.field, err.line) == ("bank.yaml", "q-bad", field, line)
    assert needle in err.message
    text = str(err)
    assert text.startswith(f"bank.yaml:{line}: question 'q-bad', field '{field}': ") and "\n" not in text


def test_unknown_topic_and_learn_page_are_refused_with_the_allowed_values():
    """A topic or learn link that is not in the sitemap is an error listing what is allowed."""
    text = GOOD.replace("topic: vanishing", "topic: dropout").replace("learn: [vanishing]", "learn: [nowhere]")
    _, errors = load_bank_text(text, "b.yaml")
    by_field = {e.field: e for e in errors}
    assert "'dropout' is not one of" in by_field["topic"].message and "'vanishing'" in by_field["topic"].message
    assert by_field["topic"].line == 4
    assert "'nowhere' is not one of" in by_field["learn.0"].message and by_field["learn.0"].line == 8


def test_missing_field_and_missing_type_are_located():
    """A missing required field points at the question's first line; a missing type says which types exist."""
    _, errors = load_bank_text("questions:\n  - id: no-type\n    topic: rnn\n", "b.yaml")
    assert [(e.field, e.line) for e in errors] == [("type", 2)]
    assert "missing 'type'" in errors[0].message
    _, errors = load_bank_text(GOOD.replace("    explanation: Because.\n", ""), "b.yaml")
    assert [(e.field, e.line, e.message) for e in errors] == [("explanation", 2, "missing required field")]


def test_strict_types_refuse_silent_coercion():
    """Strings are not coerced to numbers or booleans (strict models): a quoted answer index is an error."""
    err = only_error(GOOD.replace("answer: 2", 'answer: "2"'))
    assert err.field == "answer" and err.line == 10


def test_one_bad_question_does_not_drop_the_good_ones():
    """Valid questions in a file with an invalid one are still served."""
    text = GOOD + "  - id: broken\n    type: true_false\n"
    questions, errors = load_bank_text(text, "b.yaml")
    assert [q.id for q in questions] == ["q-one"]
    assert errors and all(e.question_id == "broken" for e in errors)


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("", "a bank is a mapping"),
        ("- 1\n- 2\n", "a bank is a mapping"),
        ("questions: {}\n", "a bank is a mapping"),
        ("questions: [\n", "invalid YAML"),
        ("a: b: c\n", "invalid YAML"),
        ("---\nquestions: []\n---\nquestions: []\n", "expected a single document"),
        ("questions: []\nextra: 1\n", "unknown top-level key 'extra'"),
        ("questions: [42]\n", "question #1 is not a mapping"),
        ("[" * 5000, "invalid YAML"),
    ],
)
def test_malformed_documents_give_located_errors(text, needle):
    """Structurally wrong or unparsable YAML gives a clear error, never an exception."""
    _, errors = load_bank_text(text, "m.yaml")
    assert errors and needle in errors[0].message
    assert str(errors[0]).startswith("m.yaml")


@pytest.mark.parametrize(
    "payload",
    [
        "!!python/object/apply:os.system ['touch {marker}']",
        "!!python/object/apply:builtins.exec [\"open('{marker}', 'w').write('x')\"]",
        "!!python/object/new:pathlib.Path ['{marker}']",
        "!!python/name:os.system",
    ],
)
def test_python_tags_are_refused_without_executing(tmp_path, payload):
    """YAML tags that would construct Python objects are refused and nothing runs (no marker file appears)."""
    marker = tmp_path / "pwned"
    text = "questions:\n  - " + payload.format(marker=marker) + "\n"
    questions, errors = load_bank_text(text, "evil.yaml")
    assert questions == [] and len(errors) == 1
    assert errors[0].line == 2 and "is not allowed" in errors[0].message and "!!python/" in errors[0].message
    assert not marker.exists()


def test_duplicate_ids_across_files_name_both_places():
    """The second definition of an id is an error pointing at the first file and line; the first is kept."""
    bank = load_sources([("a.yaml", GOOD), ("b.yaml", "title: B\n" + GOOD)])
    assert [q.id for q in bank.questions] == ["q-one"]
    expected = "b.yaml:3: question 'q-one', field 'id': duplicate id, first defined at a.yaml:2"
    assert [str(e) for e in bank.errors] == [expected]
    assert bank.origin["q-one"] == "a.yaml:2"


def test_load_banks_reads_directories_and_reports_missing_paths(tmp_path):
    """Directories contribute their *.yaml/*.yml files in name order; a missing path is an error, not a crash."""
    (tmp_path / "b.yml").write_text(GOOD.replace("q-one", "q-two"), encoding="utf-8")
    (tmp_path / "a.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "notes.txt").write_text("ignored", encoding="utf-8")
    (tmp_path / "bad.yaml").write_bytes(b"\xff\xfe not utf-8")
    bank = load_banks([tmp_path, tmp_path / "missing.yaml"])
    assert [q.id for q in bank.questions] == ["q-one", "q-two"]
    messages = [str(e) for e in bank.errors]
    assert any("bad.yaml" in m and "cannot read" in m for m in messages)
    assert any("missing.yaml" in m and "no such file" in m for m in messages)


def test_oversized_files_are_refused(tmp_path):
    """A bank larger than the 1 MB cap is refused with a message instead of being parsed."""
    big = tmp_path / "big.yaml"
    big.write_text("# " + "x" * 1_100_000 + "\n" + GOOD, encoding="utf-8")
    bank = load_banks([big])
    assert bank.questions == () and "larger than" in str(bank.errors[0])
    _, errors = load_bank_text("# " + "x" * 1_100_000, "upload")
    assert "larger than" in errors[0].message


# No subnormal floats: the engine flushes denormals process-wide (torch.set_flush_denormal), which hypothesis refuses.
yaml_scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.floats(allow_subnormal=False),
                         st.text(max_size=8))
yaml_values = st.recursive(
    yaml_scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.sampled_from(["id", "type", "topic", "options", "answer", "answers", "rubric", "preset", "params",
                         "value", "tolerance", "learn", "prompt", "phrases", "x"]) | st.text(max_size=5),
        children, max_size=5),
    max_leaves=20,
)
question_types = st.sampled_from(["single_choice", "multiple_choice", "true_false", "numeric", "free_response",
                                  "predict", "bogus"])


@st.composite
def bank_documents(draw):
    """Random bank-shaped documents (plausible keys, random values), dumped to YAML."""
    questions = draw(st.lists(
        st.fixed_dictionaries({"id": st.text(max_size=6) | st.just("q-x"), "type": question_types},
                              optional={"topic": st.sampled_from(["rnn", "nope"]), "learn": yaml_values,
                                        "options": yaml_values, "answer": yaml_values, "rubric": yaml_values,
                                        "preset": yaml_values, "value": yaml_values, "tolerance": yaml_values}),
        max_size=4,
    ))
    return yaml.safe_dump({"questions": questions, **draw(st.dictionaries(st.text(max_size=4), yaml_values,
                                                                          max_size=2))})


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=300), yaml_values.map(yaml.safe_dump), bank_documents()))
def test_random_documents_give_a_bank_or_located_errors(text):
    """Any text, random YAML or random bank-shaped document loads to questions and/or one-line errors, nothing else."""
    questions, errors = load_bank_text(text, "fuzz.yaml")
    for error in errors:
        assert isinstance(error, BankError)
        line = str(error)
        assert line.startswith("fuzz.yaml") and "\n" not in line
        assert error.line is None or error.line >= 1
    assert questions or errors or text.strip() == "questions: []"
