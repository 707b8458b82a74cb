"""Edge-of-chaos phase diagram: a deep net at every (σ_w, σ_b) of a grid, measured in one pass and set beside theory.

Network (per seed s and grid point g): `depth` layers z_l = σ_w · Z_l h_{l-1} / √width + σ_b · b_l, h_l = φ(z_l),
with Z_l and b_l standard normal (so W ~ N(0, σ_w²/fan_in), biases ~ N(0, σ_b²)), inputs x ~ N(0, I_width), and
the loss L = mean over the batch of a random linear readout v·h_depth, v ~ N(0, I/width): the loss only sets the
top-layer error, the ratio measures how the layers carry it down. Every grid point of a seed uses that seed's same
standard-normal draws Z_l, b_l, v, x (only the scales differ), so the heatmap is smooth and the draws cost one grid
point's worth; grid points are a second batch axis: activations are (S, G, B, width) and each layer is one `bmm`
of (S, G·B, width) by the seed's Z_l, forward and backward. The backward pass is written out and linear in the
top error, so each layer's error is rescaled to unit norm and the log of the scale carried along: ratios beyond
float32's range (10⁻⁴⁵ in a deep sigmoid net) are measured, not flushed to zero.

Measured per (σ_w, σ_b, seed):
- log10_ratio = log₁₀(‖δ_1‖ / ‖δ_depth‖), δ_l = ∂L/∂z_l over the batch (each example's bias gradient): the quantity
  whose mean square χ_l multiplies per layer, so mean-field theory predicts it (predicted_log10_ratio).
- log10_weight_ratio = log₁₀(‖∂L/∂W_1‖ / ‖∂L/∂W_depth‖), what an optimizer sees. It also carries the activations'
  scale (∂L/∂W_l = δ_l h_{l-1}ᵀ): with σ_b = 0, tanh's vanishing errors meet vanishing activations and ReLU's
  growing errors meet growing activations, so this ratio stays near 1 where the error ratio does not.
Theory per grid point (meanfield.py): q_star, chi1, phase ("ordered" χ₁ < 1, "chaotic" χ₁ > 1) and
predicted_log10_ratio (½ Σ log₁₀ χ_l along the variance map from q_1 = σ_w² + σ_b²).

What the page should show: a heatmap, x = σ_w, y = σ_b, colour = median over seeds of log10_ratio (diverging
scale centred on 0: blue vanishing, red exploding), with the critical line from `critical_line(cfg)` drawn over it
(x = sigma_w, y = sigma_b); tooltip: σ_w, σ_b, measured and predicted log ratio, χ₁, phase. A cell opens the
Initialization lab at that σ_w, σ_b. Summary sentence: "Left of the line (χ₁ < 1, ordered) the gradient reaching
layer 1 is 10^a times the top layer's; right of it (χ₁ > 1, chaotic) 10^b times; measurement and theory agree in
sign on N of M cells away from the line." (from `phase_agreement`).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import torch

from explainer.experiments.configs import PhaseConfig
from explainer.experiments.meanfield import chi1, critical_sigma_w, fixed_point, predicted_log10_ratio
from explainer.experiments.models import ACTIVATION_FNS, activation_backward
from explainer.experiments.runtime import ensure_runtime
from explainer.experiments.seeding import BIAS_STREAM, DATA_STREAM, WEIGHT_STREAM, draw, seed_values, stream

LN10 = math.log(10.0)


def grid(cfg: PhaseConfig) -> tuple[np.ndarray, np.ndarray]:
    """σ_w and σ_b of every grid point, σ_w-major: arrays of length sigma_w_steps x sigma_b_steps."""
    sw = np.linspace(cfg.sigma_w_min, cfg.w_max, cfg.sigma_w_steps)
    sb = np.linspace(cfg.sigma_b_min, cfg.sigma_b_max, cfg.sigma_b_steps)
    w, b = np.meshgrid(sw, sb, indexing="ij")
    return w.ravel(), b.ravel()


def _log_norm(t: torch.Tensor, dims: tuple[int, ...]) -> torch.Tensor:
    """Natural log of the Euclidean norm over `dims`, in float64 (-inf for an all-zero slice)."""
    return torch.linalg.vector_norm(t, dim=dims, dtype=torch.float64).log()


def _unit(delta: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """delta scaled to unit norm per (seed, grid point), and the natural log of the norm it had (float64)."""
    norm = torch.linalg.vector_norm(delta, dim=(2, 3), keepdim=True)
    return delta.div_(norm.clamp_min(1e-30)), norm.view(norm.shape[:2]).double().log()


@torch.no_grad()
def _measure(cfg: PhaseConfig, sw: np.ndarray, sb: np.ndarray) -> tuple[torch.Tensor, torch.Tensor]:
    """ln(‖δ_1‖/‖δ_L‖) and ln(‖∂L/∂W_1‖/‖∂L/∂W_L‖), each (S, G): one batched forward and backward."""
    seeds, depth, width, batch = seed_values(cfg), cfg.depth, cfg.width, cfg.batch_size
    s, g = len(seeds), len(sw)
    weight_streams = [stream(v, WEIGHT_STREAM) for v in seeds]
    z = draw(weight_streams, (width, width), normal=True, count=depth)  # (L, S, width, width)
    readout = draw(weight_streams, (width,), normal=True)[0].div_(math.sqrt(width))  # (S, width)
    bias = draw([stream(v, BIAS_STREAM) for v in seeds], (width,), normal=True, count=depth)  # (L, S, width)
    x = draw([stream(v, DATA_STREAM) for v in seeds], (batch, width), normal=True)[0]  # (S, B, width)
    scale = torch.from_numpy(sw / math.sqrt(width)).float().view(1, g, 1, 1)
    sigma_b = torch.from_numpy(sb).float().view(1, g, 1, 1)
    fn = ACTIVATION_FNS[cfg.activation]

    acts = []
    u = torch.bmm(x, z[0].transpose(1, 2)).unsqueeze(1)  # layer 1's Z x is the same at every grid point
    for layer in range(depth):
        if layer > 0:
            u = torch.bmm(acts[-1].view(s, g * batch, width), z[layer].transpose(1, 2)).view(s, g, batch, width)
        acts.append(fn(torch.addcmul(sigma_b * bias[layer].view(s, 1, 1, width), u, scale)))

    top = readout.div(batch).view(s, 1, 1, width).expand(s, g, batch, width)
    delta = activation_backward(cfg.activation, top.contiguous(), acts[-1], None)  # δ_L = ∂L/∂z_L
    w_top = torch.bmm(delta.view(s * g, batch, width).transpose(1, 2), acts[-2].view(s * g, batch, width))
    log_w_top = _log_norm(w_top.view(s, g, -1), (2,))
    delta, log_top = _unit(delta)
    log_scale = log_top.clone()  # ln of the norm the unit-norm `delta` stands for
    for layer in range(depth - 1, 0, -1):
        back = torch.bmm((delta * scale).view(s, g * batch, width), z[layer]).view(s, g, batch, width)
        delta, step = _unit(activation_backward(cfg.activation, back, acts[layer - 1], None))
        log_scale += step
    flat = delta.transpose(2, 3).reshape(s, g * width, batch)  # unit-norm δ_1, then ∂L/∂W_1 = δ_1ᵀ x
    log_w_first = _log_norm(torch.bmm(flat, x).view(s, g, -1), (2,)) + log_scale
    return log_scale - log_top, log_w_first - log_w_top


def phase_theory(cfg: PhaseConfig) -> pd.DataFrame:
    """Mean-field quantities per grid point: sigma_w, sigma_b, q_star, chi1, phase, predicted_log10_ratio."""
    sw, sb = grid(cfg)
    c = chi1(cfg.activation, sw, sb)
    return pd.DataFrame(
        {
            "sigma_w": sw,
            "sigma_b": sb,
            "q_star": fixed_point(cfg.activation, sw, sb),
            "chi1": c,
            "phase": np.where(c < 1, "ordered", np.where(c > 1, "chaotic", "critical")),
            "predicted_log10_ratio": predicted_log10_ratio(cfg.activation, sw, sb, cfg.depth),
        }
    )


def phase_diagram(cfg: PhaseConfig) -> pd.DataFrame:
    """One row per (sigma_w, sigma_b, seed): measured log10_ratio and log10_weight_ratio, plus `phase_theory`.

    Non-finite measurements (an all-zero error in a layer) are NaN. Seed s gives the same rows alone or with others.
    """
    ensure_runtime()
    sw, sb = grid(cfg)
    ratio, weight_ratio = _measure(cfg, sw, sb)
    seeds = seed_values(cfg)

    def column(t: torch.Tensor) -> np.ndarray:
        a = (t / LN10).T.reshape(-1).numpy()  # (G, S) grid-major, seeds inner
        return np.where(np.isfinite(a), a, math.nan)

    measured = pd.DataFrame(
        {
            "sigma_w": np.repeat(sw, len(seeds)),
            "sigma_b": np.repeat(sb, len(seeds)),
            "seed": np.tile(seeds, len(sw)),
            "log10_ratio": column(ratio),
            "log10_weight_ratio": column(weight_ratio),
        }
    )
    theory = phase_theory(cfg).drop(columns=["sigma_w", "sigma_b"])
    return pd.concat([measured, theory.loc[theory.index.repeat(len(seeds))].reset_index(drop=True)], axis=1)


def critical_line(cfg: PhaseConfig, points: int = 41) -> pd.DataFrame:
    """The mean-field critical line χ₁ = 1 over the config's σ_b range: columns sigma_b, sigma_w (NaN: no crossing)."""
    sb = np.linspace(cfg.sigma_b_min, cfg.sigma_b_max, points)
    return pd.DataFrame({"sigma_b": sb, "sigma_w": critical_sigma_w(cfg.activation, sb)})
