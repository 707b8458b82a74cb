"""One-sentence text summaries of what a chart shows, computed from the same data (for every reader, and alt text)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from explainer.lab.charts.bands import band_frame, first_divergence


def sci(x: float) -> str:
    """Compact number: 0.25, 3.1e-07, 12, 4.2e+05; exact zero is '0'; NaN is 'n/a'."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    if x == 0:
        return "0"
    return f"{x:.2g}" if 1e-3 <= abs(x) < 1e4 else f"{x:.1e}"


def profile_sentence(df: pd.DataFrame, x: str, y: str, what: str, where: str, series: str = "series",
                     reverse: bool = False) -> str:
    """E.g. "From layer 20 back to layer 1 the gradient norm changes by sigmoid ×3.1e-07, ReLU ×0.92 (8 seeds)."

    The factor is the median over seeds of y(first) / y(last), as in the diagnosis panel: below 1 means `what`
    shrinks on the way back. "first" is the smallest x (layer 1), or the largest with `reverse` (steps back).
    """
    if df.empty:
        return f"No {what} to show."
    first_x, last_x = (df[x].max(), df[x].min()) if reverse else (df[x].min(), df[x].max())
    ends = df[df[x].isin([first_x, last_x])]
    wide = ends.pivot_table(index=[series, "seed"], columns=x, values=y, aggfunc="first", sort=False)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = (wide[first_x] / wide[last_x]).replace([np.inf, -np.inf], np.nan)
    medians = ratios.groupby(level=0, sort=False).median()
    parts = [f"{name} ×{sci(float(medians.get(name, np.nan)))}" if not np.isnan(medians.get(name, np.nan))
             else f"{name} n/a" for name in pd.unique(df[series])]
    seeds = int(df["seed"].nunique())
    return (f"From {where} {last_x} back to {where} {first_x} the median {what} changes by "
            f"{', '.join(parts)} ({seeds} seed{'s' if seeds != 1 else ''}).")


def level_sentence(df: pd.DataFrame, x: str, y: str, what: str, where: str, series: str = "series") -> str:
    """E.g. "Median saturated fraction at layer 1 / layer 20: sigmoid 0.62 / 0.10, ReLU 0.49 / 0.51."."""
    if df.empty:
        return f"No {what} to show."
    stats = band_frame(df, x=x, y=y, series=series, log=False)
    first_x, last_x = stats["x"].min(), stats["x"].max()
    parts = []
    for name, grp in stats.groupby("series", sort=False):
        head = grp.loc[grp["x"] == first_x, "median"]
        tail = grp.loc[grp["x"] == last_x, "median"]
        at_first = sci(head.iloc[0]) if len(head) else "n/a"
        parts.append(f"{name} {at_first} / {sci(tail.iloc[0]) if len(tail) else 'n/a'}")
    return f"Median {what} at {where} {first_x} / {where} {last_x}: {', '.join(parts)}."


def training_sentence(df: pd.DataFrame, y: str, what: str, series: str = "series") -> str:
    """E.g. "no clipping: 6 of 8 seeds diverged (first at step 3); clip by norm: median loss 0.31 at step 49."

    A series where most seeds diverged is reported by its divergence only (its survivors are not typical).
    """
    if df.empty:
        return f"No {what} to show."
    div = first_divergence(df, series=series).set_index("series")
    parts = []
    for name, grp in df.groupby(series, sort=False):
        name = str(name)
        if name in div.index and 2 * div.loc[name, "n_diverged"] > div.loc[name, "n_seeds"]:
            row = div.loc[name]
            parts.append(f"{name}: {row.n_diverged} of {row.n_seeds} seeds diverged (first at step {row.step})")
            continue
        alive = grp[~grp["diverged"].astype(bool)] if "diverged" in grp else grp
        last = alive["step"].max()
        med = alive.loc[alive["step"] == last, y].median()
        note = ""
        if name in div.index:
            row = div.loc[name]
            note = f", {row.n_diverged} of {row.n_seeds} seeds diverged (first at step {row.step})"
        parts.append(f"{name}: median {what} {sci(float(med))} at step {last}{note}")
    return "; ".join(parts) + "."
