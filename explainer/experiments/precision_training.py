"""Mixed-precision training of every format and loss scaling side by side, with GradScaler's dynamic scale.

Each step runs precision.amp_pass for all runs (formats x seeds on one axis), then, per run: a stored gradient with
inf/NaN skips the optimizer step (as GradScaler.step does); the dynamic runs update their scale exactly as
torch.amp.GradScaler.update: halve (backoff 0.5) on inf/NaN and reset the count of clean steps, double (growth 2)
after `growth_interval` clean steps in a row. The optimizer works on float32 master weights with the unscaled
gradients (run_optim: Adam or SGD, each run with its own step count, so a skipped step does not advance Adam).

What the page should show: x = step; y = scale on a log₂ axis for the dynamic runs (the saw-tooth: doubling every
growth_interval steps, halving at each overflow) with skipped steps as marks, and the loss of each mode below it;
a third small chart of zero_frac_first (share of layer 1's gradient entries lost) over steps. Summary sentence:
"Dynamic scaling skipped k of N steps and kept the scale between 2^a and 2^b; without scaling float16 lost p% of
layer 1's gradient entries at every step, and its loss ended at c against float32's d."
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import torch

from explainer.experiments.configs import PRECISION_RUNS, PrecisionTrainConfig
from explainer.experiments.precision import BACKOFF, GROWTH, MODES, amp_pass, build_runs, initial_scales
from explainer.experiments.run_optim import RunAdam, run_sgd
from explainer.experiments.runtime import ensure_runtime
from explainer.experiments.seeding import seed_values


def precision_train(cfg: PrecisionTrainConfig) -> pd.DataFrame:
    """Train every run for cfg.steps steps; one row per (dtype, scaling, seed, step).

    Columns: dtype, scaling, seed, step, loss (float32 MSE before the update), scale (the loss scale used this
    step), skipped (the stored gradient held inf/NaN, so the weights did not change), zero_frac_first (share of
    layer 1's stored weight-gradient entries that are exactly 0), zero_frac (the same over every hidden layer),
    first_layer_moved (‖W_1 - W_1 at step 0‖ / ‖W_1 at step 0‖ before this step's update: 0 for a frozen layer).
    """
    ensure_runtime()
    model = cfg.model
    p, x, y = build_runs(model)
    tensors, axes = p.tensors(), p.seed_axes()
    runs = PRECISION_RUNS * model.seeds
    lr = torch.full((runs,), cfg.lr)
    adam = RunAdam(tensors, axes) if cfg.optimizer == "adam" else None
    dynamic = torch.tensor([s == "dynamic" for _, s in MODES for _ in range(model.seeds)])
    scale = initial_scales(model)
    clean = torch.zeros(runs, dtype=torch.long)
    rows = []
    first = p.w_first.detach().clone()
    first_norm = first.flatten(1).norm(dim=1)
    sizes = torch.tensor([model.width * x.shape[-1]] + [model.width**2] * (model.depth - 1), dtype=torch.float32)
    for _ in range(cfg.steps):
        losses, stored, found_inf = amp_pass(model, p, x, y, scale)
        zero = torch.stack([(g == 0).sum((1, 2)) for g in stored]).float()  # (depth, R) zero entries
        moved = (p.w_first - first).flatten(1).norm(dim=1) / first_norm
        rows.append((losses, scale.clone(), found_inf, zero[0] / sizes[0], zero.sum(0) / sizes.sum(), moved))
        active = ~found_inf
        if adam is not None:
            adam.step(lr, active)
        else:
            run_sgd(tensors, axes, lr, active)
        clean = torch.where(found_inf, 0, clean + 1)
        grow = dynamic & (clean == cfg.growth_interval)
        scale = torch.where(dynamic & found_inf, scale * BACKOFF, torch.where(grow, scale * GROWTH, scale))
        clean = torch.where(grow, 0, clean)
    loss, used, skipped, lost_first, lost, moved = (torch.stack(col).T.reshape(-1) for col in zip(*rows, strict=True))
    steps = cfg.steps
    loss_arr = loss.double().numpy()
    return pd.DataFrame(
        {
            "dtype": np.repeat([d for d, _ in MODES], model.seeds * steps),
            "scaling": np.repeat([s for _, s in MODES], model.seeds * steps),
            "seed": np.tile(np.repeat(seed_values(model), steps), PRECISION_RUNS),
            "step": np.tile(np.arange(steps), runs),
            "loss": np.where(np.isfinite(loss_arr), loss_arr, math.nan),
            "scale": used.double().numpy(),
            "skipped": skipped.numpy(),
            "zero_frac_first": lost_first.double().numpy(),
            "zero_frac": lost.double().numpy(),
            "first_layer_moved": moved.double().numpy(),
        }
    )

