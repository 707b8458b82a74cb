"""Cached runs of the one-pass labs (phase diagram, transformer stacks, mixed precision, digits), series labelled.

Each engine call computes every grid point, placement, format or remedy at once; these wrappers add the legend
label of each row (`series`) so the lab's charts and diagnosis read them like any other page's variants. Same
caching as runs.py: shared by every session, one computation per config (single_flight).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from explainer.lab.variants import DIGITS_LABELS, PLACEMENT_LABELS, precision_label
from explainer.views.lab.runs import MAX_RUNS, single_flight

ALL_PLACEMENTS = tuple(PLACEMENT_LABELS)
CRITICAL_MARGIN = 0.25  # explainer.experiments.phase.CRITICAL_MARGIN (a test keeps them equal): |ln χ₁| "away"
SCHEDULES = {False: "no warm-up", True: "warm-up"}  # the `schedule` column of the transformer training frame


def _first(df: pd.DataFrame, series: pd.Series, **extra) -> pd.DataFrame:
    out = df.assign(series=series.to_numpy(), **extra)
    return out[["series", *[c for c in out.columns if c != "series"]]]


@single_flight
@st.cache_data(max_entries=MAX_RUNS, show_spinner=False)
def phase_diagram(cfg: dict) -> pd.DataFrame:
    """explainer.experiments.phase_diagram (no series: the page has one grid)."""
    from explainer.experiments import PhaseConfig
    from explainer.experiments import phase_diagram as run

    return run(PhaseConfig(**cfg))


@single_flight
@st.cache_data(max_entries=MAX_RUNS, show_spinner=False)
def critical_line(cfg: dict) -> pd.DataFrame:
    from explainer.experiments import PhaseConfig
    from explainer.experiments import critical_line as run

    return run(PhaseConfig(**cfg))


def phase_agreement(df: pd.DataFrame) -> tuple[int, int]:
    """explainer.experiments.phase_agreement (cheap pandas; not cached)."""
    from explainer.experiments import phase_agreement as run

    return run(df, CRITICAL_MARGIN)


@single_flight
@st.cache_data(max_entries=MAX_RUNS, show_spinner=False)
def transformer_train(cfg: dict) -> pd.DataFrame:
    """Training frame with series = placement label and schedule = "warm-up" / "no warm-up"."""
    from explainer.experiments import TransformerTrainConfig
    from explainer.experiments import transformer_train as run

    df = run(TransformerTrainConfig(**cfg))
    return _first(df, df["placement"].map(PLACEMENT_LABELS), schedule=(df["warmup_steps"] > 0).map(SCHEDULES))


@single_flight
@st.cache_data(max_entries=MAX_RUNS, show_spinner=False)
def transformer_profile(model: dict) -> pd.DataFrame:
    """Init profile of the training config's stack, for all three placements (cheap: one pass)."""
    from explainer.experiments import TransformerConfig
    from explainer.experiments import transformer_profile as run

    df = run(TransformerConfig(**(model | {"placements": ALL_PLACEMENTS})))
    return _first(df, df["placement"].map(PLACEMENT_LABELS))


def _mode_labels(df: pd.DataFrame) -> pd.Series:
    return pd.Series([precision_label(d, s) for d, s in zip(df["dtype"], df["scaling"], strict=True)], index=df.index)


@single_flight
@st.cache_data(max_entries=MAX_RUNS, show_spinner=False)
def precision_train(cfg: dict) -> pd.DataFrame:
    from explainer.experiments import PrecisionTrainConfig
    from explainer.experiments import precision_train as run

    df = run(PrecisionTrainConfig(**cfg))
    return _first(df, _mode_labels(df))


@single_flight
@st.cache_data(max_entries=MAX_RUNS, show_spinner=False)
def precision_profile(model: dict) -> pd.DataFrame:
    from explainer.experiments import PrecisionConfig
    from explainer.experiments import precision_profile as run

    df = run(PrecisionConfig(**model))
    return _first(df, _mode_labels(df))


@single_flight
@st.cache_data(max_entries=MAX_RUNS, show_spinner=False)
def digits_train(cfg: dict) -> pd.DataFrame:
    from explainer.experiments import digits_train as run
    from explainer.experiments.configs import DigitsConfig

    df = run(DigitsConfig(**cfg))
    return _first(df, df["variant"].map(DIGITS_LABELS))


@single_flight
@st.cache_data(max_entries=MAX_RUNS, show_spinner=False)
def digits_profile(cfg: dict) -> pd.DataFrame:
    from explainer.experiments import digits_profile as run
    from explainer.experiments.configs import DigitsConfig

    df = run(DigitsConfig(**cfg))
    return _first(df, df["variant"].map(DIGITS_LABELS))
