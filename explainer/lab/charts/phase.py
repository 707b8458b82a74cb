"""The phase diagram: heatmap of the measured log₁₀(first/last) over (σ_w, σ_b), the critical line, the learner's cell.

Vega-Lite written directly (like lines.band_spec). Colour is the median over seeds on a diverging red-blue scale
centred on 0 (blue: vanishing, red: exploding; colour-blind safe), clamped at ±CLAMP decades so one extreme corner
does not wash out the rest; the tooltip keeps the exact numbers. Clicking a cell selects it (point selection CELL).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from explainer.lab.charts.lines import CANVAS, INK, _records
from explainer.lab.charts.summaries import sci

CELL = "cell"  # name of the point selection on the heatmap's cells
CLAMP = 6.0  # colour saturates beyond 10^±6
COLOR_TITLE = "log₁₀(first / last)"


def cell_frame(df: pd.DataFrame) -> pd.DataFrame:
    """One row per grid cell: median measured log10_ratio over seeds, theory columns, and the cell's edges."""
    cells = df.groupby(["sigma_w", "sigma_b"], sort=True).agg(
        measured=("log10_ratio", "median"), weight_ratio=("log10_weight_ratio", "median"),
        predicted=("predicted_log10_ratio", "first"), chi1=("chi1", "first"), phase=("phase", "first"),
        seeds=("seed", "nunique")).reset_index()
    for axis in ("sigma_w", "sigma_b"):
        values = np.sort(cells[axis].unique())
        half = (values[1] - values[0]) / 2 if len(values) > 1 else 0.05
        cells[f"{axis}_lo"], cells[f"{axis}_hi"] = cells[axis] - half, cells[axis] + half
    return cells


def _q(field: str, title: str | None = None, **extra) -> dict:
    return {"field": field, "type": "quantitative", **({"title": title} if title else {}), **extra}


def phase_spec(df: pd.DataFrame, line: pd.DataFrame, focus: tuple[float, float], height: int = 360) -> dict:
    """Heatmap of a phase_diagram frame with the critical line (sigma_b, sigma_w) and the focus cell ringed."""
    cells = cell_frame(df)
    w_lo, w_hi = float(cells["sigma_w_lo"].min()), float(cells["sigma_w_hi"].max())
    b_lo, b_hi = float(cells["sigma_b_lo"].min()), float(cells["sigma_b_hi"].max())
    x_scale, y_scale = {"domain": [w_lo, w_hi], "nice": False}, {"domain": [b_lo, b_hi], "nice": False}
    x_axis, y_axis = _q("sigma_w_lo", "σ_w (weight scale)", scale=x_scale), _q("sigma_b_lo", "σ_b (bias scale)",
                                                                                scale=y_scale)
    tooltip = [_q("sigma_w", "σ_w", format=".3~g"), _q("sigma_b", "σ_b", format=".3~g"),
               _q("measured", "measured log₁₀(first/last)", format=".2f"),
               _q("predicted", "theory log₁₀(first/last)", format=".2f"), _q("chi1", "χ₁", format=".3f"),
               {"field": "phase", "type": "nominal", "title": "phase (theory)"}, _q("seeds", "seeds")]
    heat = {"data": {"name": "cells"}, "mark": {"type": "rect", "stroke": None},
            "params": [{"name": CELL, "select": {"type": "point", "fields": ["sigma_w", "sigma_b"]}}],
            "encoding": {"x": x_axis, "x2": {"field": "sigma_w_hi"}, "y": y_axis, "y2": {"field": "sigma_b_hi"},
                         "color": _q("measured", COLOR_TITLE, scale={
                             "scheme": "redblue", "reverse": True, "domain": [-CLAMP, CLAMP], "domainMid": 0,
                             "clamp": True}, legend={"orient": "right", "gradientLength": 200}),
                         "tooltip": tooltip}}
    crit = line.dropna()
    crit = crit[(crit["sigma_w"] >= w_lo) & (crit["sigma_w"] <= w_hi)]
    layers = [heat]
    if not crit.empty:
        layers.append({"data": {"values": _records(crit.assign(label="χ₁ = 1 (theory)"))},
                       "mark": {"type": "line", "color": "#000000", "strokeWidth": 2.5, "strokeDash": [7, 3]},
                       "encoding": {"x": _q("sigma_w"), "y": _q("sigma_b"), "order": _q("sigma_b"),
                                    "tooltip": [{"field": "label", "type": "nominal", "title": "critical line"},
                                                _q("sigma_b", "σ_b", format=".3~g"),
                                                _q("sigma_w", "critical σ_w", format=".3~g")]}})
    mine = cells[np.isclose(cells["sigma_w"], focus[0]) & np.isclose(cells["sigma_b"], focus[1])]
    if not mine.empty:
        layers.append({"data": {"values": _records(mine)},
                       "mark": {"type": "rect", "fillOpacity": 0, "stroke": INK, "strokeWidth": 3},
                       "encoding": {"x": _q("sigma_w_lo"), "x2": {"field": "sigma_w_hi"}, "y": _q("sigma_b_lo"),
                                    "y2": {"field": "sigma_b_hi"}, "tooltip": tooltip}})
    return {"$schema": "https://vega.github.io/schema/vega-lite/v6.json", "height": height, "usermeta": CANVAS,
            "datasets": {"cells": _records(cells)}, "layer": layers}


def phase_sentence(df: pd.DataFrame, agreement: tuple[int, int], margin: float) -> str:
    """E.g. "In the ordered cells (χ₁ < 1) the median cell's layer 1 gets 10^-3.4 of the top layer's gradient, ..."."""
    cells = cell_frame(df)
    log_chi = np.log(cells["chi1"])
    parts = []
    for name, side, mask in (("ordered", "χ₁ < 1", log_chi < -margin), ("chaotic", "χ₁ > 1", log_chi > margin)):
        group = cells.loc[mask, "measured"].dropna()
        if len(group):
            parts.append(f"in the {name} cells ({side}) the median cell's layer 1 gets "
                         f"{_decades(float(group.median()))} of the top layer's gradient")
    agree, away = agreement
    seeds = int(df["seed"].nunique())
    head = "; ".join(parts) if parts else "no cell is clearly off the critical line"
    return (f"{head[0].upper()}{head[1:]}. Measurement and theory agree on the sign on {agree} of {away} cells away "
            f"from the line ({seeds} seed{'s' if seeds != 1 else ''} per cell).")


def _decades(log10: float) -> str:
    """10^-3.4 written as a readable factor: "10^-3.4 (×4.0e-04)"; within a decade just the factor."""
    if not math.isfinite(log10):
        return "n/a"
    return f"×{sci(10**log10)}" if abs(log10) < 1 else f"10^{log10:+.1f} (×{sci(10**log10)})"
