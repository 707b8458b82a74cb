"""Across-seed statistics for charts: median and 10–90 % band per (series, x), and first divergence steps.

Pure pandas. Non-positive values (a gradient that is exactly 0, e.g. after zero init) cannot sit on a log
axis: they are kept in the statistics but the plotted columns become NaN, so the line breaks there instead
of Vega dropping to minus infinity.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

BAND_LO, BAND_HI = 0.10, 0.90  # quantiles of the shaded band across seeds


def band_frame(df: pd.DataFrame, x: str, y: str, series: str = "series", log: bool = True,
               by: tuple[str, ...] = ()) -> pd.DataFrame:
    """Median and 10–90 % quantiles of `y` across seeds, one row per (series, *by, x), in order of appearance.

    Columns: series, *by, x, median, lo, hi, n_seeds (seeds with a finite value at that x). Infinite or NaN
    values (diverged seeds) are ignored; with `log`, non-positive statistics are replaced by NaN.
    """
    empty = pd.DataFrame(columns=["series", *by, "x", "median", "lo", "hi", "n_seeds"])
    if df.empty:
        return empty
    codes, names = pd.factorize(df[series], sort=False)  # integer keys: grouping on strings is much slower
    values = df[y].to_numpy(dtype=float)
    frame = pd.DataFrame({"_s": codes, **{b: df[b].to_numpy() for b in by}, "x": df[x].to_numpy(),
                          "y": np.where(np.isfinite(values), values, np.nan)}).dropna(subset=["y"])
    if frame.empty:  # every seed diverged before its first finite value: nothing to draw but the axes
        return empty
    grouped = frame.groupby(["_s", *by, "x"], sort=False)["y"]
    stats = grouped.quantile([BAND_LO, 0.5, BAND_HI]).unstack()  # one pass for all three quantiles
    out = pd.DataFrame({"median": stats[0.5], "lo": stats[BAND_LO], "hi": stats[BAND_HI],
                        "n_seeds": grouped.size()}).reset_index().sort_values(["_s", *by, "x"], kind="stable")
    out.insert(0, "series", np.asarray(names, dtype=object)[out.pop("_s").to_numpy()].astype(str))
    if log:
        for col in ("median", "lo", "hi"):
            out[col] = out[col].where(out[col] > 0)
    return out.reset_index(drop=True)


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
