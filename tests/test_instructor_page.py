"""Instructor page under AppTest: no secret, no data; the secret gate; the dashboard; presets; bank checks."""

from __future__ import annotations

import pytest

from explainer.progress.bank_upload import check_upload
from explainer.store import attempts, dashboard, get_engine, learners, presets
from explainer.store.attempts import AttemptIn
from explainer.views.instructor import page as instructor
from tests.conftest import app_test

PAGE = "explainer/pages/instructor.py"
SECRET = "correct-horse-battery-staple"
CODE = "ML101"


@pytest.fixture
def class_with_answers(app_db, monkeypatch):
    """A class of two learners (one named 'Zelda Secretname') with answers, plus a self-study learner."""
    monkeypatch.setenv("GRADIENT_LAB_CLASS_CODE", CODE)
    monkeypatch.setattr(instructor, "_failures", type(instructor._failures)())
    monkeypatch.setattr(instructor.time, "sleep", lambda _s: None)
    engine = get_engine()
    room = learners.class_id_for(engine, CODE, create=True)
    for name in ("Zelda Secretname", "Yann"):
        me, _ = learners.create_learner(engine, name, room)
        for i in range(4):
            attempts.record_attempt(engine, me.id, AttemptIn(f"q{i}", "vanishing", "x", i / 3, 9.0))
    loner, _ = learners.create_learner(engine, "Solo")
    attempts.record_attempt(engine, loner.id, AttemptIn("q9", "rnn", "x", 1.0))
    return engine


def _everything(at) -> str:
    """Every piece of text the page rendered (labels, values, table cells), for leak checks."""
    parts = [repr(node.proto) for node in _walk(at.main) if getattr(node, "proto", None) is not None]
    return "\n".join(parts)


def _walk(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _walk(child)


def _signed_in(monkeypatch):
    """The instructor page after signing in with the configured secret."""
    monkeypatch.setenv("GRADIENT_LAB_INSTRUCTOR_SECRET", SECRET)
    at = app_test(PAGE)
    at.text_input(key="instructor_secret_input").set_value(SECRET)
    at.button(key="instructor_login").click().run()
    return at


def _class_data_shown(at) -> bool:
    return bool(at.metric or at.dataframe or at.get("vega_lite_chart") or at.get("download_button"))


def test_without_a_configured_secret_the_page_shows_no_class_data(class_with_answers, monkeypatch):
    """No secret configured: an explanation, and nothing about learners or answers."""
    monkeypatch.delenv("GRADIENT_LAB_INSTRUCTOR_SECRET", raising=False)
    at = app_test(PAGE)
    assert not at.exception and not _class_data_shown(at)
    assert "switched off" in at.info[0].value
    assert "Zelda" not in _everything(at)


def test_wrong_secret_shows_nothing_and_never_echoes(class_with_answers, monkeypatch):
    """A wrong secret gets an error; no class data; neither the typed nor the real secret appears anywhere."""
    monkeypatch.setenv("GRADIENT_LAB_INSTRUCTOR_SECRET", SECRET)
    at = app_test(PAGE)
    assert not _class_data_shown(at)
    at.text_input(key="instructor_secret_input").set_value("guess-" + SECRET[:5])
    at.button(key="instructor_login").click().run()
    assert at.error and "not the instructor secret" in at.error[0].value
    text = _everything(at)
    assert not _class_data_shown(at) and "Zelda" not in text and SECRET not in text and "guess-" not in text


def test_right_secret_opens_the_dashboard_for_the_class_only(class_with_answers, monkeypatch):
    """With the secret: metrics, charts and the learner table of the class (the self-study learner excluded)."""
    at = _signed_in(monkeypatch)
    assert not at.exception and not at.error
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Learners"] == "2" and metrics["Answers"] == "8"
    assert len(at.get("vega_lite_chart")) == 4
    table = next(d.value for d in at.dataframe if "topics_mastered" in d.value.columns)
    assert sorted(table["learner"].str.split(" \\(#").str[0]) == ["Yann", "Zelda Secretname"]
    assert SECRET not in _everything(at)
    at.radio(key="instructor_scope").set_value("Everyone on this server").run()
    assert {m.label: m.value for m in at.metric}["Learners"] == "3"


def test_dashboard_counts_every_answer_past_the_export_cap(class_with_answers, monkeypatch):
    """With more answers than the raw-row cap, metrics and tables still count all of them (aggregated in the
    database), and the page says the CSV holds only the newest answers."""
    monkeypatch.setattr(dashboard, "MAX_ROWS", 3)
    at = _signed_in(monkeypatch)
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Answers"] == "8"
    accuracy = next(d.value for d in at.dataframe if "accuracy" in d.value.columns)
    assert accuracy["attempts"].sum() == 8 and sorted(accuracy["question_id"]) == ["q0", "q1", "q2", "q3"]
    people = next(d.value for d in at.dataframe if "topics_mastered" in d.value.columns)
    assert people["answers"].tolist() == [4, 4]
    assert any("newest 3 of 8" in c.value for c in at.caption)


def test_choosing_a_learner_draws_their_mastery_over_time(class_with_answers, monkeypatch):
    """Picking one learner adds a line chart of their mastery, read from that learner's full history."""
    at = _signed_in(monkeypatch)
    before = len(at.get("vega_lite_chart"))
    pick = at.selectbox(key="instructor_learner")
    pick.set_value(next(o for o in pick.options if o.startswith("Yann"))).run()
    assert not at.exception and len(at.get("vega_lite_chart")) == before + 1


def test_rotating_the_secret_signs_instructors_out(class_with_answers, monkeypatch):
    """A session granted under the old secret loses access as soon as the configured secret changes."""
    at = _signed_in(monkeypatch)
    assert at.metric
    monkeypatch.setenv("GRADIENT_LAB_INSTRUCTOR_SECRET", SECRET + "-rotated")
    at.run()
    assert not _class_data_shown(at)


def test_guessing_is_throttled(class_with_answers, monkeypatch):
    """After 10 wrong guesses in a minute even the right secret is refused for a while."""
    monkeypatch.setenv("GRADIENT_LAB_INSTRUCTOR_SECRET", SECRET)
    at = app_test(PAGE)
    for i in range(instructor.MAX_FAILURES_PER_MINUTE):
        at.text_input(key="instructor_secret_input").set_value(f"wrong-{i}")
        at.button(key="instructor_login").click().run()
    at.text_input(key="instructor_secret_input").set_value(SECRET)
    at.button(key="instructor_login").click().run()
    assert "Too many" in at.error[0].value and not _class_data_shown(at)


def test_instructor_pins_a_quiz(class_with_answers, monkeypatch):
    """The quiz form pins /quiz?topic=..&n=..&seed=..; a bad experiment URL is refused with a message."""
    at = _signed_in(monkeypatch)
    at.text_input(key="preset_quiz_title").set_value("Week 2")
    at.multiselect(key="preset_quiz_topics").set_value(["exploding", "clipping"])
    at.number_input(key="preset_quiz_length").set_value(8)
    at.number_input(key="preset_quiz_seed").set_value(42)
    at.button(key="preset_quiz_add").click().run()
    assert not at.exception
    assert [(p.title, p.url) for p in presets.list_presets(get_engine())] == [
        ("Week 2", "/quiz?topic=exploding%2Cclipping&n=8&seed=42")]
    at.text_input(key="preset_exp_title").set_value("Phish")
    at.text_input(key="preset_exp_url").set_value("https://evil.example/login")
    at.button(key="preset_exp_add").click().run()
    assert at.error and "not an experiment page" in at.error[0].value
    assert len(presets.list_presets(get_engine())) == 1


GOOD_BANK = """\
title: Week 1
questions:
  - id: wk1-sigmoid-max
    type: true_false
    topic: vanishing
    difficulty: easy
    prompt: The sigmoid's derivative is at most 0.25.
    answer: true
    explanation: sigma'(x) = sigma(x)(1 - sigma(x)) peaks at x = 0 with value 1/4.
    learn: [vanishing]
"""


def test_upload_check_accepts_a_valid_bank():
    """A valid UTF-8 YAML bank passes with its question count, whatever its file name said."""
    check = check_upload(GOOD_BANK.encode(), "uploaded:wk1")
    assert check.ok and check.question_count == 1 and check.text == GOOD_BANK


def test_upload_check_reports_located_errors():
    """A bad field is refused with the loader's one-line error naming file, line, question id and field."""
    check = check_upload(GOOD_BANK.replace("difficulty: easy", "difficulty: trivial").encode(), "uploaded:wk1")
    assert not check.ok
    assert any("uploaded:wk1:" in e and "wk1-sigmoid-max" in e and "difficulty" in e for e in check.errors)


@pytest.mark.parametrize(("raw", "reason"), [
    (b"\xff\xfe\x00binary", "not UTF-8"), (b"a: [unclosed", ""), (b"x" * (300 * 1024), "limit"),
    (b"questions: []\n", "no questions"), (b"!!python/object/apply:os.system ['echo pwned']", ""),
])
def test_upload_check_refuses_bad_files(raw, reason):
    """Binary, malformed, oversized, empty or object-constructing YAML is refused with a reason."""
    check = check_upload(raw, "uploaded:bad")
    assert not check.ok and check.errors and reason in " ".join(check.errors)


def test_upload_check_refuses_ids_already_served():
    """An upload reusing a question id of a served bank is refused, naming where the id was first defined."""
    check = check_upload(GOOD_BANK.encode(), "uploaded:again", served=[("builtin.yaml", GOOD_BANK)])
    assert not check.ok and "duplicate id" in check.errors[0] and "builtin.yaml" in check.errors[0]
    replacing = check_upload(GOOD_BANK.encode(), "uploaded:again", served=[("uploaded:again", GOOD_BANK)])
    assert replacing.ok


def test_bank_directory_errors_are_shown_to_the_instructor(class_with_answers, monkeypatch, tmp_path):
    """A broken file in GRADIENT_LAB_BANK_DIR is listed with its located error on the Question banks tab,
    while its valid sibling is counted among the served banks."""
    (tmp_path / "good.yaml").write_text(GOOD_BANK)
    (tmp_path / "broken.yaml").write_text(GOOD_BANK.replace("wk1-sigmoid-max", "wk1-other").replace(
        "answer: true", "answer: maybe"))
    monkeypatch.setenv("GRADIENT_LAB_BANK_DIR", str(tmp_path))
    at = _signed_in(monkeypatch)
    assert not at.exception
    errors = "\n".join(c.value for c in at.code)
    assert "broken.yaml:8: question 'wk1-other', field 'answer'" in errors
    served = next(d.value for d in at.dataframe if "source" in d.value.columns)
    assert any(str(s).endswith("good.yaml") for s in served["source"])
