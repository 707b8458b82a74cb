"""AppTest of the mock interview: claims with evidence, contradictions named, self-rating stored, report."""

from __future__ import annotations

from sqlalchemy import select

from explainer.views.progress.text import md_escape
from questions import assemble, grade, load_banks
from questions.calibrate import load_corpus
from questions.loader import BUILTIN_DIR
from tests.conftest import app_test

PAGE = "explainer/pages/mock_interview.py"
BANK = load_banks([BUILTIN_DIR])
CORPUS = load_corpus()
SEED = 5


def planned(count: int, topics=("interview",)):
    """The interview the page must serve for these settings (free-response questions only)."""
    pool = [q for q in BANK.questions if q.type == "free_response"]
    return assemble(pool, count=count, seed=SEED, topics=set(topics))


def start(count: int, topics=("interview",)):
    at = app_test(PAGE)
    at.multiselect(key="mock_topics").set_value(list(topics))
    at.number_input(key="mock_count").set_value(count)
    at.number_input(key="mock_seed").set_value(SEED)
    return at.button(key="mock_start").click().run()


def claim_lines(at) -> list[str]:
    return [m.value for m in at.markdown if "check_box" in m.value]


def wordy_wrong_answer(q) -> str:
    """A bad calibration answer to `q` that states a misconception (the grader's own verdict picks it)."""
    bad = [a.text for a in CORPUS[q.id].bad if grade(q, a.text).contradictions]
    assert bad, f"{q.id}: no calibration answer states a misconception"
    return bad[0]


def test_typed_model_answer_earns_every_claim_with_its_sentence():
    """The model answer earns every claim; each line quotes the sentence that earned it."""
    q = planned(1)[0]
    at = start(1)
    assert not at.exception, [e.value for e in at.exception]
    assert at.markdown[0].value == q.prompt
    assert at.get("progress"), "countdown missing"
    at.text_area(key="mock_q0_text").input(q.model_answer)
    at.button(key="mock_q0_submit").click().run()
    assert not at.exception, [e.value for e in at.exception]
    lines = claim_lines(at)
    assert len(lines) == len(q.rubric)
    assert all(line.startswith(":green[") and "you said: “" in line for line in lines), lines
    core = sum(not c.bonus for c in q.rubric)
    assert f"Stated {core} of {core} key claims" in at.info[0].value


def test_wrong_but_wordy_answer_gets_low_credit_and_the_contradiction_is_named():
    """A fluent answer that states a misconception scores low, and the page names the misconception."""
    q = planned(1)[0]
    text = wordy_wrong_answer(q)
    expected = grade(q, text)
    at = start(1)
    at.text_area(key="mock_q0_text").input(text)
    at.button(key="mock_q0_submit").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert expected.score < 0.5 and "contradiction" in at.info[0].value
    shown = " ".join(m.value for m in at.markdown)
    assert "**Contradictions**" in shown
    assert all(md_escape(c.misconception) in shown for c in expected.contradictions)


def test_self_rating_is_shown_beside_the_suggestion_and_stored(app_db):
    """After the model answer the learner rates themselves; the suggestion is shown; both land in the store."""
    from explainer.store import get_engine
    from explainer.store.tables import Attempt

    q = planned(1)[0]
    at = start(1)
    at.text_area(key="mock_q0_text").input(q.model_answer)
    at.button(key="mock_q0_submit").click().run()
    assert any("Suggested by the automatic grade" in c.value for c in at.caption)
    at.segmented_control(key="mock_q0_self_rating").set_value(2)  # Hard, against a full automatic score
    at.button(key="mock_q0_next").click().run()
    assert not at.exception, [e.value for e in at.exception]
    with get_engine().connect() as conn:
        row = conn.execute(select(Attempt.score, Attempt.self_rating).where(Attempt.question_id == q.id)
                           .order_by(Attempt.id.desc())).first()
    assert tuple(row) == (1.0, 2)


def test_whole_interview_then_report():
    """Two typed answers, rated, lead to a report with the automatic score, the suggestion and the rating."""
    qs = planned(2)
    at = start(2)
    for i, q in enumerate(qs):
        at.text_area(key=f"mock_q{i}_text").input(q.model_answer)
        at.button(key=f"mock_q{i}_submit").click().run()
        at.segmented_control(key=f"mock_q{i}_self_rating").set_value(3)
        at.button(key=f"mock_q{i}_next").click().run()
        assert not at.exception, [e.value for e in at.exception]
    assert at.header[0].value == "Interview report"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Automatic score"] == "100%"
    report = at.dataframe[0].value
    cores = [sum(not c.bonus for c in q.rubric) for q in qs]
    assert list(report["claims stated"]) == [f"{n} of {n}" for n in cores]
    assert list(report["auto score"]) == [100, 100] and list(report["your rating"]) == ["Good", "Good"]
    assert set(report["suggested"]) <= {"Good", "Easy"}  # full credit: Easy when answered within 15 s


def test_rating_is_required_before_moving_on():
    """"Next question" without a self-rating asks for one and stays on the question."""
    at = start(2)
    at.text_area(key="mock_q0_text").input("clipping")
    at.button(key="mock_q0_submit").click().run()
    at.button(key="mock_q0_next").click().run()
    assert "Rate your answer first" in at.warning[0].value
    assert at.segmented_control(key="mock_q0_self_rating")


def test_empty_answer_is_refused():
    """Submitting neither text nor a recording asks for an answer."""
    at = start(1)
    at.button(key="mock_q0_submit").click().run()
    assert "Type or record an answer first" in at.warning[0].value


def test_percent_rounds_half_up_like_the_tables_and_charts():
    """Grade messages, metrics and the table's "%.0f%%" column must agree: one of eight claims is 13%."""
    from questions.quiz import percent

    assert percent(0.125) == "13%" and percent(2 / 3) == "67%" and percent(0.0) == "0%" and percent(1.0) == "100%"
