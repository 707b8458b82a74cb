"""Full-batch training of every seed at once, with per-seed clipping, weight decay and divergence detection."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import torch

from explainer.experiments.configs import MLPConfig, TrainConfig
from explainer.experiments.mlp import build_mlp, mlp_pass
from explainer.experiments.optim import SGD, Adam
from explainer.experiments.rnn import build_rnn, rnn_forward
from explainer.experiments.runtime import ensure_runtime
from explainer.experiments.seeding import seed_values

CLIP_EPS = 1e-6  # as in torch.nn.utils.clip_grad_norm_: scale = max_norm / (norm + 1e-6), capped at 1

def _per_seed_norm(tensors: list[torch.Tensor], dims: list[int]) -> torch.Tensor:
    """Euclidean norm over all entries of each seed's slice of every tensor: shape (S,)."""
    parts = [
        torch.linalg.vector_norm(t, dim=[i for i in range(t.dim()) if i != d])
        for t, d in zip(tensors, dims, strict=True)
    ]
    return torch.linalg.vector_norm(torch.stack(parts), dim=0)


def _per_seed(values: torch.Tensor, t: torch.Tensor, dim: int) -> torch.Tensor:
    """Reshape a per-seed vector (S,) to broadcast along axis `dim` of `t`."""
    shape = [1] * t.dim()
    shape[dim] = -1
    return values.view(shape)


def train_run(cfg: TrainConfig) -> pd.DataFrame:
    """Train every seed of `cfg.model` on its fixed batch for `cfg.steps` steps; one row per (seed, step).

    Columns: seed, step (0 = the initial weights), loss (MSE before the update), grad_norm (the seed's whole
    gradient norm before clipping), grad_norm_clipped (after clipping; = grad_norm without clipping),
    weight_norm (norm of all the seed's parameters before the update), diverged.

    Divergence: a seed diverges at the first step where its loss or gradient norm is NaN or infinite. That
    step's row has diverged=True, with non-finite metrics stored as NaN; the seed's rows stop there and its
    parameters are frozen at zero, so nothing non-finite leaks into later rows or into other seeds (each
    seed only ever touches its own slice of the stacked tensors). Nothing raises. See `divergence_steps`.
    Clipping by norm scales each seed's gradient by min(1, max_norm / (norm + 1e-6)) like
    `clip_grad_norm_`, so grad_norm_clipped <= max_norm; clipping by value clamps every entry to ±clip_value.
    Weight decay is L2: the optimizer adds weight_decay·w to the gradient (torch's SGD/Adam weight_decay).
    """
    ensure_runtime()
    model = cfg.model
    if isinstance(model, MLPConfig):
        params, x, y = build_mlp(model)

        def loss_and_grads() -> torch.Tensor:  # the hand-written pass overwrites every .grad
            return mlp_pass(model, params, x, y)[0]

    else:
        params, x, y = build_rnn(model)

        def loss_and_grads() -> torch.Tensor:  # autograd accumulates into .grad
            opt.zero_grad()
            losses = rnn_forward(model, params, x, y)
            losses.sum().backward()
            return losses.detach()

    tensors = params.tensors()
    n = model.seeds
    dims = params.seed_axes()
    opt_cls = Adam if cfg.optimizer == "adam" else SGD
    opt = opt_cls(tensors, lr=cfg.lr, weight_decay=cfg.weight_decay)
    alive = torch.ones(n, dtype=torch.bool)
    rows: list[tuple[torch.Tensor, ...]] = []
    for step in range(cfg.steps):
        losses = loss_and_grads()
        with torch.no_grad():
            grads = [t.grad for t in tensors]
            weight_norm = _per_seed_norm(tensors, dims)
            grad_norm = _per_seed_norm(grads, dims)
            finite = torch.isfinite(losses + grad_norm)  # NaN and ±inf survive the sum
            if cfg.clip == "norm":
                scale = torch.clamp(cfg.max_norm / (grad_norm + CLIP_EPS), max=1.0)
                for g, d in zip(grads, dims, strict=True):
                    g.mul_(_per_seed(scale, g, d))
            elif cfg.clip == "value":
                torch._foreach_clamp_min_(grads, -cfg.clip_value)
                torch._foreach_clamp_max_(grads, cfg.clip_value)
            clipped = _per_seed_norm(grads, dims) if cfg.clip != "none" else grad_norm
            rows.append(
                (torch.full((n,), step), alive.clone(), losses.detach(), grad_norm, clipped, weight_norm, ~finite)
            )
            alive &= finite
            if not alive.all():  # freeze diverged seeds: zero weights, zero gradients
                for t, g, d in zip(tensors, grads, dims, strict=True):
                    dead = _per_seed(~alive, t, d)
                    t.masked_fill_(dead, 0.0)
                    g.masked_fill_(dead, 0.0)
        if not alive.any():
            break
        opt.step()
    return _frame(cfg, rows)


def _frame(cfg: TrainConfig, rows: list[tuple[torch.Tensor, ...]]) -> pd.DataFrame:
    """Stack per-step tensors into the long frame, keeping each seed's rows up to its divergent step."""
    step, keep, loss, grad, clipped, weight, diverged = (
        torch.stack(col).T.reshape(-1) for col in zip(*rows, strict=True)
    )
    seeds = np.repeat(seed_values(cfg.model), len(rows))

    def finite(t: torch.Tensor) -> np.ndarray:
        a = t.double().numpy()
        return np.where(np.isfinite(a), a, math.nan)

    df = pd.DataFrame(
        {
            "seed": seeds,
            "step": step.numpy().astype(np.int64),
            "loss": finite(loss),
            "grad_norm": finite(grad),
            "grad_norm_clipped": finite(clipped),
            "weight_norm": finite(weight),
            "diverged": diverged.numpy().astype(bool),
        }
    )
    return df[keep.numpy()].reset_index(drop=True)


def divergence_steps(df: pd.DataFrame) -> dict[int, int | None]:
    """First divergent step of each seed in a `train_run` frame, or None for a seed that never diverged."""
    first = df[df["diverged"]].groupby("seed")["step"].min()
    return {int(s): (int(first[s]) if s in first.index else None) for s in df["seed"].unique()}
