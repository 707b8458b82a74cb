"""Mixed precision: which gradient entries float16 flushes to zero in a deep net, and how loss scaling saves them.

Simulated, not run in half precision: CPU float16 kernels are slow and partly missing, so every pass computes in
float32 and rounds to float16 (or bfloat16) each tensor that real autocast training would store in that format:
the weights' half copies, every layer's output and activation, the scaled output gradient, each backpropagated
error, and each weight and bias gradient (the output of a half-precision matmul). A float32 product of two float16
numbers is exact, so rounding it once is what a float16 multiply returns; a float16 matmul accumulates in float32
and rounds its result, as here. The loss and the master weights stay float32, as under autocast + GradScaler.

Runs, stacked on one leading axis (mode-major, then seed; each seed's runs start from the same weights and data):
float32 (reference), float16 without scaling, float16 x `fixed_scale`, float16 with GradScaler's dynamic policy
(start at `init_scale`; on any inf/NaN gradient skip the step and halve; after `growth_interval` clean steps
double), and bfloat16 without scaling (8 exponent bits like float32: no underflow at these sizes, fewer mantissa
bits). Any run whose stored gradient holds inf/NaN skips that step, as GradScaler.step does.

What the page should show: (1) lost share per layer at initialization, x = layer, y = zero_frac (0-100 %), one line
per mode, median and seed band: float16 without scaling loses whole early layers, loss scaling brings them back,
bfloat16 loses none; (2) over training, x = step, y = scale (log₂), with skipped steps marked, beside the loss of
each mode. Say on the page that the half-precision storage is simulated by rounding float32 tensors.
Summary sentence: "Stored in float16 without loss scaling, a% of layer 1's gradient entries are exactly zero
(layers 1..k lose more than half); with dynamic scaling (2^16) b%; bfloat16 c%."
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import torch

from explainer.experiments.activations import ACTIVATIONS
from explainer.experiments.configs import PRECISION_RUNS, MLPConfig, PrecisionConfig
from explainer.experiments.mlp import MLPParams, build_mlp
from explainer.experiments.models import ACTIVATION_FNS, activation_backward
from explainer.experiments.runtime import ensure_runtime
from explainer.experiments.seeding import seed_values

MODES = (("float32", "none"), ("float16", "none"), ("float16", "fixed"), ("float16", "dynamic"), ("bfloat16", "none"))
assert len(MODES) == PRECISION_RUNS
SMALLEST_NORMAL = {"float32": 2.0**-126, "float16": 2.0**-14, "bfloat16": 2.0**-126}  # below: subnormal
BACKOFF, GROWTH = 0.5, 2.0  # GradScaler's backoff_factor and growth_factor


def initial_scales(cfg: PrecisionConfig) -> torch.Tensor:
    """The loss scale of every run at step 0 (mode-major): 1 without scaling, fixed_scale, init_scale."""
    per_mode = {"none": 1.0, "fixed": cfg.fixed_scale, "dynamic": cfg.init_scale}
    return torch.tensor([per_mode[scaling] for _, scaling in MODES for _ in range(cfg.seeds)])


def build_runs(cfg: PrecisionConfig) -> tuple[MLPParams, torch.Tensor, torch.Tensor]:
    """Parameters and batch of every run: the seeds' MLP (mlp.py's initialisers) repeated once per mode."""
    mlp = MLPConfig(
        depth=cfg.depth, width=cfg.width, batch_size=cfg.batch_size, seeds=cfg.seeds, seed=cfg.seed,
        activation=cfg.activation, init=cfg.init,
    )
    p, x, y = build_mlp(mlp)
    pairs = zip(p.tensors(), p.seed_axes(), strict=True)
    reps = [torch.cat([t.detach()] * PRECISION_RUNS, dim=axis) for t, axis in pairs]
    for t in reps:
        t.requires_grad_(False)
        t.grad = torch.zeros_like(t)
    runs = MLPParams(*reps[:5], gamma=None, beta=None)
    return runs, torch.cat([x] * PRECISION_RUNS), torch.cat([y] * PRECISION_RUNS)


def rounder(seeds: int) -> Callable[[torch.Tensor], torch.Tensor]:
    """Round, in place, the float16 and bfloat16 runs' slices (leading run axis) of a float32 tensor."""
    spans = {}
    for i, (dtype, _) in enumerate(MODES):
        if dtype != "float32":
            lo, hi = spans.get(dtype, (i * seeds, i * seeds))
            spans[dtype] = (lo, (i + 1) * seeds)
    dtypes = {"float16": torch.float16, "bfloat16": torch.bfloat16}

    def rnd(t: torch.Tensor) -> torch.Tensor:
        for name, (lo, hi) in spans.items():
            t[lo:hi].copy_(t[lo:hi].to(dtypes[name]))
        return t

    return rnd


@torch.no_grad()
def amp_pass(
    cfg: PrecisionConfig, p: MLPParams, x: torch.Tensor, y: torch.Tensor, scale: torch.Tensor
) -> tuple[torch.Tensor, list[torch.Tensor], torch.Tensor]:
    """Forward and scaled backward of every run with half-precision storage.

    Writes the unscaled float32 gradients (stored gradient / scale) into `.grad` and returns the per-run losses
    (R,), the stored (scaled, rounded) weight gradients of layers 1..depth, each (R, out, in), and found_inf (R,).
    """
    rnd, act = rounder(cfg.seeds), cfg.activation
    r, b = x.shape[:2]
    weights = [rnd(w.clone()) for w in (p.w_first, *p.w_hidden.unbind(0))]
    w_out = rnd(p.w_out.clone())
    h, acts, pre = rnd(x.clone()), [], []
    for layer, w in enumerate(weights):
        z = rnd(torch.baddbmm(p.b_hidden[layer].unsqueeze(1), h, w.transpose(1, 2)))
        h = rnd(ACTIVATION_FNS[act](z))
        acts.append(h)
        pre.append(z if ACTIVATIONS[act].needs_input else None)  # GELU's derivative reads z, not f(z)
    resid = rnd(torch.baddbmm(p.b_out.unsqueeze(1), h, w_out.transpose(1, 2))).sub_(y)
    losses = resid.square().mean(dim=(1, 2))
    g_out = rnd(resid.mul_(scale.view(r, 1, 1) * (2.0 / b)))
    stored_out = rnd(torch.bmm(g_out.transpose(1, 2), h))
    stored_b_out = rnd(g_out.sum(1))
    delta = rnd(torch.bmm(g_out, w_out))
    stored_w, stored_b = [], []
    for layer in range(cfg.depth - 1, -1, -1):
        dz = rnd(activation_backward(act, delta, acts[layer], pre[layer]))
        h_prev = rnd(x.clone()) if layer == 0 else acts[layer - 1]
        stored_w.append(rnd(torch.bmm(dz.transpose(1, 2), h_prev)))
        stored_b.append(rnd(dz.sum(1)))
        if layer > 0:
            delta = rnd(torch.bmm(dz, weights[layer]))
    stored_w.reverse()
    stored_b.reverse()
    every = (*stored_w, *stored_b, stored_out, stored_b_out)
    finite = torch.stack([torch.isfinite(g).flatten(1).all(1) for g in every])
    inv = (1.0 / scale).view(r, 1, 1)
    p.w_first.grad.copy_(stored_w[0] * inv)
    p.w_hidden.grad.copy_(torch.stack(stored_w[1:]) * inv)
    p.b_hidden.grad.copy_(torch.stack(stored_b) * inv.view(r, 1))
    p.w_out.grad.copy_(stored_out * inv)
    p.b_out.grad.copy_(stored_b_out * inv.view(r, 1))
    return losses, stored_w, ~finite.all(0)


def layer_shares(cfg: PrecisionConfig, stored: list[torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor]:
    """Per (layer, run): share of stored weight-gradient entries that are exactly zero, and share that are subnormal."""
    smallest = torch.tensor([SMALLEST_NORMAL[dtype] for dtype, _ in MODES for _ in range(cfg.seeds)]).view(-1, 1, 1)
    zero = torch.stack([(g == 0).sum((1, 2)) for g in stored]).float()
    small = torch.stack([(g.abs() < smallest).sum((1, 2)) for g in stored]).float()
    size = stored[0][0].numel(), stored[-1][0].numel()
    sizes = torch.tensor([size[0]] + [size[1]] * (len(stored) - 1), dtype=torch.float32).view(-1, 1)
    return zero / sizes, (small - zero) / sizes


def settle_dynamic(cfg: PrecisionConfig, p: MLPParams, x, y) -> tuple[torch.Tensor, list, torch.Tensor]:
    """A pass at the step-0 scales; dynamic runs that overflow halve and retry, as GradScaler's skipped steps do."""
    scale = initial_scales(cfg)
    dynamic = torch.tensor([s == "dynamic" for _, s in MODES for _ in range(cfg.seeds)])
    for _ in range(64):
        losses, stored, found_inf = amp_pass(cfg, p, x, y, scale)
        retry = found_inf & dynamic
        if not retry.any():
            break
        scale = torch.where(retry, scale * BACKOFF, scale)
    return scale, stored, found_inf


def precision_profile(cfg: PrecisionConfig) -> pd.DataFrame:
    """One pass at initialization; one row per (dtype, scaling, seed, layer).

    Columns: dtype, scaling, seed, layer (1 = nearest the input), scale (the loss scale used; dynamic runs start at
    init_scale and halve while the stored gradient overflows), zero_frac (share of the layer's stored weight-gradient
    entries that are exactly 0), subnormal_frac (share that are subnormal in their format: nonzero but below
    2^-14 in float16, so stored with fewer significant bits), grad_norm (norm of the unscaled stored gradient; the
    float32 rows are the reference).
    """
    ensure_runtime()
    p, x, y = build_runs(cfg)
    scale, stored, _ = settle_dynamic(cfg, p, x, y)
    zero, sub = layer_shares(cfg, stored)
    with torch.no_grad():
        first = p.w_first.grad.flatten(1).norm(dim=1).unsqueeze(0)
        norms = torch.cat([first, p.w_hidden.grad.flatten(2).norm(dim=2)])
    runs, depth = PRECISION_RUNS * cfg.seeds, cfg.depth
    return pd.DataFrame(
        {
            "dtype": np.repeat([d for d, _ in MODES], cfg.seeds * depth),
            "scaling": np.repeat([s for _, s in MODES], cfg.seeds * depth),
            "seed": np.tile(np.repeat(seed_values(cfg), depth), PRECISION_RUNS),
            "layer": np.tile(np.arange(1, depth + 1), runs),
            "scale": np.repeat(scale.double().numpy(), depth),
            "zero_frac": zero.T.reshape(-1).double().numpy(),
            "subnormal_frac": sub.T.reshape(-1).double().numpy(),
            "grad_norm": norms.T.reshape(-1).double().numpy(),
        }
    )


def mode_label(dtype: str, scaling: str) -> str:
    """A legend label: "float16, dynamic scaling", "bfloat16", "float32"."""
    if dtype != "float16":
        return dtype
    return f"{dtype}, {'no' if scaling == 'none' else scaling} scaling"

