"""The deep MLP experiment: every seed in one batched pass with a hand-written backward, and its gradient profile.

Network (per seed): `depth` hidden layers z_l = W_l h_{l-1} + b_l → [BatchNorm over the batch] → a_l = f(z_l),
h_l = a_l (or h_{l-1} + a_l with residual, layers 2..depth), then a linear readout to one output and the
mean squared error against the targets. Seeds are a leading batch axis: weights (S, out, in), activations
(S, B, width), one `baddbmm` per layer forward and two `bmm` per layer backward (weight gradients written
straight into `.grad`).
The backward uses autograd's own fused derivative kernels; tests check it against nn.Sequential.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd
import torch

from explainer.experiments.activations import ACTIVATIONS, ActivationSpec, Saturation
from explainer.experiments.configs import MLPConfig
from explainer.experiments.models import init_biases, init_weights, make_data
from explainer.experiments.runtime import ensure_runtime
from explainer.experiments.seeding import seed_values

BN_EPS = 1e-5  # nn.BatchNorm1d's default


def input_dim(cfg: MLPConfig) -> int:
    """Width of the input: 2 for the spirals, `width` for Gaussian inputs."""
    return 2 if cfg.data == "spirals" else cfg.width


@dataclass
class MLPParams:
    """Stacked parameters of all seeds (hidden layers 2..depth share one tensor); `.grad` holds the last pass."""

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
    """Initialise parameters (leaf tensors, `.grad` allocated) and the per-seed batch x (S, B, d_in), y (S, B, 1)."""
    seeds, width, d_in = seed_values(cfg), cfg.width, input_dim(cfg)
    shapes = [(1, width, d_in), (cfg.depth - 1, width, width), (1, 1, width)]
    w1, wh, wo = init_weights(shapes, seeds, cfg.init, cfg.init_scale, cfg.activation)
    b1, bh, bo = init_biases(shapes, seeds, cfg.init)
    bn = cfg.norm == "batch"
    s = len(seeds)
    params = MLPParams(
        w_first=w1[0],
        w_hidden=wh,
        b_hidden=torch.cat([b1, bh]),
        w_out=wo[0],
        b_out=bo[0],
        gamma=torch.ones(cfg.depth, s, width) if bn else None,
        beta=torch.zeros(cfg.depth, s, width) if bn else None,
    )
    for t in params.tensors():
        t.requires_grad_()
        t.grad = torch.empty_like(t)  # every pass overwrites all of it
    x, y = make_data(cfg.data, seeds, cfg.batch_size, width)
    return params, x, y


@dataclass
class LayerStats:
    """Activation statistics per (layer, seed), each of shape (depth, S)."""

    mean: torch.Tensor  # mean of a_l = f(z_l) over batch and units
    std: torch.Tensor  # its standard deviation (population, ddof 0)
    saturated: torch.Tensor  # fraction of units with |f'(z)| < SATURATION_FRACTION x peak (activations.py)


def _count_saturated(rule: Saturation, v: torch.Tensor, scratch: torch.Tensor, out: torch.Tensor) -> torch.Tensor:
    """Per-seed number of units of v (S, n) that `rule.mask` marks, into out (S,); overwrites scratch.

    Each clause is counted from a 0/1 float mask written in place (bool tensors are several times slower to
    make and to count here); float sums of 0/1 are exact below 2^24 units per seed, and the clauses of a
    rule are disjoint, so their counts add up.
    """
    total = None
    for sign, mask in _clause_masks(rule, v, scratch):
        if total is None:
            total = torch.sum(mask, dim=1, out=out)
        elif sign > 0:
            total.add_(mask.sum(1))
        else:
            total.sub_(mask.sum(1))
    return out.zero_() if total is None else total


def _clause_masks(rule: Saturation, v: torch.Tensor, scratch: torch.Tensor) -> Iterator[tuple[int, torch.Tensor]]:
    """(sign, 0/1 mask in scratch) per counted clause, made one at a time (each overwrites the previous)."""
    if rule.far_from is not None:
        yield 1, torch.sub(v, rule.far_from[0], out=scratch).abs_().gt_(rule.far_from[1])
    if rule.at_most is not None:
        yield 1, torch.le(v, rule.at_most, out=scratch)
    if rule.below is not None:
        yield 1, torch.lt(v, rule.below, out=scratch)
    if rule.between is not None:  # #(lo < v < hi) = #(v < hi) - #(v <= lo)
        lo, hi = rule.between
        yield 1, torch.lt(v, hi, out=scratch)
        yield -1, torch.le(v, lo, out=scratch)


def _record_stats(
    spec: ActivationSpec, a: torch.Tensor, z: torch.Tensor, rows: tuple[torch.Tensor, ...], scratch: torch.Tensor
) -> None:
    """Fill one layer's rows (mean, norm of the deviations, saturated count) while a is still in cache.

    Overwrites scratch. mlp_pass turns the last two into the std and the fraction, dividing all layers at once.
    """
    mean, deviation_norm, saturated = rows
    flat = a.view(a.shape[0], -1)
    torch.sum(flat, dim=1, out=mean).div_(flat.shape[1])
    centred = torch.sub(flat, mean.unsqueeze(1), out=scratch)
    torch.linalg.vector_norm(centred, dim=1, out=deviation_norm)
    tested = flat if spec.saturation.on == "output" else z.reshape(flat.shape)
    _count_saturated(spec.saturation, tested, scratch, saturated)


def _batchnorm_backward(
    dz: torch.Tensor, xh: torch.Tensor, rstd: torch.Tensor, norm: tuple[torch.Tensor, ...], scratch: torch.Tensor
) -> torch.Tensor:
    """dL/d(pre-BN z) from dL/d(BN output) dz, written over dz; writes the layer's γ and β gradients.

    norm = (γ, β, γ.grad, β.grad) of the layer, γ and β shaped (S, 1, width).
    dx = γ·dz, then rstd·(dx − mean_b dx − x̂·mean_b(dx·x̂)). Overwrites x̂ and scratch (neither is read again).
    """
    gamma, _, gamma_grad, beta_grad = norm
    tmp = scratch.view(dz.shape)
    torch.sum(torch.mul(dz, xh, out=tmp), dim=1, out=gamma_grad)
    torch.sum(dz, dim=1, out=beta_grad)
    dx = dz.mul_(gamma)
    proj = torch.mul(dx, xh, out=tmp).mean(1, keepdim=True)
    return dx.sub_(dx.mean(1, keepdim=True)).sub_(xh.mul_(proj)).mul_(rstd)


@torch.no_grad()
def mlp_pass(
    cfg: MLPConfig, p: MLPParams, x: torch.Tensor, y: torch.Tensor, stats: bool = False
) -> tuple[torch.Tensor, LayerStats | None]:
    """Forward and backward for all seeds; writes dL_s/dθ_s of every parameter into its `.grad`.

    Returns the per-seed losses (S,) and, if asked, the activation statistics. Memory traffic, not arithmetic,
    is what this pass can save over autograd (the products are the same), so every step writes into a buffer
    that is already in cache: f is applied in place over z (unless its derivative needs z, as gelu's does),
    the backward writes dL/dz over a (read for the last time there) and dL/dh into one reused buffer.
    """
    depth, residual, bn = cfg.depth, cfg.residual, p.gamma is not None
    s, b = x.shape[:2]
    weights = (p.w_first, *p.w_hidden.unbind(0))
    spec = ACTIVATIONS[cfg.activation]
    fn = spec.torch_kernel(inplace=not spec.needs_input)
    record = LayerStats(x.new_empty(depth, s), x.new_empty(depth, s), x.new_empty(depth, s)) if stats else None
    rows = list(zip(record.mean, record.std, record.saturated, strict=True)) if stats else None  # per-layer views
    scratch = x.new_empty(s, b * cfg.width) if stats or bn else None  # reused by every layer
    norms = list(zip(p.gamma.unsqueeze(2), p.beta.unsqueeze(2), p.gamma.grad, p.beta.grad, strict=True)) if bn else None
    acts, outs, pres, xhats, rstds = [], [], [], [], []
    h = x
    for layer, (w, bias) in enumerate(zip(weights, p.b_hidden.unsqueeze(2), strict=True)):
        z = torch.baddbmm(bias, h, w.transpose(1, 2))
        if bn:
            centred = z.sub_(z.mean(1, keepdim=True))
            var = torch.linalg.vector_norm(centred, dim=1, keepdim=True).square_().div_(b)
            rstds.append(torch.rsqrt(var.add_(BN_EPS)))
            xhats.append(centred.mul_(rstds[-1]))
            z = torch.addcmul(norms[layer][1], xhats[-1], norms[layer][0])
        a = fn(z)
        if stats:
            _record_stats(spec, a, z, rows[layer], scratch)
        acts.append(a)
        pres.append(z if spec.needs_input else None)  # gelu's derivative needs z; the others read a
        h = h + a if residual and layer > 0 else a
        outs.append(h)
    if stats:  # every layer at once: the same divisions as row by row
        record.std.div_(math.sqrt(scratch.shape[1]))
        record.saturated.div_(scratch.shape[1])
    resid = torch.baddbmm(p.b_out.unsqueeze(1), h, p.w_out.transpose(1, 2)).sub_(y)  # (S, B, 1)
    losses = resid.square().mean(dim=(1, 2))
    g_out = resid.mul_(2.0 / (b * resid.shape[2]))
    torch.bmm(g_out.transpose(1, 2), h, out=p.w_out.grad)
    torch.sum(g_out, dim=1, out=p.b_out.grad)
    delta_h = torch.bmm(g_out, p.w_out)  # dL/dh_depth; this buffer holds dL/dh_l for every l on the way down
    w_grads, b_grads = (p.w_first.grad, *p.w_hidden.grad.unbind(0)), p.b_hidden.grad.unbind(0)
    for layer in range(depth - 1, -1, -1):
        # a_l is read for the last time here (h_l, when it is a_l, already gave layer l+1 its weight gradient)
        dz = spec.torch_backward(delta_h, acts[layer], pres[layer], out=acts[layer])
        if bn:
            dz = _batchnorm_backward(dz, xhats[layer], rstds[layer], norms[layer], scratch)
        h_prev = x if layer == 0 else outs[layer - 1]
        torch.bmm(dz.transpose(1, 2), h_prev, out=w_grads[layer])
        torch.sum(dz, dim=1, out=b_grads[layer])
        if layer > 0:  # dL/dh_{l-1} = dz W_l (+ dL/dh_l through the skip connection)
            delta_h = delta_h.baddbmm_(dz, weights[layer]) if residual else torch.bmm(dz, weights[layer], out=delta_h)
    return losses, record


def layer_grad_norms(p: MLPParams) -> torch.Tensor:
    """Frobenius norm of dL/dW_l per (layer, seed): shape (depth, S)."""
    first = torch.linalg.vector_norm(p.w_first.grad, dim=(1, 2)).unsqueeze(0)
    return torch.cat([first, torch.linalg.vector_norm(p.w_hidden.grad, dim=(2, 3))])


def gradient_profile(cfg: MLPConfig) -> pd.DataFrame:
    """One forward/backward pass of every seed; one row per (seed, layer).

    Columns: seed (absolute seed value), layer (1 = nearest the input .. depth), grad_norm (Frobenius norm
    of dL/dW_layer), act_mean and act_std (of the layer's activations f(z) over batch and units),
    saturated_frac (fraction of units with |f'(z)| < SATURATION_FRACTION x peak |f'|, see activations.py:
    saturated sigmoid/tanh units, dead ReLUs; always 0 for linear). Seed s gives the same rows whether
    it runs alone or with others.
    """
    ensure_runtime()
    params, x, y = build_mlp(cfg)
    _, stats = mlp_pass(cfg, params, x, y, stats=True)
    with torch.no_grad():
        grads = layer_grad_norms(params)
    columns = {"grad_norm": grads, "act_mean": stats.mean, "act_std": stats.std, "saturated_frac": stats.saturated}
    return pd.DataFrame(
        {
            "seed": np.repeat(seed_values(cfg), cfg.depth),
            "layer": np.tile(np.arange(1, cfg.depth + 1), cfg.seeds),
            **{k: v.T.reshape(-1).double().numpy() for k, v in columns.items()},
        }
    )
