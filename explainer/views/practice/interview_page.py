"""Mock interview: timed free-response questions, typed or recorded answers, claims, self-rating, final report.

Each question has a visible countdown (its suggested time limit); running over is allowed and reported.
A typed answer is graded by the claims it states (questions/claims). There is no speech-to-text: a
recorded-only answer is played back and scored by the claims the learner ticks (same weights). Then the
learner rates themselves against the model answer (Again/Hard/Good/Easy, the automatic grade's rating shown as
a suggestion); both are stored, and the self-rating schedules the review card.
"""

from __future__ import annotations

import random
import time

import streamlit as st

from explainer.core.sitemap import TOPIC_BY_SLUG, TOPICS
from explainer.progress import srs
from explainer.views.practice import claims, selfrate
from explainer.views.practice import question as qv
from explainer.views.practice.bank import active_bank, render_bank_errors
from explainer.views.practice.report import render_report
from explainer.views.progress import tracking
from explainer.views.progress.text import md_escape
from questions import Bank, assemble, grade
from questions.quiz import Grade, percent
from questions.schema import FreeResponse
from questions.session import Answered, Run

RUN = "mock_run"
AUDIO = "mock_audio_bytes"  # only the current question's recording is kept (memory per session stays small)
SEED_MAX = 2**31 - 1


def _setup(bank: Bank) -> None:
    pool = [q for q in bank.questions if isinstance(q, FreeResponse)]
    st.markdown("Answer interview questions against the clock, out loud or in writing, then compare with a model "
                "answer and its key claims, and rate yourself.")
    st.session_state.setdefault("mock_seed", random.randrange(SEED_MAX))
    st.session_state.setdefault("mock_count", min(3, max(1, len(pool))))
    with st.form("mock_setup", border=True):
        topics = st.multiselect("Topics (empty = all)", [t.slug for t in TOPICS], key="mock_topics",
                                format_func=lambda s: TOPIC_BY_SLUG[s].title)
        count = st.number_input("Questions", 1, max(1, len(pool)), key="mock_count")
        seed = st.number_input("Seed", 0, SEED_MAX, key="mock_seed")
        start = st.form_submit_button("Start interview", type="primary", key="mock_start", icon=":material/timer:")
    if start:
        picked = assemble(pool, count=int(count), seed=int(seed), topics=topics)
        if not picked:
            st.warning("No interview questions for these topics: choose more topics (or none for all).")
            return
        st.session_state[RUN] = Run([q.id for q in picked], seed=int(seed), label="interview")
        st.rerun()
    st.caption(f"{len(pool)} interview questions in the bank.")


def _format_clock(seconds: float) -> str:
    minutes, secs = divmod(int(abs(seconds)), 60)
    return f"{minutes}:{secs:02d}"


@st.fragment(run_every=1)
def _countdown(started: float, limit: int) -> None:
    """Re-renders itself every second (only this panel reruns): time left, then time over."""
    left = limit - (time.monotonic() - started)
    if left > 0:
        st.progress(left / limit, text=f":material/timer: {_format_clock(left)} left of {_format_clock(limit)}")
    else:
        st.progress(0.0, text=f":material/timer_off: Time is up ({_format_clock(-left)} over): wrap up and submit")


def _answer(q: FreeResponse, run: Run, key: str) -> None:
    _countdown(run.shown_at, q.time_limit_s)
    with st.form(f"{key}_form", border=True):
        text = st.text_area("Type your answer", key=f"{key}_text", height=180, max_chars=5000)
        audio = st.audio_input("…or record it (played back after you submit)", key=f"{key}_audio")
        submitted = st.form_submit_button("Submit answer", type="primary", key=f"{key}_submit",
                                          icon=":material/send:")
    if not submitted:
        return
    if not text.strip() and audio is None:
        st.warning("Type or record an answer first.", icon=":material/edit:")
        return
    seconds = run.elapsed(time.monotonic())
    st.session_state[AUDIO] = audio.getvalue() if audio is not None else None
    result = grade(q, text)
    run.record(Answered(text, text.strip() or "(recorded answer)", result, seconds,
                        over_time=seconds > q.time_limit_s))
    st.rerun()


def _self_check(q: FreeResponse, ticks: list[bool]) -> Grade:
    """A recorded answer's grade: the claims the learner ticked after listening, scored like a typed answer
    (earned weight, bonus included, over the core weight)."""
    hits = [c for c, t in zip(q.rubric, ticks, strict=True) if t]
    core = [c for c in q.rubric if not c.bonus]
    score = min(1.0, sum(c.weight for c in hits) / sum(c.weight for c in core))
    return Grade(score, f"Self-check: {sum(not c.bonus for c in hits)} of {len(core)} key claims ({percent(score)}).",
                 tuple(c.claim for c in hits), tuple(c.claim for c in q.rubric if c not in hits))


def _own_rating(key: str) -> int | None:
    """A recorded answer has no automatic grade yet (the ticks are its grade): the four ratings, no suggestion."""
    st.markdown("**How did you do?** Compare with the model answer, then rate yourself.")
    return st.segmented_control("Your rating", list(srs.SELF_RATINGS), key=f"{key}_self_rating",
                                format_func=lambda r: f"{srs.SELF_RATINGS[r]} ({selfrate.HELP[r]})",
                                label_visibility="collapsed")


def _review(q: FreeResponse, run: Run, key: str) -> None:
    answered = run.answers[run.index]
    typed = bool(answered.raw)
    over = " (over time)" if answered.over_time else ""
    st.caption(f"Answered in {_format_clock(answered.seconds or 0)} of {_format_clock(q.time_limit_s)}{over}")
    if st.session_state.get(AUDIO):
        st.audio(st.session_state[AUDIO], format="audio/wav")
    if typed:
        st.markdown(f"**Your answer:** {md_escape(answered.text)}")
        st.info(answered.grade.message, icon=":material/fact_check:")
        claims.render_claims(q, answered.grade)
    with st.expander("Model answer", expanded=True, key=f"{key}_model"):
        st.markdown(q.model_answer)
    with st.form(f"{key}_rate", border=True):
        ticks = []
        if not typed:
            st.markdown("**Listen back, then tick the claims your answer made**")
            ticks = [st.checkbox(md_escape(c.claim), key=f"{key}_self_{j}") for j, c in enumerate(q.rubric)]
        rating = selfrate.rate(key, answered.grade, answered.seconds) if typed else _own_rating(key)
        last = run.index + 1 == len(run.ids)
        done = st.form_submit_button("Finish" if last else "Next question", type="primary", key=f"{key}_next")
    if done:
        if rating is None:
            st.warning("Rate your answer first.", icon=":material/star:")
            return
        answered.self_rating = rating
        if not typed:
            answered.grade = _self_check(q, ticks)
        tracking.save_answer(q.id, q.topic, answered.text, answered.grade.score, answered.seconds, rating)
        st.session_state[AUDIO] = None
        run.advance()
        st.rerun()


def render() -> None:
    st.title("Mock interview")
    bank = active_bank()
    render_bank_errors(bank)
    run: Run | None = st.session_state.get(RUN)
    if run is not None and any(i not in bank.by_id for i in run.ids):
        st.info("The question bank changed, so this interview was reset.", icon=":material/sync:")
        run = st.session_state[RUN] = None
    if run is None:
        _setup(bank)
        return
    if run.done:
        render_report(bank, run, RUN)
        return
    q = bank.by_id[run.current_id]
    run.show(time.monotonic())
    st.progress(run.index / len(run.ids), text=f"Question {run.index + 1} of {len(run.ids)}")
    qv.render_prompt(q, f"Question {run.index + 1}")
    key = f"mock_q{run.index}"
    if run.answered:
        _review(q, run, key)
    else:
        _answer(q, run, key)
