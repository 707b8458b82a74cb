"""Across-seed statistics for charts: median and 10–90 % band per (series, x), and first divergence steps.

Pandas and numpy. Non-positive values (a gradient that is exactly 0, e.g. after zero init) cannot sit on a log
axis: they are kept in the statistics but the plotted columns become NaN, so the line breaks there instead
of Vega dropping to minus infinity.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

BAND_LO, BAND_HI = 0.10, 0.90  # quantiles of the shaded band across seeds


def band_frame(df: pd.DataFrame, x: str, y: str, series: str = "series", log: bool = True,
               by: tuple[str, ...] = ()) -> pd.DataFrame:
    """Median and 10–90 % quantiles of `y` across seeds, one row per (series, *by, x): series in order of
    appearance, then *by and x ascending.

    Columns: series, *by, x, median, lo, hi, n_seeds (seeds with a finite value at that x). Infinite or NaN
    values (diverged seeds) are ignored; with `log`, non-positive statistics are replaced by NaN. Quantiles
    interpolate linearly between order statistics, as numpy's and pandas' default does. Plain numpy: one sort
    for every group at once (a pandas groupby-quantile costs several milliseconds of a server that draws every
    session's pages, whatever the frame's size).
    """
    values = df[y].to_numpy(dtype=float) if not df.empty else np.empty(0)
    finite = np.isfinite(values)
    if not finite.any():  # no rows, or every seed diverged before its first finite value: axes only
        return pd.DataFrame(columns=["series", *by, "x", "median", "lo", "hi", "n_seeds"])
    keys = [_codes(df[series], ordered=False, text=True), *(_codes(df[col], ordered=True) for col in (*by, x))]
    finite &= np.logical_and.reduce([codes >= 0 for codes, _ in keys])  # a missing key drops its row, as groupby does
    group = np.zeros(len(df), dtype=np.int64)
    for codes, labels in keys:  # one integer per (series, *by, x), ordered like the output rows
        group = group * len(labels) + codes
    group, values = group[finite], values[finite]
    order = np.argsort(values)  # by value, then (stable) by group: each group's values end up sorted
    by_group = group[order]
    if math.prod(len(labels) for _, labels in keys) <= 2**16:
        by_group = by_group.astype(np.uint16)  # 16-bit keys sort by radix: both sorts, twice np.lexsort's speed
    order = order[np.argsort(by_group, kind="stable")]
    group, values = group[order], values[order]
    starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    counts = np.diff(np.r_[starts, len(group)])

    def quantile(q: float) -> np.ndarray:
        pos = (counts - 1) * q
        below = np.floor(pos).astype(np.int64)
        low, high = values[starts + below], values[starts + np.minimum(below + 1, counts - 1)]
        return low + (high - low) * (pos - below)

    columns, rest = [], group[starts]
    for _, labels in reversed(keys):
        columns.append(labels[rest % len(labels)])
        rest = rest // len(labels)
    series_col, *by_cols, x_col = reversed(columns)
    stats = {"median": quantile(0.5), "lo": quantile(BAND_LO), "hi": quantile(BAND_HI)}
    if log:
        stats = {name: np.where(col > 0, col, np.nan) for name, col in stats.items()}
    return pd.DataFrame({"series": series_col, **dict(zip(by, by_cols, strict=True)), "x": x_col, **stats,
                         "n_seeds": counts})


def _codes(column: pd.Series, ordered: bool, text: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes of a column (-1: missing) and the labels they stand for, sorted or in order of appearance."""
    codes, labels = pd.factorize(column, sort=ordered)
    labels = np.asarray(labels)
    return codes, labels.astype(str) if text else labels


def first_divergence(df: pd.DataFrame, series: str = "series") -> pd.DataFrame:
    """Per series: the earliest step at which any seed diverged and how many seeds did (empty if none).

    Expects train_run columns (seed, step, diverged) plus `series`. Columns: series, step, n_diverged, n_seeds.
    """
    if df.empty or "diverged" not in df:
        return pd.DataFrame(columns=["series", "step", "n_diverged", "n_seeds"])
    seeds = df.groupby(series)["seed"].nunique()
    hit = df[df["diverged"].astype(bool)]
    if hit.empty:
        return pd.DataFrame(columns=["series", "step", "n_diverged", "n_seeds"])
    first = hit.groupby(series).agg(step=("step", "min"), n_diverged=("seed", "nunique")).reset_index()
    first = first.rename(columns={series: "series"})
    first["n_seeds"] = first["series"].map(seeds).astype(int)
    return first


def median_by(df: pd.DataFrame, x: str, y: str, series: str = "series") -> pd.DataFrame:
    """Median of `y` across seeds per (series, x), wide: one column per series, indexed by x."""
    return df.groupby([x, series], sort=False)[y].median().unstack(series)


def thin(bands: pd.DataFrame, max_x: int = 300) -> pd.DataFrame:
    """Keep at most about `max_x` evenly spaced x values (plus the last) so long runs stay light in the browser."""
    xs = np.sort(bands["x"].unique())
    if len(xs) <= max_x:
        return bands
    step = int(np.ceil(len(xs) / max_x))
    keep = set(xs[::step]) | {xs[-1]}
    return bands[bands["x"].isin(keep)].reset_index(drop=True)
