"""Review due page: the learner's fsrs cards that are due, most overdue first, one question at a time.

Questions are shown and graded with the practice pages' own components; each answer goes through
tracking.save_answer, which reschedules the card (a miss comes back after fsrs's 1-minute step).
"""

from __future__ import annotations

import time

import streamlit as st

from explainer.store import attempts
from explainer.views.nav import link_to
from explainer.views.practice import question as qv
from explainer.views.practice.bank import active_bank
from explainer.views.progress import access, identity, tracking
from explainer.views.progress.progress import when_text
from questions.session import Answered

CURRENT = "review_current"  # dict(qid, n, shown_at, answered: Answered | None)


def _pick(due, bank, counter: int) -> dict | None:
    for card in due:
        if card.question_id in bank.by_id:
            return {"qid": card.question_id, "n": counter, "shown_at": time.monotonic(), "answered": None}
    return None


def _caught_up(me) -> None:
    nxt = access.call(attempts.next_due, me.id)
    st.success("All caught up: nothing is due for review right now."
               + (f" Next review {when_text(nxt)}." if nxt else ""), icon=":material/task_alt:")
    st.page_link(link_to("quiz"), label="Practise new questions", icon=":material/quiz:")


def _serve(bank, current: dict, due_count: int) -> None:
    q = bank.by_id[current["qid"]]
    st.caption(f"{due_count} question{'s' * (due_count != 1)} due")
    qv.render_prompt(q, "Review")
    key = f"review_{current['n']}"
    if current["answered"] is None:
        asked = qv.ask(q, key)
        if asked is None:
            return
        submission, result, text = asked
        seconds = max(0.0, time.monotonic() - current["shown_at"])
        current["answered"] = Answered(submission.value, text, result, seconds)
        if not qv.self_rated(q):
            tracking.save_answer(q.id, q.topic, text, result.score, seconds)
    answered = current["answered"]
    qv.render_feedback(q, answered)
    qv.rate_answer(q, answered, key)
    if st.button("Next due question", type="primary", key=f"{key}_next", icon=":material/arrow_forward:"):
        if qv.self_rated(q):
            tracking.save_answer(q.id, q.topic, answered.text, answered.grade.score, answered.seconds,
                                 answered.self_rating)
        st.session_state[CURRENT] = None
        st.rerun()


def render() -> None:
    st.title("Review due")
    st.caption("Spaced repetition (FSRS): questions come back just before you would forget them; "
               "a missed one returns within minutes.")
    engine = access.engine()
    if engine is None:
        return
    me = access.call(identity.current)
    identity.sync_cookie()
    if me is None:
        st.info("Nothing to review yet: answer some quiz questions first. Each one is then scheduled here.",
                icon=":material/event_repeat:")
        st.page_link(link_to("quiz"), label="Start a practice quiz", icon=":material/quiz:")
        return
    bank = active_bank()
    current = st.session_state.get(CURRENT)
    if current is not None and current["qid"] not in bank.by_id:
        current = None
    due = access.call(attempts.due_cards, me.id, default=None)
    if due is None:
        return
    if current is None:
        counter = st.session_state.get("review_counter", 0) + 1
        st.session_state["review_counter"] = counter
        current = st.session_state[CURRENT] = _pick(due, bank, counter)
    if current is None:
        _caught_up(me)
        return
    _serve(bank, current, len([c for c in due if c.question_id in bank.by_id]))
