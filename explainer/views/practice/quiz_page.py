"""Practice quiz page: choose topics, difficulty, length and seed -> one question at a time -> summary.

URL: `?topic=a,b` (repeatable) preselects topics, `?n=10` the length, `?seed=7` the seed and
`?difficulty=easy,hard` the levels (a pinned class quiz uses topic, n and seed). Invalid values are ignored
with a notice.
"""

from __future__ import annotations

import random
import time

import streamlit as st

from explainer.core.sitemap import TOPIC_BY_SLUG, TOPICS
from explainer.core.urls import DIFFICULTIES, MAX_QUIZ_LENGTH, QUIZ_SEED_MAX, parse_quiz_query
from explainer.views.practice import question as qv
from explainer.views.practice.bank import active_bank, render_bank_errors
from explainer.views.practice.summary import render_summary
from explainer.views.progress import tracking
from questions import Bank, assemble
from questions.session import Answered, Run

RUN = "quiz_run"


def _apply_query() -> list[str]:
    """Copy ?topic/?n/?seed/?difficulty into the setup widgets when the URL changed; return ignored values."""
    link = parse_quiz_query({k: st.query_params.get_all(k) for k in ("topic", "difficulty", "n", "seed")})
    # Re-apply when the link changed, or when the widgets were reset (Streamlit drops widget state on page switch).
    if st.session_state.get("quiz_query_applied") != link or "quiz_topics" not in st.session_state:
        st.session_state["quiz_query_applied"] = link
        if link.topics:
            st.session_state["quiz_topics"] = [t.slug for t in TOPICS if t.slug in link.topics]
        if link.levels:
            st.session_state["quiz_difficulty"] = [d for d in DIFFICULTIES if d in link.levels]
        if link.n is not None:
            st.session_state["quiz_count"] = link.n
        if link.seed is not None:
            st.session_state["quiz_seed"] = link.seed
    return list(link.ignored)


def _setup(bank: Bank) -> None:
    notes = _apply_query()
    if notes:
        st.info("Ignored from the link: " + ", ".join(notes), icon=":material/link_off:")
    st.session_state.setdefault("quiz_seed", random.randrange(QUIZ_SEED_MAX))
    st.session_state.setdefault("quiz_count", 10)
    with st.form("quiz_setup", border=True):
        topics = st.multiselect("Topics (empty = all)", [t.slug for t in TOPICS], key="quiz_topics",
                                format_func=lambda s: TOPIC_BY_SLUG[s].title)
        levels = st.pills("Difficulty (none = all)", DIFFICULTIES, selection_mode="multi", key="quiz_difficulty")
        count = st.number_input("Questions", 1, MAX_QUIZ_LENGTH, key="quiz_count")
        seed = st.number_input("Seed (same seed + settings = same quiz)", 0, QUIZ_SEED_MAX, key="quiz_seed")
        start = st.form_submit_button("Start quiz", type="primary", key="quiz_start", icon=":material/play_arrow:")
    if start:
        quiz = assemble(bank.questions, count=int(count), seed=int(seed), topics=topics, difficulties=levels or ())
        if not quiz:
            st.warning("No questions match these settings: choose more topics or difficulties.")
            return
        st.session_state[RUN] = Run([q.id for q in quiz], seed=int(seed))
        st.rerun()
    st.caption(f"{len(bank.questions)} questions in the bank. Grading: multiple choice earns partial credit, "
               "minus a share per wrong pick (never below 0); numbers within a tolerance; free answers by the claims "
               "they state (a wrong claim costs credit), and you rate them yourself after the model answer.")


def _question(bank: Bank, run: Run) -> None:
    q = bank.by_id[run.current_id]
    run.show(time.monotonic())
    n, i = len(run.ids), run.index
    st.progress(i / n, text=f"Question {i + 1} of {n}")
    qv.render_prompt(q, f"Question {i + 1}")
    key = f"quiz_q{i}"
    if not run.answered:
        asked = qv.ask(q, key, salt=str(run.seed))
        if asked is None:
            return
        submission, result, text = asked
        seconds = run.elapsed(time.monotonic())
        run.record(Answered(submission.value, text, result, seconds))
        if not qv.self_rated(q):
            tracking.save_answer(q.id, q.topic, text, result.score, seconds)
        st.rerun()  # redraw without the form: the feedback replaces it
    answered = run.answers[i]
    qv.render_feedback(q, answered)
    qv.rate_answer(q, answered, key)
    last = i + 1 == n
    if st.button("See results" if last else "Next question", type="primary", key=f"quiz_next_{i}",
                 icon=":material/flag:" if last else ":material/arrow_forward:"):
        if qv.self_rated(q):
            tracking.save_answer(q.id, q.topic, answered.text, answered.grade.score, answered.seconds,
                                 answered.self_rating)
        run.advance()
        st.rerun()


def render() -> None:
    st.title("Practice quiz")
    bank = active_bank()
    render_bank_errors(bank)
    run: Run | None = st.session_state.get(RUN)
    if run is not None and any(i not in bank.by_id for i in run.ids):
        st.info("The question bank changed, so this quiz was reset.", icon=":material/sync:")
        run = st.session_state[RUN] = None
    linked = parse_quiz_query({"topic": st.query_params.get_all("topic")}).topics
    if run is not None and linked and linked != st.session_state.get("quiz_run_link"):
        st.info("You have a quiz in progress. The link you followed asks for other topics.", icon=":material/info:")
        if st.button("Start a new quiz for those topics", key="quiz_abandon", icon=":material/restart_alt:"):
            run = st.session_state[RUN] = None
            st.session_state.pop("quiz_query_applied", None)
            st.rerun()
    if run is None:
        st.session_state["quiz_run_link"] = linked
        _setup(bank)
    elif run.done:
        render_summary(bank, run, RUN)
    else:
        _question(bank, run)
