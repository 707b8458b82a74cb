"""Charts and sentences of the transformer, mixed-precision and digits labs (built on lines.band_spec). No streamlit.

Sentences follow the engine runners' docstrings ("What the page should show") and read the same frames as the
charts; medians over seeds throughout.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import pandas as pd

from explainer.lab.charts.lines import _records, band_spec
from explainer.lab.charts.summaries import sci
from explainer.lab.outcomes import LearnFacts


def _pct(x: float) -> str:
    return "n/a" if not math.isfinite(x) else f"{x:.0%}"


def last_over_first(profile: pd.DataFrame) -> pd.Series:
    """Per series: median over seeds of grad_norm(last layer) / grad_norm(layer 1)."""
    lo, hi = profile["layer"].min(), profile["layer"].max()
    wide = profile[profile["layer"].isin([lo, hi])].pivot_table(index=["series", "seed"], columns="layer",
                                                                values="grad_norm", sort=False)
    with np.errstate(divide="ignore", invalid="ignore"):
        return (wide[hi] / wide[lo]).groupby(level=0, sort=False).median()


def transformer_init_sentence(profile: pd.DataFrame) -> str:
    """E.g. "At initialisation the last block of the Post-LN stack gets ×1.9 the gradient of the first, ..."."""
    ratios = last_over_first(profile)
    parts = [f"{name} ×{sci(float(r))}" for name, r in ratios.items()]
    return (f"At initialisation the last block gets, relative to the first: {', '.join(parts)} "
            f"({profile['seed'].nunique()} seeds). Above 1 the blocks next to the output get the largest gradients.")


def learn_sentence(facts: Iterable[LearnFacts], what: str) -> str:
    """E.g. "Post-LN, no warm-up: accuracy 68 % (loss 0.64) — stalls; ..." for every run, in order."""
    parts = []
    for f in facts:
        if f.verdict == "diverged":
            parts.append(f"{f.series}: {f.n_diverged} of {f.n_seeds} seeds diverged")
        else:
            parts.append(f"{f.series}: {what} {_pct(f.accuracy)} (loss {sci(f.loss)}) — {f.verdict}")
    return "; ".join(parts) + "."


def zero_share_sentence(profile: pd.DataFrame) -> str:
    """E.g. "Layer 1's gradient entries stored as exactly 0: float16, no scaling 100 % (layers 1–6 lose over half)"."""
    first = profile["layer"].min()
    parts = []
    for name, grp in profile.groupby("series", sort=False):
        med = grp.groupby("layer")["zero_frac"].median()
        lost = med[med > 0.5].index
        tail = (f" (layers {lost.min()}–{lost.max()} lose over half)" if len(lost) > 1
                else f" (layer {lost[0]} loses over half)" if len(lost) else "")
        parts.append(f"{name} {_pct(float(med.loc[first]))}{tail}")
    return f"Layer {first}'s gradient entries stored as exactly 0: {', '.join(parts)}."


def scale_sentence(train: pd.DataFrame) -> str:
    """E.g. "float16, dynamic scaling skipped 4 of 100 steps (median over seeds); its scale stayed within 2^16–2^20"."""
    parts = []
    for name, grp in train[train["scale"] != 1].groupby("series", sort=False):
        skipped = grp.groupby("seed")["skipped"].sum().median()
        lo, hi = grp["scale"].min(), grp["scale"].max()
        span = f"2^{math.log2(lo):.0f}" if lo == hi else f"2^{math.log2(lo):.0f}–2^{math.log2(hi):.0f}"
        parts.append(f"{name} skipped {skipped:g} of {grp['step'].nunique()} steps with its scale at {span}")
    return ("; ".join(parts) + " (medians over seeds).") if parts else "No run used a loss scale."


def scale_spec(train: pd.DataFrame, focus: str | None) -> dict:
    """Loss scale per step (log axis) of the scaled runs, with each skipped step marked by a cross."""
    scaled = train[train["scale"] != 1]
    spec = band_spec(scaled, x="step", y="scale", x_title="step", y_title="loss scale", focus=focus, height=260)
    skips = scaled[scaled["skipped"].astype(bool)].groupby(["series", "step"], sort=False).agg(
        scale=("scale", "median"), seeds=("seed", "nunique")).reset_index()
    if not skips.empty:
        color = spec["layer"][1]["encoding"]["color"]
        spec["layer"].append({
            "data": {"values": _records(skips)}, "mark": {"type": "point", "shape": "cross", "size": 90,
                                                                   "filled": True},
            "encoding": {"x": {"field": "step", "type": "quantitative"},
                         "y": {"field": "scale", "type": "quantitative"}, "color": color,
                         "tooltip": [{"field": "series", "type": "nominal", "title": "series"},
                                     {"field": "step", "type": "quantitative", "title": "skipped step"},
                                     {"field": "seeds", "type": "quantitative", "title": "seeds that skipped"}]}})
    return spec
