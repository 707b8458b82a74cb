"""Theory overlays: the per-layer scale that theory predicts for an MLP config, where it predicts one.

Mean-field signal propagation (Poole et al. 2016; Schoenholz et al. 2017, "Deep Information Propagation";
the variance argument of Glorot & Bengio 2010 and He et al. 2015). With i.i.d. weights of variance
σ_w²/fan_in, bias variance σ_b² and wide layers, the pre-activations z_l of layer l are ≈ N(0, q_l) with

    q_1 = σ_w² · E[x²] + σ_b²,            q_l = σ_w² · E[f(z_{l-1})²] + σ_b²        (forward)

and the backpropagated error δ_l = ∂L/∂z_l changes by a factor χ_l per layer in mean square:

    E‖δ_l‖² = χ_l · E‖δ_{l+1}‖²,           χ_l = σ_w² · E[f'(z_l)²]                    (backward)

The weight gradient ∂L/∂W_l = Σ_batch δ_l h_{l-1}ᵀ then scales like ‖δ_l‖·‖h_{l-1}‖, so relative to the top
layer L:   g_l / g_L ≈ sqrt( Π_{k=l}^{L-1} χ_k · E[h_{l-1}²] / E[h_{L-1}²] ).
He init for ReLU gives σ_w² = 2 and E[relu'(z)²] = 1/2, so χ = 1: constant gradient scale. Orthogonal
weights have σ_w² = gain² exactly (they preserve norms), so a linear orthogonal net gives χ = 1 too.
Gaussian expectations are computed numerically by a dense midpoint rule (a kink at 0, as in ReLU, is exact).
"""

from __future__ import annotations

import math

import pandas as pd
import torch

from explainer.experiments.activations import ACTIVATIONS
from explainer.experiments.configs import MLPConfig, RNNConfig
from explainer.experiments.models import weight_std

# Quantities in the theory frame. Relative ones are 1.0 at the top layer: multiply by the measured top-layer
# gradient norm to overlay them (see `anchor_theory`). act_std is absolute.
GRAD = "grad_norm"  # mean-field estimate of the weight-gradient norm, relative to the top layer
SIGMOID_BOUND = "sigmoid_bound"  # peak^(depth-l), sigmoid 0.25: the most the chain can pass back when ‖W‖₂ ≤ 1
ACT_STD = "act_std"  # predicted std of the activations f(z_l)
RELATIVE_QUANTITIES = (GRAD, SIGMOID_BOUND)

_STEP = 1e-3  # midpoint rule on (-12, 12): cells never straddle 0, so kinks at 0 (ReLU) are integrated exactly
_GRID = (torch.arange(-12_000, 12_000, dtype=torch.float64) + 0.5) * _STEP
_WEIGHTS = torch.exp(-0.5 * _GRID**2) / math.sqrt(2 * math.pi) * _STEP


def gauss_moments(activation: str, q: float) -> tuple[float, float, float]:
    """(E[f(z)], E[f(z)²], E[f'(z)²]) for z ~ N(0, q)."""
    z = _GRID * math.sqrt(max(q, 0.0))
    spec = ACTIVATIONS[activation]
    f = spec.torch_kernel()(z)
    d = spec.df(z)
    return float((_WEIGHTS * f).sum()), float((_WEIGHTS * f * f).sum()), float((_WEIGHTS * d * d).sum())


def _mean_field(cfg: MLPConfig) -> pd.DataFrame:
    """act_std for every layer, and grad_norm relative to the top layer (not for zero weights)."""
    width, act = cfg.width, cfg.activation
    sw2 = width * weight_std(cfg.init, width, width, cfg.init_scale, act) ** 2
    sb2 = 1.0 / (3 * width) if cfg.init == "pytorch_default" else 0.0
    second = [1.0]  # E[h_{l}²] for l = 0 (the Gaussian input), 1, ..., depth
    chi, std = [], []
    q = sw2 * 1.0 + sb2
    for _ in range(cfg.depth):
        mean, sq, dsq = gauss_moments(act, q)
        std.append(math.sqrt(max(sq - mean * mean, 0.0)))
        second.append(sq)
        chi.append(sw2 * dsq)
        q = sw2 * sq + sb2
    rows = [(layer + 1, ACT_STD, s) for layer, s in enumerate(std)]
    if sw2 > 0:
        log_rel = [0.0] * cfg.depth  # log(g_l / g_L), summed from the top down
        for layer in range(cfg.depth - 2, -1, -1):
            log_rel[layer] = log_rel[layer + 1] + 0.5 * math.log(max(chi[layer], 1e-300))
        top = second[cfg.depth - 1]
        rows += [
            (layer + 1, GRAD, math.exp(log_rel[layer] + 0.5 * math.log(second[layer] / top)))
            for layer in range(cfg.depth)
        ]
    return pd.DataFrame(rows, columns=["layer", "quantity", "predicted"])


def theory_profile(cfg: MLPConfig | RNNConfig) -> pd.DataFrame | None:
    """Predicted per-layer scales for `cfg` as a long frame (layer, quantity, predicted), or None.

    - Plain nets (no BatchNorm, no residual) on Gaussian data: act_std and grad_norm from mean-field theory.
    - BatchNorm (γ = 1, β = 0 at init) standardises every pre-activation over the batch, so act_std is the
      std of f(ε), ε ~ N(0, 1), at every layer; the gradient has no simple closed form there.
    - An activation whose slope never reaches 1 (sigmoid: σ' ≤ 1/4), without BatchNorm/residual: also
      sigmoid_bound = peak^(depth-l), since a weight matrix with ‖W‖₂ ≤ 1 cannot amplify the error, so the error
      signal shrinks at least 1/peak times per layer (4x for sigmoid).
    - Residual nets, spiral inputs' mean-field terms and recurrent nets: theory here says nothing (None).
    """
    if isinstance(cfg, RNNConfig) or cfg.residual:
        return None
    frames = []
    if cfg.norm == "batch":
        mean, sq, _ = gauss_moments(cfg.activation, 1.0)
        std = math.sqrt(max(sq - mean * mean, 0.0))
        frames.append(pd.DataFrame({"layer": range(1, cfg.depth + 1), "quantity": ACT_STD, "predicted": std}))
    else:
        if cfg.data == "gaussian":
            frames.append(_mean_field(cfg))
        peak = ACTIVATIONS[cfg.activation].peak
        if peak < 1:
            layers = range(1, cfg.depth + 1)
            bound = [peak ** (cfg.depth - layer) for layer in layers]
            frames.append(pd.DataFrame({"layer": layers, "quantity": SIGMOID_BOUND, "predicted": bound}))
    if not frames:
        return None
    return pd.concat(frames, ignore_index=True)


def anchor_theory(theory: pd.DataFrame, profile: pd.DataFrame) -> pd.DataFrame:
    """Theory frame with relative quantities scaled by the profile's median top-layer grad_norm (for overlays)."""
    top = profile.loc[profile["layer"] == profile["layer"].max(), "grad_norm"].median()
    out = theory.copy()
    rel = out["quantity"].isin(RELATIVE_QUANTITIES)
    out.loc[rel, "predicted"] = out.loc[rel, "predicted"] * top
    return out
