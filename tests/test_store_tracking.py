"""The practice-to-store seam (explainer.views.progress.tracking) inside real Streamlit runs, on both backends:
answers are saved and scheduled, an outage shows a warning and keeps answers, and nothing ever raises."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from explainer.core import urls
from explainer.store import attempts, get_engine, learners, presets
from explainer.views.progress import access
from tests.conftest import app_test

DEAD_DB = "postgresql+psycopg://postgres@127.0.0.1:9/nowhere"  # port 9 (discard): connection refused at once


def _answering_script():
    import streamlit as st

    from explainer.views.progress import tracking

    qid = st.session_state.get("next_q", "q-0")
    tracking.save_answer(qid, "vanishing", "my answer", 0.0 if qid.endswith("0") else 1.0, 12.0)
    st.write(f"pending={tracking.pending_count()}")


def _pending(at: AppTest) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("pending="))


def test_answer_is_saved_and_scheduled(app_db):
    """save_answer creates the self-study learner, stores the attempt and its review card."""
    at = AppTest.from_function(_answering_script, default_timeout=30).run()
    assert not at.exception and not at.warning
    assert _pending(at) == "pending=0"
    engine = get_engine()
    ref = at.session_state["_gl_learner"]
    assert attempts.history(engine, ref.id)["question_id"].tolist() == ["q-0"]
    assert attempts.card_json(engine, ref.id, "q-0") is not None
    assert learners.by_resume_key(engine, at.session_state["_gl_resume_key"]) == ref


def test_outage_warns_keeps_answers_and_saves_them_later(app_db, monkeypatch):
    """With the database down the page shows a warning (no exception) and keeps the answer; once the
    database is back the next answer flushes both, each exactly once."""
    good_env = {"DATABASE_URL": app_db} if not app_db.startswith("sqlite") else {}
    monkeypatch.setenv("DATABASE_URL", DEAD_DB)
    at = AppTest.from_function(_answering_script, default_timeout=30).run()
    assert not at.exception
    assert at.warning and "database is unreachable" in at.warning[0].value
    assert _pending(at) == "pending=1"

    if good_env:
        monkeypatch.setenv("DATABASE_URL", good_env["DATABASE_URL"])
    else:
        monkeypatch.delenv("DATABASE_URL")
    monkeypatch.setattr(access, "_down_until", 0.0)
    at.session_state["next_q"] = "q-1"
    at.run()
    assert not at.exception and not at.warning
    assert _pending(at) == "pending=0"
    history = attempts.history(get_engine(), at.session_state["_gl_learner"].id)
    assert sorted(history["question_id"]) == ["q-0", "q-1"]


def test_odd_but_valid_reports_are_normalised(app_db):
    """A None answer is saved as empty text, a NaN time as unknown and a negative time as 0; nothing raises."""
    def script():
        from explainer.views.progress import tracking

        tracking.save_answer("q-odd", "rnn", None, 1.0, float("nan"))
        tracking.save_answer("q-neg", "rnn", "x", 0.0, -5)

    at = AppTest.from_function(script, default_timeout=30).run()
    assert not at.exception and not at.warning
    h = attempts.history(get_engine(), at.session_state["_gl_learner"].id)
    assert h["score"].tolist() == [1.0, 0.0] and h["answer"].tolist() == ["", "x"]
    assert h["seconds"].isna().iloc[0] and h["seconds"].iloc[1] == 0.0


def test_an_out_of_range_score_is_refused_loudly_not_clamped(app_db, caplog):
    """A grader bug (score 1.7, -3 or NaN) is refused by the store's check: nothing is saved, the page shows a
    warning naming the score, the log an error; the valid answer after it is still saved."""
    def script():
        from explainer.views.progress import tracking

        for score in (1.7, -3, float("nan"), 0.5):
            tracking.save_answer(f"q-{score}", "rnn", "x", score, 4.0)

    with caplog.at_level("ERROR", logger="gradient_lab.tracking"):
        at = AppTest.from_function(script, default_timeout=30).run()
    assert not at.exception
    assert len(at.warning) == 3 and "1.7" in at.warning[0].value and "not saved" in at.warning[0].value
    assert sum("score" in r.getMessage() for r in caplog.records if r.levelname == "ERROR") == 3
    h = attempts.history(get_engine(), at.session_state["_gl_learner"].id)
    assert h["question_id"].tolist() == ["q-0.5"]


def test_uploaded_banks_reach_the_practice_side(app_db):
    """extra_bank_sources returns every uploaded bank as (source name, YAML text)."""
    from explainer.store import banks

    banks.save_bank(get_engine(), "week-1", "questions: []\n", 0)

    def script():
        import streamlit as st

        from explainer.views.progress import tracking

        st.write(repr(tracking.extra_bank_sources()))

    at = AppTest.from_function(script, default_timeout=30).run()
    assert not at.exception
    assert at.markdown[0].value == repr([("uploaded:week-1", "questions: []\n")])


def test_home_page_links_the_pinned_presets(app_db):
    """The Home page shows the class's pinned quiz and experiment as links carrying their parameters."""
    engine = get_engine()
    presets.add_preset(engine, "quiz", "Week 1 quiz", urls.quiz_url(["rnn"], 5, 3))
    presets.add_preset(engine, "experiment", "Deep *sigmoid*", urls.experiment_url("/lab-activations?depth=30"))
    at = app_test()
    assert not at.exception
    links = {link.proto.label: link.proto for link in at.get("page_link")}
    assert "Week 1 quiz" in links and "Deep \\*sigmoid\\*" in links
    assert links["Week 1 quiz"].page.endswith("quiz") and "seed=3" in links["Week 1 quiz"].query_string


def test_seams_are_quiet_when_the_database_is_down(monkeypatch):
    """With no database, extra_bank_sources is empty and the home page presets render nothing, no exception."""
    monkeypatch.setenv("DATABASE_URL", DEAD_DB)
    monkeypatch.setattr(access, "_down_until", 0.0)

    def script():
        import streamlit as st

        from explainer.views.progress import tracking

        st.write(repr(tracking.extra_bank_sources()))
        tracking.render_class_presets()

    at = AppTest.from_function(script, default_timeout=30).run()
    assert not at.exception and at.markdown[0].value == "[]"
