"""The diagnosis panel: first/last ratio, decay per layer, verdict, the suggested remedy and its apply button."""

from __future__ import annotations

import streamlit as st

from explainer.core.sitemap import BY_PATH
from explainer.experiments.summary import EXPLODING_RATIO, VANISHING_RATIO
from explainer.lab.charts import sci
from explainer.lab.diagnosis import Remedy, TrainFacts, training_verdict
from explainer.views.nav import link_to


def _apply(changes: dict) -> None:
    """on_click: write the remedy into the widgets' state (before they are created on the rerun that follows)."""
    for key, value in changes.items():
        st.session_state[key] = value


def diagnosis_panel(summary, remedy: Remedy | None, *, what: str, where: str, facts: TrainFacts | None = None,
                    subject: str = "") -> None:
    """Show `summary` (explainer.experiments.ProfileSummary) for the learner's own network and the suggestion.

    what/where: e.g. ("gradient norm", "layer") or ("‖∂L/∂h_t‖", "step"); facts: a training run's outcome.
    """
    with st.container(border=True, key="diagnosis"):
        st.markdown("**Diagnosis**")
        if subject:
            st.caption(subject)
        a, b, c = st.columns(3)
        a.metric(f"First / last {where}", sci(summary.first_last_ratio),
                 help=f"Median over seeds of the {what} at the first {where} divided by the last.")
        b.metric(f"Decay per {where}", f"×{sci(summary.decay_per_layer)}",
                 help=f"Geometric-mean factor per {where}: (first/last)^(1/({summary.n_layers}−1)).")
        c.metric("Verdict", summary.verdict, help="explainer.experiments.summarize_profile: vanishing if the ratio "
                 f"is below {VANISHING_RATIO:g}, exploding above {EXPLODING_RATIO:g} or non-finite, healthy in "
                 "between.")
        if facts is not None:
            st.markdown(_training_line(facts))
        healthy = summary.verdict == "healthy" and (facts is None or training_verdict(facts) == "stable")
        remedy_section(remedy, healthy)


def outcome_panel(metrics: list[tuple[str, str, str]], verdict: str, verdict_help: str, remedy: Remedy | None,
                  healthy: bool, subject: str = "", note: str = "") -> None:
    """The diagnosis panel of a one-pass lab: its own metrics (label, value, help), then the verdict and remedy."""
    with st.container(border=True, key="diagnosis"):
        st.markdown("**Diagnosis**")
        if subject:
            st.caption(subject)
        columns = st.columns(len(metrics) + 1)
        for column, (label, value, help_text) in zip(columns, metrics, strict=False):
            column.metric(label, value, help=help_text)
        columns[-1].metric("Verdict", verdict, help=verdict_help)
        if note:
            st.markdown(note)
        remedy_section(remedy, healthy)


def remedy_section(remedy: Remedy | None, healthy: bool) -> None:
    """The suggested remedy with its "Apply & re-run" button, or why there is none."""
    if remedy is None:
        st.success("Nothing to fix here." if healthy else "No single setting on this page fixes this; "
                   "see the Compare remedies page.", icon=":material/check:" if healthy else ":material/info:")
        return
    st.markdown(f"**Suggested remedy:** {remedy.label}. {remedy.why}")
    left, right = st.columns([1, 1])
    left.button("Apply & re-run", on_click=_apply, args=(remedy.changes,), key="apply_remedy",
                type="primary", icon=":material/auto_fix_high:")
    right.page_link(link_to(remedy.learn), label=f"Learn: {BY_PATH[remedy.learn].title}",
                    icon=":material/menu_book:")


def _training_line(facts: TrainFacts) -> str:
    if facts.diverged:
        return (f"Training: **{facts.n_diverged} of {facts.n_seeds} seeds diverged** "
                f"(first at step {facts.first_divergent_step}).")
    return (f"Training: no seed diverged; the weight norm changed ×{sci(facts.weight_growth)} over the run and "
            f"the peak gradient norm was {sci(facts.grad_growth)}× the first step's.")
