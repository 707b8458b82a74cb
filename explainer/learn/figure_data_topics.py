"""Numbers behind the figures of the later Learn topics (edge of chaos, Adam, warm-up, float formats): pure numpy."""

from __future__ import annotations

import numpy as np
import pandas as pd

from explainer.experiments.activations import ACTIVATIONS

_Z, _W = np.polynomial.hermite_e.hermegauss(200)  # E over z ~ N(0, 1); an even count has no node at the ReLU kink
_W = _W / _W.sum()
Q_CAP = 1e12


def fixed_point(activation: str, sigma_w: float, sigma_b: float = 0.0, iterations: int = 300) -> float:
    """q* of the mean-field length map q ← σ_w² E[φ(√q z)²] + σ_b² (Poole et al. 2016), by iteration from q = 1.

    A map without a finite fixed point (ReLU above σ_w = √2) stops at Q_CAP; χ₁ of a homogeneous φ does not depend on q.
    """
    f = ACTIVATIONS[activation].f
    q = 1.0
    for _ in range(iterations):
        q = min(sigma_w**2 * float(_W @ f(np.sqrt(q) * _Z) ** 2) + sigma_b**2, Q_CAP)
    return q


def tanh_fixed_point(sigma_w: float, sigma_b: float = 0.0, iterations: int = 300) -> float:
    """q* for tanh (the figure's main network)."""
    return fixed_point("tanh", sigma_w, sigma_b, iterations)


def chi1(activation: str, sigma_w: float, sigma_b: float = 0.0) -> float:
    """χ₁ = σ_w² E[φ′(√q* z)²], the mean squared gain of one layer's Jacobian at the fixed point.

    tanh: φ′ = 1 − tanh² at q*; ReLU: φ′ is 0 or 1 with probability ½ each, so χ₁ = σ_w²/2 for any q.
    """
    q = fixed_point(activation, sigma_w, sigma_b)
    return sigma_w**2 * float(_W @ ACTIVATIONS[activation].df(np.sqrt(q) * _Z) ** 2)


def edge_of_chaos_frame(sigmas: np.ndarray | None = None) -> pd.DataFrame:
    """χ₁ against σ_w for tanh (σ_b = 0 and 0.5) and ReLU: columns sigma_w, chi1, network."""
    sigmas = np.linspace(0.3, 4.0, 38) if sigmas is None else sigmas
    series = {"tanh, σ_b = 0": ("tanh", 0.0), "tanh, σ_b = 0.5": ("tanh", 0.5), "ReLU": ("relu", 0.0)}
    rows = [
        {"sigma_w": float(s), "chi1": chi1(act, float(s), sb), "network": label}
        for label, (act, sb) in series.items()
        for s in sigmas
    ]
    return pd.DataFrame(rows)


def adam_step_frame(lr: float = 1e-3, eps: float = 1e-8) -> pd.DataFrame:
    """Step length against a steady gradient's size |g|: SGD takes η|g|, Adam η|g|/(|g| + ε) (its m̂/√v̂ = sign)."""
    g = np.logspace(-12, 0, 121)
    return pd.concat([
        pd.DataFrame({"grad": g, "step": lr * g, "optimizer": f"SGD, η = {lr:g}"}),
        pd.DataFrame({"grad": g, "step": lr * g / (g + eps), "optimizer": f"Adam, η = {lr:g}, ε = {eps:g}"}),
    ], ignore_index=True)


def adam_early_spread_frame(steps: int = 2000, coords: int = 2000, beta2: float = 0.999,
                            seed: int = 0) -> pd.DataFrame:
    """Spread of Adam's adaptive factor 1/√v̂_t across coordinates fed N(0, 1) gradients (Liu et al. 2020).

    Columns step, low, median, high (10th, 50th, 90th percentile): wide in the first steps, where v̂_t
    averages only a few squared gradients, narrow once ~1/(1 − β2) of them are in.
    """
    rng = np.random.default_rng(seed)
    v = np.zeros(coords)
    rows = []
    marks = set(np.unique(np.round(np.logspace(0, np.log10(steps), 60)).astype(int)))
    for t in range(1, steps + 1):
        v = beta2 * v + (1 - beta2) * rng.standard_normal(coords) ** 2
        if t in marks:
            factor = 1.0 / np.sqrt(v / (1 - beta2**t))
            low, median, high = np.percentile(factor, [10, 50, 90])
            rows.append({"step": t, "low": low, "median": median, "high": high})
    return pd.DataFrame(rows)


def radam_rho(t: np.ndarray | int, beta2: float = 0.999) -> np.ndarray:
    """ρ_t, the length of the simple moving average that Adam's v̂_t approximates (Liu et al. 2020, eq. 6)."""
    t = np.asarray(t, dtype=float)
    rho_inf = 2 / (1 - beta2) - 1
    return rho_inf - 2 * t * beta2**t / (1 - beta2**t)


# (name, smallest subnormal, smallest normal, largest finite). bf16 keeps fp32's 8 exponent bits, so its range
# is fp32's with 7 stored mantissa bits: subnormals start at 2^-133, normals at 2^-126, max (2 − 2^-7)·2^127.
FORMATS: tuple[tuple[str, float, float, float], ...] = (
    ("fp32", float(np.finfo(np.float32).smallest_subnormal), float(np.finfo(np.float32).tiny),
     float(np.finfo(np.float32).max)),
    ("bf16", 2.0**-133, 2.0**-126, (2 - 2.0**-7) * 2.0**127),
    ("fp16", float(np.finfo(np.float16).smallest_subnormal), float(np.finfo(np.float16).tiny),
     float(np.finfo(np.float16).max)),
)


def float_formats_frame() -> pd.DataFrame:
    """One row per (format, part): the subnormal and the normal range as [lo, hi] intervals, in log10 units."""
    rows = []
    for name, sub, tiny, top in FORMATS:
        rows.append({"format": name, "part": "subnormal (lost precision)", "lo": sub, "hi": tiny})
        rows.append({"format": name, "part": "normal", "lo": tiny, "hi": top})
    frame = pd.DataFrame(rows)
    frame["log_lo"], frame["log_hi"] = np.log10(frame["lo"]), np.log10(frame["hi"])
    return frame
