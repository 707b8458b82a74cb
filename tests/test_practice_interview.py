"""AppTest of the mock interview: typed answers ticked against the rubric, self-rating, recorded answers, report."""

from __future__ import annotations

from questions import assemble, load_banks
from questions.loader import BUILTIN_DIR
from tests.conftest import app_test

PAGE = "explainer/pages/mock_interview.py"
BANK = load_banks([BUILTIN_DIR])
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


def rubric_lines(at) -> list[str]:
    return [m.value for m in at.markdown if "check_box" in m.value]


def test_typed_answer_ticks_the_rubric_concepts_it_covers():
    """A typed answer is graded by rubric coverage: covered concepts are ticked, the rest are not."""
    q = planned(1)[0]
    at = start(1)
    assert not at.exception, [e.value for e in at.exception]
    assert at.markdown[0].value == q.prompt
    assert at.get("progress"), "countdown missing"
    hit, miss = q.rubric[0], q.rubric[1:]
    at.text_area(key="mock_q0_text").input(f"My answer mentions {hit.phrases[0]} and nothing else relevant.")
    at.button(key="mock_q0_submit").click().run()
    assert not at.exception, [e.value for e in at.exception]
    lines = rubric_lines(at)
    assert len(lines) == len(q.rubric)
    assert lines[0].startswith(":green[:material/check_box:]") and hit.name.split()[0] in lines[0]
    assert all(line.startswith(":gray[") for line in lines[1:]), lines
    assert f"Covered 1 of {len(q.rubric)} key concepts" in at.info[0].value
    assert any(m.value == q.model_answer for m in at.markdown)
    assert len(miss) == len(lines) - 1


def test_whole_interview_then_report():
    """Two typed answers, rated, lead to a report listing both with coverage, time and self-rating."""
    qs = planned(2)
    at = start(2)
    for i, q in enumerate(qs):
        at.text_area(key=f"mock_q{i}_text").input(q.model_answer)
        at.button(key=f"mock_q{i}_submit").click().run()
        assert all(line.startswith(":green[") for line in rubric_lines(at)), "model answer covers every concept"
        at.radio(key=f"mock_q{i}_rating").set_value("Solid")
        at.button(key=f"mock_q{i}_next").click().run()
        assert not at.exception, [e.value for e in at.exception]
    assert at.header[0].value == "Interview report"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Concept coverage"] == "100%" and metrics["Self-rating"] == "67%"
    report = at.dataframe[0].value
    assert len(report) == 2 and list(report["concepts covered"]) == [f"{len(q.rubric)} of {len(q.rubric)}" for q in qs]
    assert list(report["coverage"]) == [100, 100] and list(report["self-rating"]) == [2 / 3 * 100] * 2


def test_rating_is_required_before_moving_on():
    """"Next question" without a self-rating asks for one and stays on the question."""
    at = start(2)
    at.text_area(key="mock_q0_text").input("clipping")
    at.button(key="mock_q0_submit").click().run()
    at.button(key="mock_q0_next").click().run()
    assert "Rate your answer first" in at.warning[0].value
    assert at.radio(key="mock_q0_rating")


def test_empty_answer_is_refused():
    """Submitting neither text nor a recording asks for an answer."""
    at = start(1)
    at.button(key="mock_q0_submit").click().run()
    assert "Type or record an answer first" in at.warning[0].value


def test_percent_rounds_half_up_like_the_tables_and_charts():
    """Grade messages, metrics and the table's "%.0f%%" column must agree: one of eight concepts is 13%."""
    from questions.quiz import percent

    assert percent(0.125) == "13%" and percent(2 / 3) == "67%" and percent(0.0) == "0%" and percent(1.0) == "100%"
