"""Dashboard panel: where learners' self-ratings and the automatic grade disagree, question by question."""

from __future__ import annotations

import streamlit as st

from explainer.progress import srs
from explainer.store import agreement
from explainer.views.progress import access


def render(class_id: int | None) -> None:
    """A table of self-rated questions, most disagreement first, and how to read it."""
    st.subheader("Self-rating vs automatic grade", anchor=False)
    rows = access.call(agreement.by_question, class_id, default=None, quiet=True)
    if not rows:
        st.caption("No self-rated answers yet: learners rate their free answers after seeing the model answer.")
        return
    table = [{"question": r.question_id, "rated": r.rated, "agree": r.agree_share, "rated higher": r.higher,
              "rated lower": r.lower, "auto score": r.mean_score,
              "mean self-rating": srs.SELF_RATINGS[round(r.mean_self_rating)]} for r in rows]
    share = {"min_value": 0.0, "max_value": 1.0, "format": "percent"}
    st.dataframe(table, hide_index=True, width="stretch", key="instructor_agreement_table", column_config={
        "agree": st.column_config.ProgressColumn("agrees with the suggestion", **share),
        "auto score": st.column_config.ProgressColumn("mean automatic score", **share),
    })
    st.caption("Rated higher than the automatic grade suggests, often: the rubric may miss valid wordings. "
               "Rated lower: the grader may be lenient, or learners unsure. The learner's rating schedules reviews.")
