"""Cached runs of the one-pass labs (phase diagram, transformer stacks, mixed precision, digits), series labelled.

Each engine call computes every grid point, placement, format or remedy at once; these wrappers add the legend
label of each row (`series`) so the lab's charts and diagnosis read them like any other page's variants. The
engine runs go through the shared compute pool (explainer.lab.compute), as runs.py's do: it caches the frames
(bounded by bytes) and computes each config once; the labelled frame is kept while the cached one lives
(runs.derived).
"""

from __future__ import annotations

import pandas as pd

from explainer.lab.compute import shared
from explainer.lab.variants import DIGITS_LABELS, PLACEMENT_LABELS, precision_label
from explainer.views.lab.runs import derived

ALL_PLACEMENTS = tuple(PLACEMENT_LABELS)
SCHEDULES = {False: "no warm-up", True: "warm-up"}  # the `schedule` column of the transformer training frame


def _first(df: pd.DataFrame, series: pd.Series, **extra) -> pd.DataFrame:
    out = df.assign(series=series.to_numpy(), **extra)
    return out[["series", *[c for c in out.columns if c != "series"]]]


def _by_placement(df: pd.DataFrame) -> pd.DataFrame:
    return _first(df, df["placement"].map(PLACEMENT_LABELS))


def _by_placement_and_schedule(df: pd.DataFrame) -> pd.DataFrame:
    return _first(df, df["placement"].map(PLACEMENT_LABELS), schedule=(df["warmup_steps"] > 0).map(SCHEDULES))


def _by_mode(df: pd.DataFrame) -> pd.DataFrame:
    labels = [precision_label(d, s) for d, s in zip(df["dtype"], df["scaling"], strict=True)]
    return _first(df, pd.Series(labels, index=df.index))


def _by_variant(df: pd.DataFrame) -> pd.DataFrame:
    return _first(df, df["variant"].map(DIGITS_LABELS))


def phase_diagram(cfg: dict) -> pd.DataFrame:
    """explainer.experiments.phase_diagram (no series: the page has one grid)."""
    return shared().result("phase", cfg)


def critical_line(cfg: dict) -> pd.DataFrame:
    return shared().result("critical_line", cfg)


def transformer_train(cfg: dict) -> pd.DataFrame:
    """Training frame with series = placement label and schedule = "warm-up" / "no warm-up"."""
    return derived(_by_placement_and_schedule, shared().result("transformer", cfg))


def transformer_profile(model: dict) -> pd.DataFrame:
    """Init profile of the training config's stack, for all three placements (cheap: one pass)."""
    return derived(_by_placement, shared().result("transformer_profile", model | {"placements": ALL_PLACEMENTS}))


def precision_train(cfg: dict) -> pd.DataFrame:
    return derived(_by_mode, shared().result("precision", cfg))


def precision_profile(model: dict) -> pd.DataFrame:
    return derived(_by_mode, shared().result("precision_profile", model))


def digits_train(cfg: dict) -> pd.DataFrame:
    return derived(_by_variant, shared().result("digits", cfg))


def digits_profile(cfg: dict) -> pd.DataFrame:
    return derived(_by_variant, shared().result("digits_profile", cfg))
