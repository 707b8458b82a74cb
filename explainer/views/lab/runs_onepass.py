"""Cached runs of the one-pass labs (phase diagram, transformer stacks, mixed precision, digits), series labelled.

Each engine call computes every grid point, placement, format or remedy at once; these wrappers add the legend
label of each row (`series`) so the lab's charts and diagnosis read them like any other page's variants. The
engine runs go through the shared compute pool (explainer.lab.compute), as runs.py's do: it caches the frames
(bounded by bytes) and computes each config once; labelling a cached frame again is cheap.
"""

from __future__ import annotations

import pandas as pd

from explainer.lab.compute import shared
from explainer.lab.variants import DIGITS_LABELS, PLACEMENT_LABELS, precision_label

ALL_PLACEMENTS = tuple(PLACEMENT_LABELS)
SCHEDULES = {False: "no warm-up", True: "warm-up"}  # the `schedule` column of the transformer training frame


def _first(df: pd.DataFrame, series: pd.Series, **extra) -> pd.DataFrame:
    out = df.assign(series=series.to_numpy(), **extra)
    return out[["series", *[c for c in out.columns if c != "series"]]]


def phase_diagram(cfg: dict) -> pd.DataFrame:
    """explainer.experiments.phase_diagram (no series: the page has one grid)."""
    return shared().result("phase", cfg)


def critical_line(cfg: dict) -> pd.DataFrame:
    return shared().result("critical_line", cfg)


def transformer_train(cfg: dict) -> pd.DataFrame:
    """Training frame with series = placement label and schedule = "warm-up" / "no warm-up"."""
    df = shared().result("transformer", cfg)
    return _first(df, df["placement"].map(PLACEMENT_LABELS), schedule=(df["warmup_steps"] > 0).map(SCHEDULES))


def transformer_profile(model: dict) -> pd.DataFrame:
    """Init profile of the training config's stack, for all three placements (cheap: one pass)."""
    df = shared().result("transformer_profile", model | {"placements": ALL_PLACEMENTS})
    return _first(df, df["placement"].map(PLACEMENT_LABELS))


def _mode_labels(df: pd.DataFrame) -> pd.Series:
    return pd.Series([precision_label(d, s) for d, s in zip(df["dtype"], df["scaling"], strict=True)], index=df.index)


def precision_train(cfg: dict) -> pd.DataFrame:
    df = shared().result("precision", cfg)
    return _first(df, _mode_labels(df))


def precision_profile(model: dict) -> pd.DataFrame:
    df = shared().result("precision_profile", model)
    return _first(df, _mode_labels(df))


def digits_train(cfg: dict) -> pd.DataFrame:
    df = shared().result("digits", cfg)
    return _first(df, df["variant"].map(DIGITS_LABELS))


def digits_profile(cfg: dict) -> pd.DataFrame:
    df = shared().result("digits_profile", cfg)
    return _first(df, df["variant"].map(DIGITS_LABELS))
