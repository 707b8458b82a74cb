"""Diagnosis of a gradient profile: first/last ratio, per-layer decay and a vanishing/healthy/exploding verdict."""

from __future__ import annotations

import math
import typing
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # numpy and pandas load only when a profile is summarised: the thresholds below cost nothing
    import pandas as pd

# A first/last gradient ratio below VANISHING_RATIO means the layer nearest the input (or the oldest time step)
# gets less than 1% of the gradient of the last one: it effectively stops learning. Above EXPLODING_RATIO the
# early layers get 100x more: a step size that suits the last layer throws the first ones far off.
VANISHING_RATIO = 1e-2
EXPLODING_RATIO = 1e2

Verdict = Literal["vanishing", "healthy", "exploding"]

# A training run whose final/initial weight norm (median over seeds) exceeds WEIGHT_GROWTH "keeps growing its
# weights": the slow road to exploding gradients that L2 decay answers.
WEIGHT_GROWTH = 1.2
TrainVerdict = Literal["diverged", "growing", "stable"]
VERDICTS: tuple[str, ...] = typing.get_args(Verdict)
TRAIN_VERDICTS: tuple[str, ...] = typing.get_args(TrainVerdict)


@dataclass(frozen=True)
class ProfileSummary:
    """What the diagnosis panel shows for one profile."""

    first_last_ratio: float  # median over seeds of grad_norm(first) / grad_norm(last)
    decay_per_layer: float  # geometric-mean factor per layer (or time step): ratio ** (1 / (n_layers - 1))
    verdict: Verdict  # vanishing (ratio < VANISHING_RATIO), exploding (> EXPLODING_RATIO or non-finite), healthy
    n_layers: int  # layers (gradient_profile) or time steps (bptt_profile)
    diverged: bool  # some gradient norm is NaN or infinite


def _axis(df: pd.DataFrame) -> tuple[str, bool]:
    """Position column and whether its largest value is the 'first' end (steps_back: the oldest step)."""
    if "layer" in df.columns:
        return "layer", False
    if "steps_back" in df.columns:
        return "steps_back", True
    raise ValueError("expected a gradient_profile (layer) or bptt_profile (steps_back) frame")


def _ratio(first: float, last: float) -> float:
    """first/last, with 0/0 = 0 (no gradient anywhere is vanishing) and x/0 = inf for x > 0."""
    if last == 0:
        return 0.0 if first == 0 else math.inf
    return first / last


def summarize_profile(df: pd.DataFrame) -> ProfileSummary:
    """Summarise a `gradient_profile` or `bptt_profile` frame.

    For a gradient profile, "first" is layer 1 (nearest the input) and "last" the top hidden layer; for a
    BPTT profile, "first" is the oldest step (steps_back = seq_len-1) and "last" the final step (steps_back = 0).
    Seeds whose ratio is NaN (an overflowed, non-finite norm) are left out of the median; if every seed's
    ratio is NaN, the ratio is NaN, `diverged` is True and the verdict is "exploding".
    """
    import numpy as np

    col, reverse = _axis(df)
    lo, hi = int(df[col].min()), int(df[col].max())
    first_pos, last_pos = (hi, lo) if reverse else (lo, hi)
    if df.duplicated(["seed", col]).any():
        raise ValueError(f"expected one row per (seed, {col}): summarise one run at a time")
    wide = df.pivot(index="seed", columns=col, values="grad_norm")
    norms = wide.to_numpy(dtype=float)
    diverged = bool(~np.isfinite(norms).all())
    ratios = np.array([_ratio(f, la) for f, la in zip(wide[first_pos], wide[last_pos], strict=True)])
    ratios = ratios[~np.isnan(ratios)]
    n = hi - lo + 1
    if ratios.size == 0:
        return ProfileSummary(math.nan, math.nan, "exploding", n, True)
    ratio = float(np.median(ratios))
    decay = ratio ** (1.0 / (n - 1)) if n > 1 else 1.0
    if ratio < VANISHING_RATIO:
        verdict = "vanishing"
    elif ratio > EXPLODING_RATIO:
        verdict = "exploding"
    else:
        verdict = "healthy"
    return ProfileSummary(ratio, float(decay), verdict, n, diverged)


# Issue 14's training labs (transformer warm-up, digits): a run "learns" once its final accuracy (median over seeds)
# reaches the lab's bar, "diverged" if most seeds' loss became non-finite, and otherwise "stalls".
LearnVerdict = Literal["learns", "stalls", "diverged"]
LEARN_VERDICTS: tuple[str, ...] = typing.get_args(LearnVerdict)
TRANSFORMER_LEARNED = 0.9  # running max of 8 token values: a stack that found the rule gets >= 90 % of tokens right
DIGITS_LEARNED = 0.5  # 10 classes, chance is 10 %: half of the held-out images right means the net is learning

# Mixed precision: a stored format "underflows" when more than UNDERFLOW_SHARE of layer 1's gradient entries are 0
# in that format but not in float32 (that layer stops learning); "overflows" when the stored gradient holds inf/NaN
# (GradScaler then skips the step); otherwise the gradient is "kept".
PrecisionVerdict = Literal["underflows", "kept", "overflows"]
PRECISION_VERDICTS: tuple[str, ...] = typing.get_args(PrecisionVerdict)
UNDERFLOW_SHARE = 0.5


def learn_verdict(accuracy: float, diverged: bool, bar: float) -> LearnVerdict:
    """ "diverged" if the run blew up, "learns" if its final accuracy reaches `bar`, else "stalls"."""
    if diverged or math.isnan(accuracy):
        return "diverged"
    return "learns" if accuracy >= bar else "stalls"


def precision_verdict(lost_first: float, overflow: bool) -> PrecisionVerdict:
    """From layer 1's share of gradient entries lost to the format (beyond float32's zeros) and any inf/NaN."""
    if overflow:
        return "overflows"
    return "underflows" if lost_first > UNDERFLOW_SHARE else "kept"


def ratio_verdict(ratio: float) -> Verdict:
    """The gradient verdict of a first/last ratio, with summarize_profile's thresholds (NaN: exploding)."""
    if math.isnan(ratio) or ratio > EXPLODING_RATIO:
        return "exploding"
    return "vanishing" if ratio < VANISHING_RATIO else "healthy"


# The phase diagram's test of mean-field theory (explainer/experiments/phase.py); here, torch-free, because the
# lab page scores every diagram it draws.
CRITICAL_MARGIN = 0.25  # |ln χ₁| above this (χ₁ < 0.78 or > 1.28) counts as "away from the critical line"


def phase_agreement(df: pd.DataFrame, margin: float = CRITICAL_MARGIN) -> tuple[int, int]:
    """(cells whose median measured log10_ratio has the sign theory's phase predicts, cells with |ln χ₁| > margin)."""
    import numpy as np

    cells = df.groupby(["sigma_w", "sigma_b"]).agg(measured=("log10_ratio", "median"), chi1=("chi1", "first"))
    away = cells[np.abs(np.log(cells["chi1"])) > margin]
    agree = (np.sign(away["measured"]) == np.sign(np.log(away["chi1"]))).sum()
    return int(agree), len(away)
