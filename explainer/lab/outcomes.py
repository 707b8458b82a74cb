"""What the one-pass labs measured for the learner's own choice: facts and a verdict, from the engine's frames.

Phase diagram: the grid cell nearest the learner's (σ_w, σ_b) as a ProfileSummary (first/last ratio, decay, verdict
with summarize_profile's thresholds). Transformer and digits: the final accuracy of the learner's run and its
"learns / stalls / diverged" verdict. Mixed precision: the share of layer 1's gradient entries the learner's float16
run loses beyond float32's own zeros, and "underflows / kept / overflows". The views, the diagnosis rules and the
tests all read these, so the page and its checks agree. Pure pandas: no streamlit, no torch.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from explainer.experiments.summary import (
    DIGITS_LEARNED,
    TRANSFORMER_LEARNED,
    LearnVerdict,
    PrecisionVerdict,
    ProfileSummary,
    learn_verdict,
    precision_verdict,
    ratio_verdict,
)
from explainer.lab.variants import precision_label

LAST_STEPS = 10  # a transformer run's final loss and accuracy: mean of its last 10 steps (one batch each is noisy)


def nearest(value: float, grid: np.ndarray) -> float:
    """The grid value closest to `value` (the lower one on a tie)."""
    grid = np.sort(np.asarray(grid, dtype=float))
    return float(grid[int(np.argmin(np.abs(grid - value)))])


@dataclass(frozen=True)
class PhaseCell:
    """The measured and predicted gradient ratio at one (σ_w, σ_b) grid cell."""

    sigma_w: float
    sigma_b: float
    measured: float  # median over seeds of log10(‖δ_1‖ / ‖δ_depth‖)
    predicted: float  # mean-field log10 ratio along the variance map
    chi1: float
    phase: str  # "ordered", "critical" or "chaotic" (the sign of log χ₁)
    summary: ProfileSummary


def phase_cell(df: pd.DataFrame, sigma_w: float, sigma_b: float, depth: int) -> PhaseCell:
    """The cell of a phase_diagram frame nearest (sigma_w, sigma_b)."""
    sw, sb = nearest(sigma_w, df["sigma_w"].unique()), nearest(sigma_b, df["sigma_b"].unique())
    rows = df[np.isclose(df["sigma_w"], sw) & np.isclose(df["sigma_b"], sb)]
    measured = float(rows["log10_ratio"].median())  # NaN if every seed's error became exactly 0
    ratio = 10.0**measured if math.isfinite(measured) else (0.0 if rows["log10_ratio"].isna().all() else math.nan)
    decay = ratio ** (1.0 / (depth - 1)) if math.isfinite(ratio) else math.nan
    verdict = "vanishing" if ratio == 0.0 else ratio_verdict(ratio)
    summary = ProfileSummary(ratio, decay, verdict, depth, not math.isfinite(measured))
    first = rows.iloc[0]
    return PhaseCell(sw, sb, measured, float(first["predicted_log10_ratio"]), float(first["chi1"]),
                     str(first["phase"]), summary)


def critical_sigma_w(line: pd.DataFrame, sigma_b: float) -> float:
    """σ_w on the critical line χ₁ = 1 at this σ_b, interpolated in a critical_line frame (NaN: none)."""
    ok = line.dropna()
    if ok.empty or not ok["sigma_b"].min() <= sigma_b <= ok["sigma_b"].max():
        return math.nan
    return float(np.interp(sigma_b, ok["sigma_b"], ok["sigma_w"]))


@dataclass(frozen=True)
class LearnFacts:
    """How one configuration of a training lab ended (medians over seeds)."""

    series: str
    accuracy: float  # final accuracy, 0..1 (NaN if every seed diverged)
    loss: float
    n_diverged: int
    n_seeds: int
    verdict: LearnVerdict


def _facts(series: str, per_seed: pd.DataFrame, bar: float) -> LearnFacts:
    """per_seed: one row per seed with its final loss and accuracy."""
    bad = ~np.isfinite(per_seed["loss"].to_numpy(dtype=float))
    ok = per_seed[~bad]
    accuracy = float(ok["accuracy"].median()) if len(ok) else math.nan
    loss = float(ok["loss"].median()) if len(ok) else math.nan
    diverged = 2 * int(bad.sum()) > len(per_seed)
    return LearnFacts(series, accuracy, loss, int(bad.sum()), len(per_seed), learn_verdict(accuracy, diverged, bar))


def transformer_facts(df: pd.DataFrame, series: str, schedule: str) -> LearnFacts:
    """One placement (series) and schedule of a transformer training frame: mean of its last LAST_STEPS steps."""
    run = df[(df["series"] == series) & (df["schedule"] == schedule)]
    tail = run[run["step"] > run["step"].max() - LAST_STEPS]
    per_seed = tail.groupby("seed")[["loss", "accuracy"]].agg(lambda s: s.mean(skipna=False)).reset_index()
    return _facts(f"{series}, {schedule}", per_seed, TRANSFORMER_LEARNED)


def digits_facts(df: pd.DataFrame, series: str) -> LearnFacts:
    """One variant (series) of a digits training frame: held-out loss and accuracy after the last step."""
    test = df[(df["series"] == series) & (df["split"] == "test")]
    final = test[test["step"] == test["step"].max()]
    return _facts(series, final[["seed", "loss", "accuracy"]], DIGITS_LEARNED)


@dataclass(frozen=True)
class PrecisionFacts:
    """What storing the gradient in the learner's format did to layer 1, at initialization."""

    series: str
    lost_first: float  # median over seeds: share of layer 1's entries 0 in this format but not in float32
    overflow: bool  # some seed's stored gradient held inf/NaN at the scale it ends up using
    scale: float  # median loss scale used
    verdict: PrecisionVerdict


def precision_facts(profile: pd.DataFrame, scaling: str) -> PrecisionFacts:
    """The learner's float16 run (with `scaling`) in a precision_profile frame labelled by series."""
    series = precision_label("float16", scaling)
    mine = profile[profile["series"] == series]
    first = mine[mine["layer"] == mine["layer"].min()].set_index("seed")["zero_frac"]
    ref = profile[(profile["series"] == precision_label("float32", "none")) & (profile["layer"] == mine["layer"].min())]
    lost = (first - ref.set_index("seed")["zero_frac"]).clip(lower=0.0)
    overflow = bool((~np.isfinite(mine["grad_norm"].to_numpy(dtype=float))).any())
    lost_first = float(lost.median())
    return PrecisionFacts(series, lost_first, overflow, float(mine["scale"].median()),
                          precision_verdict(lost_first, overflow))
