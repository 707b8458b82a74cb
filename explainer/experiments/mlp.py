"""The deep MLP experiment, every seed in one batched pass, and its per-layer gradient profile.

Network (per seed): `depth` hidden layers z_l = W_l h_{l-1} + b_l → [BatchNorm over the batch] → a_l = f(z_l),
h_l = a_l (or h_{l-1} + a_l with residual, layers 2..depth), then a linear readout to one output and the
mean squared error against the targets. Seeds are a leading batch axis: weights (S, out, in), activations
(S, B, width), one `baddbmm` per layer; the summed per-seed losses give each seed its own gradients.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import torch

from explainer.experiments.configs import MLPConfig
from explainer.experiments.models import ACTIVATION_FNS, init_biases, init_weights, make_data, saturated_mask
from explainer.experiments.runtime import ensure_runtime

BN_EPS = 1e-5  # nn.BatchNorm1d's default

PROFILE_COLUMNS = ("seed", "layer", "grad_norm", "act_mean", "act_std", "saturated_frac")


def seed_values(cfg) -> list[int]:
    """Absolute seeds of a config: seed, seed+1, ..., seed+seeds-1 (the `seed` column of every frame)."""
    return list(range(cfg.seed, cfg.seed + cfg.seeds))


def input_dim(cfg: MLPConfig) -> int:
    """Width of the input: 2 for the spirals, `width` for Gaussian inputs."""
    return 2 if cfg.data == "spirals" else cfg.width


@dataclass
class MLPParams:
    """Stacked trainable tensors of all seeds; hidden layers 2..depth share one leaf so grads come out stacked."""

    w_first: torch.Tensor  # (S, width, d_in)
    w_hidden: torch.Tensor  # (depth-1, S, width, width)
    b_hidden: torch.Tensor  # (depth, S, width)
    w_out: torch.Tensor  # (S, 1, width)
    b_out: torch.Tensor  # (S, 1)
    gamma: torch.Tensor | None  # (depth, S, width) BatchNorm scale (ones), None without BatchNorm
    beta: torch.Tensor | None  # (depth, S, width) BatchNorm shift (zeros)

    def tensors(self) -> list[torch.Tensor]:
        """Every trainable tensor (for optimizers, clipping and weight norms)."""
        extra = [] if self.gamma is None else [self.gamma, self.beta]
        return [self.w_first, self.w_hidden, self.b_hidden, self.w_out, self.b_out, *extra]

    def seed_axes(self) -> list[int]:
        """Position of the seed axis in each of `tensors()` (1 for layer-stacked tensors)."""
        return [0, 1, 1, 0, 0] + ([] if self.gamma is None else [1, 1])


def build_mlp(cfg: MLPConfig) -> tuple[MLPParams, torch.Tensor, torch.Tensor]:
    """Initialise parameters (requires_grad) and the per-seed data batch (x, y) for `cfg`."""
    seeds, width, d_in = seed_values(cfg), cfg.width, input_dim(cfg)
    shapes = [(1, width, d_in), (cfg.depth - 1, width, width), (1, 1, width)]
    w1, wh, wo = init_weights(shapes, seeds, cfg.init, cfg.init_scale, cfg.activation)
    b1, bh, bo = init_biases(shapes, seeds, cfg.init)
    bn = cfg.norm == "batch"
    s = len(seeds)
    params = MLPParams(
        w_first=w1[0].requires_grad_(),
        w_hidden=wh.requires_grad_(),
        b_hidden=torch.cat([b1, bh]).requires_grad_(),
        w_out=wo[0].requires_grad_(),
        b_out=bo[0].requires_grad_(),
        gamma=torch.ones(cfg.depth, s, width).requires_grad_() if bn else None,
        beta=torch.zeros(cfg.depth, s, width).requires_grad_() if bn else None,
    )
    x, y = make_data(cfg.data, seeds, cfg.batch_size, width)
    return params, x, y


def mlp_forward(
    cfg: MLPConfig, p: MLPParams, x: torch.Tensor, y: torch.Tensor, keep: list | None = None
) -> torch.Tensor:
    """Per-seed losses (S,); appends each layer's pre-activation z_l (S, B, width) to `keep` if given."""
    act = ACTIVATION_FNS[cfg.activation]
    weights = (p.w_first, *p.w_hidden.unbind(0))
    biases = p.b_hidden.unbind(0)
    gammas = p.gamma.unbind(0) if p.gamma is not None else None
    betas = p.beta.unbind(0) if p.beta is not None else None
    h = x
    for layer, (w, b) in enumerate(zip(weights, biases, strict=True)):
        z = torch.baddbmm(b.unsqueeze(1), h, w.transpose(1, 2))
        if gammas is not None:
            var, mean = torch.var_mean(z, dim=1, correction=0, keepdim=True)
            z = torch.addcmul(
                betas[layer].unsqueeze(1), (z - mean) * torch.rsqrt(var + BN_EPS), gammas[layer].unsqueeze(1)
            )
        if keep is not None:
            keep.append(z)
        a = act(z)
        h = h + a if cfg.residual and layer > 0 else a
    out = torch.baddbmm(p.b_out.unsqueeze(1), h, p.w_out.transpose(1, 2))
    return (out - y).pow(2).mean(dim=(1, 2))


def layer_grad_norms(p: MLPParams) -> torch.Tensor:
    """Frobenius norm of dL/dW_l per (layer, seed): shape (depth, S)."""
    first = torch.linalg.vector_norm(p.w_first.grad, dim=(1, 2)).unsqueeze(0)
    return torch.cat([first, torch.linalg.vector_norm(p.w_hidden.grad, dim=(2, 3))])


def gradient_profile(cfg: MLPConfig) -> pd.DataFrame:
    """One forward/backward pass of every seed; one row per (seed, layer).

    Columns: seed (absolute seed value), layer (1 = nearest the input .. depth), grad_norm (Frobenius norm
    of dL/dW_layer), act_mean and act_std (of the layer's activations f(z) over batch and units),
    saturated_frac (fraction of units with |f'(z)| < SATURATION_FRACTION x peak |f'|, see models.py:
    saturated sigmoid/tanh units, dead ReLUs; always 0 for linear). Seed s gives the same rows whether
    it runs alone or with others.
    """
    ensure_runtime()
    params, x, y = build_mlp(cfg)
    zs: list[torch.Tensor] = []
    mlp_forward(cfg, params, x, y, keep=zs).sum().backward()
    with torch.no_grad():
        grads = layer_grad_norms(params)
        z = torch.stack([t.detach() for t in zs])  # (depth, S, B, width)
        a = ACTIVATION_FNS[cfg.activation](z)
        std, mean = torch.std_mean(a, dim=(2, 3), correction=0)
        sat = saturated_mask(cfg.activation, z).float().mean(dim=(2, 3))
    s, depth = cfg.seeds, cfg.depth
    return pd.DataFrame(
        {
            "seed": np.repeat(seed_values(cfg), depth),
            "layer": np.tile(np.arange(1, depth + 1), s),
            "grad_norm": grads.T.reshape(-1).double().numpy(),
            "act_mean": mean.T.reshape(-1).double().numpy(),
            "act_std": std.T.reshape(-1).double().numpy(),
            "saturated_frac": sat.T.reshape(-1).double().numpy(),
        }
    )
