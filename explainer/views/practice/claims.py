"""A free answer's feedback claim by claim: the sentence that earned each claim, what is missing, and every
misconception the answer stated, named, with the sentence that stated it. Learner text is always escaped."""

from __future__ import annotations

import streamlit as st

from explainer.views.progress.text import md_escape
from questions.claims.grader import CONTRADICTED, EARNED, ECHO, MISSING, NEGATED, ClaimResult
from questions.quiz import Grade, percent
from questions.schema import FreeResponse

MARKS = {
    EARNED: ":green[:material/check_box:]",
    MISSING: ":gray[:material/check_box_outline_blank:]",
    NEGATED: ":orange[:material/indeterminate_check_box:]",
    ECHO: ":gray[:material/check_box_outline_blank:]",
    CONTRADICTED: ":red[:material/disabled_by_default:]",
}
NOTES = {
    EARNED: "you said", NEGATED: "only stated negated, which does not count", ECHO: "only repeats the question",
    CONTRADICTED: "contradicted",
}


def _quote(sentence: str) -> str:
    text = " ".join(sentence.split())
    return md_escape(text[:300] + ("…" if len(text) > 300 else ""))


def _results(q: FreeResponse, grade: Grade) -> tuple[ClaimResult, ...]:
    """The grade's claims, or (for a skipped or self-checked answer) the rubric with the hits ticked."""
    if grade.claims:
        return grade.claims
    return tuple(ClaimResult(c.claim, c.weight, c.bonus, EARNED if c.claim in grade.hits else MISSING)
                 for c in q.rubric)


def render_claims(q: FreeResponse, grade: Grade) -> None:
    """Each claim with its mark, weight and quoted evidence; then the contradictions and what they cost."""
    st.markdown("**Claims**")
    for c in _results(q, grade):
        weight = f" ×{c.weight:g}" if c.weight != 1 else ""
        bonus = " :blue-badge[bonus]" if c.bonus else ""
        line = f"{MARKS[c.status]} {md_escape(c.claim)}{weight}{bonus}"
        if c.evidence and c.status in NOTES:
            line += f"  \n:gray[:small[{NOTES[c.status]}: “{_quote(c.evidence)}”]]"
        elif c.status in (ECHO, NEGATED):
            line += f"  \n:gray[:small[{NOTES[c.status]}]]"
        st.markdown(line)
    if grade.contradictions:
        st.markdown("**Contradictions**")
        for x in grade.contradictions:
            cost = percent(min(1.0, x.cost / max(sum(c.weight for c in q.rubric if not c.bonus), 1e-9)))
            st.markdown(f":red[:material/report:] **{md_escape(x.misconception)}** (−{cost}), which contradicts "
                        f"“{md_escape(x.claim)}”  \n:gray[:small[you said: “{_quote(x.evidence)}”]]")
