"""Diagnose any nn.Module: per-parameter gradient norms and per-module activation statistics, as a tidy frame.

    from explainer.experiments import profile_model, summarize_profile
    df = profile_model(lambda: MyNet(), (x, y), nn.CrossEntropyLoss(), seeds=8)  # rebuilt under seeds 0..7
    summarize_profile(df).verdict   # "vanishing" | "healthy" | "exploding"

The frame has `gradient_profile`'s columns, so `summarize_profile` and the lab's band chart apply unchanged.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence

import pandas as pd
import torch
import torch.nn.functional as F
from torch import nn

from explainer.experiments.model_hooks import Watcher, first_tensor, profile_rows

PARAMS = ("weights", "all")  # "weights": tensors with 2+ dims (Linear, Conv, attention, embeddings), as plot_grad_flow
COLUMNS = ["seed", "layer", "name", "module", "grad_norm", "act_mean", "act_std", "saturated_frac"]


def profiled(model: nn.Module, params: str) -> tuple[list[tuple[str, nn.Parameter]], list[str]]:
    """(trainable parameters to profile, names of frozen ones), in registration order."""
    if params not in PARAMS:
        raise ValueError(f"params must be one of {PARAMS}, got {params!r}")
    chosen, frozen = [], []
    for name, p in model.named_parameters():
        if params == "weights" and p.dim() < 2:
            continue
        if p.requires_grad:
            chosen.append((name, p))
        else:
            frozen.append(name)
    return chosen, frozen


@contextlib.contextmanager
def preserved(model: nn.Module, train: bool) -> Iterator[None]:
    """Run the body in train (or eval) mode, then put back every module's mode, every `.grad` and every buffer.

    Buffers matter: a forward in train mode moves BatchNorm's running statistics.
    """
    modes = [(m, m.training) for m in model.modules()]
    grads = [(p, p.grad) for p in model.parameters()]
    buffers = [
        (m, key, b, b.detach().clone()) for m in model.modules() for key, b in m._buffers.items() if b is not None
    ]
    try:
        model.train(train)
        yield
    finally:
        with torch.no_grad():
            for m, key, b, saved in buffers:
                b.copy_(saved)
                m._buffers[key] = b
        for p, g in grads:
            p.grad = g
        for m, mode in modes:
            m.training = mode


def _call(model: nn.Module, x):
    """model(x), model(*x) for a tuple of inputs, model(**x) for a dict."""
    if isinstance(x, dict):
        return model(**x)
    if isinstance(x, tuple):
        return model(*x)
    return model(x)


def batch_loss(model: nn.Module, batch, loss_fn: Callable | None) -> torch.Tensor:
    """Forward `batch` (x, or a pair (x, y)) and the scalar loss: loss_fn(out, y), loss_fn(out), or by default
    the mean squared error to y, or without y to a N(0, 1) target drawn from the seed's generator (a generic
    probe: unlike the mean of squared outputs it still has a gradient after a final LayerNorm)."""
    x, y = batch if isinstance(batch, tuple | list) and len(batch) == 2 else (batch, None)
    out = _call(model, x)
    if loss_fn is not None:
        return loss_fn(out) if y is None else loss_fn(out, y)
    out = first_tensor(out)
    return F.mse_loss(out, torch.randn_like(out) if y is None else y)


def _one_pass(model: nn.Module, batch, loss_fn, params: str, train: bool, seed: int) -> tuple[list[dict], dict]:
    """Rows of one forward/backward pass, and the names of frozen and unused parameters."""
    chosen, frozen = profiled(model, params)
    if not chosen:
        raise ValueError(f"no trainable parameter to profile (params={params!r}; frozen: {frozen})")
    watcher = Watcher(model)
    try:
        with preserved(model, train), torch.enable_grad():
            for p in model.parameters():
                p.grad = None
            loss = batch_loss(model, batch, loss_fn)
            if not isinstance(loss, torch.Tensor) or loss.numel() != 1:
                raise ValueError(f"loss_fn must return a scalar tensor, got {type(loss).__name__}")
            watcher.recording = False  # no further statistics from a model called inside a backward hook
            loss.backward()
            grads = {n: float(p.grad.norm()) for n, p in chosen if p.grad is not None}
    finally:
        watcher.close()
    unused = [n for n, _ in chosen if n not in grads]
    rows = [{"seed": seed, **row} for row in profile_rows(watcher, [n for n, _ in chosen], grads)]
    return rows, {"frozen": frozen, "unused": unused}


def profile_model(
    model: nn.Module | Callable[[], nn.Module],
    batch,
    loss_fn: Callable | None = None,
    *,
    seeds: int | Sequence[int] = 1,
    params: str = "weights",
    train: bool = True,
) -> pd.DataFrame:
    """One forward/backward pass per seed; one row per (seed, parameter tensor), in the order the model runs.

    model: a module (profiled as it is; the seed drives dropout and a callable batch), or a callable
        returning a fresh module, called under `torch.manual_seed(seed)` so each seed is a new initialisation:
        the band over seeds is then the band over inits, as in the lab.
    batch: x, or (x, y) with y passed to loss_fn(out, y); x may be a tuple (model(*x)) or a dict (model(**x)).
        A callable seed -> batch draws a batch per seed (the band over batches).
    loss_fn: loss_fn(out, y) or loss_fn(out); default: MSE to y, or to a random N(0, 1) target without y.
    seeds: a count (seeds 0..n-1) or the seed values. params: "weights" (2+ dims) or "all" (biases, norms too).
    train: the mode of the pass (True: dropout on, BatchNorm over the batch); the model's modes come back after.

    Columns: seed, layer (1 = first to run), name (parameter), module (whose outputs the act_* columns
    describe: the activation module that follows the parameter's module, else that module itself), grad_norm
    (= p.grad.norm() after loss.backward()), act_mean, act_std (population), saturated_frac (share of units
    with |f'(z)| < 10 % of its peak: saturated sigmoid/tanh, dead ReLU; NaN where no activation module follows).
    Frozen (requires_grad=False) and unused parameters get no row; their names are in `df.attrs`.
    Nothing is left on the model: hooks are removed, `.grad`, buffers and train/eval modes restored, even on
    error; the global RNG state is restored too.
    """
    seed_list = list(range(seeds)) if isinstance(seeds, int) else [int(s) for s in seeds]
    if not seed_list:
        raise ValueError("seeds must name at least one seed")
    rows: list[dict] = []
    info: dict = {}
    for seed in seed_list:
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed)
            net = model if isinstance(model, nn.Module) else model()
            data = batch(seed) if callable(batch) and not isinstance(batch, torch.Tensor) else batch
            seed_rows, info = _one_pass(net, data, loss_fn, params, train, seed)
        rows += seed_rows
    df = pd.DataFrame(rows, columns=COLUMNS)
    df.attrs.update(info)
    return df
