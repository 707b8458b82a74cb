"""Does it hurt learning? Deep nets on real handwritten digits: the baseline vs each remedy, accuracy over steps.

Data: scikit-learn's bundled 8x8 digits (the file `sklearn.datasets.load_digits` reads, read here without importing
scikit-learn: 1,797 images, 64 pixels 0..16, 10 classes, shipped inside the package, no download), split once into
1,437 training and 360 test images by a fixed permutation (independent of the experiment's seeds), pixels
standardised with the training set's mean and std.

Network and training: the lab's deep MLP (mlp.py's MLPParams, drawn by models.py's initialisers; hidden layers
Linear -> [BatchNorm over the batch] -> activation, skip connections from layer 2 on for "residual") with 64 inputs
and a 10-way linear readout, every seed of a variant stacked on a leading axis (one `baddbmm` per layer, autograd
for the backward), cross-entropy loss, SGD with momentum 0.9, one mini-batch of `batch_size` training images per
step and seed. Loss and accuracy (arg-max) on all 1,437 training and 360 test images every `eval_every` steps;
BatchNorm normalises with the evaluated set's own batch statistics (no running averages are kept).

What the page should show: test accuracy over steps (x = step, y = test accuracy 0-100 %, colour = variant, median
line and seed band; chance is 10 %), beside each variant's gradient profile at step 0 (`digits_profile`: x = layer,
y = grad_norm, log scale), so the vanishing profile sits next to the stalled accuracy; the page says what it trains
(depth, width, steps, images). Summary sentence: "After N steps the baseline (deep sigmoid, default init) reaches
a % test accuracy; ReLU + He b %, BatchNorm c %, residual d %. Its first layer got 10^-k of the last layer's
gradient at step 0."
"""

from __future__ import annotations

import functools
import gzip
import importlib.util
import math
from pathlib import Path

import numpy as np
import pandas as pd
import torch
import torch.nn.functional as F

from explainer.experiments.activations import RELU, SIGMOID, TANH
from explainer.experiments.configs import DigitsConfig, MLPConfig
from explainer.experiments.mlp import MLPParams, layer_grad_norms
from explainer.experiments.models import ACTIVATION_FNS, init_biases, init_weights
from explainer.experiments.optim import SGD
from explainer.experiments.runtime import ensure_runtime
from explainer.experiments.seeding import DATA_STREAM, seed_values, stream

VARIANT_FIELDS: dict[str, dict[str, object]] = {  # MLPConfig fields of each variant (configs.DIGITS_VARIANTS)
    "baseline": {"activation": SIGMOID.name, "init": "pytorch_default"},
    "relu_he": {"activation": RELU.name, "init": "he_normal"},
    "batchnorm": {"activation": SIGMOID.name, "init": "pytorch_default", "norm": "batch"},
    "residual": {"activation": SIGMOID.name, "init": "pytorch_default", "residual": True},
    "tanh_xavier": {"activation": TANH.name, "init": "xavier_normal"},
}
CLASSES, PIXELS, TEST_SIZE, SPLIT_SEED = 10, 64, 360, 0
MOMENTUM = 0.9
BN_EPS = 1e-5


def digits_table() -> tuple[np.ndarray, np.ndarray]:
    """(pixels (1797, 64) float64, labels (1797,) int): what `sklearn.datasets.load_digits` returns, read from the
    CSV file scikit-learn ships, without importing scikit-learn (its import loads SciPy: ~70 MB in each worker)."""
    spec = importlib.util.find_spec("sklearn")
    roots = spec.submodule_search_locations if spec else None
    if not roots:
        raise ModuleNotFoundError("the digits lab needs scikit-learn's bundled digits data: pip install scikit-learn")
    with gzip.open(Path(roots[0], "datasets", "data", "digits.csv.gz"), "rt", encoding="utf-8") as f:
        data = np.loadtxt(f, delimiter=",")
    return data[:, :-1], data[:, -1].astype(int)


@functools.cache
def digits_split() -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """(x_train, y_train, x_test, y_test): standardised pixels (float32) and integer labels; loaded once per process."""
    pixels, labels = digits_table()
    order = np.random.default_rng(SPLIT_SEED).permutation(len(labels))
    test, train = order[:TEST_SIZE], order[TEST_SIZE:]
    x = pixels.astype(np.float32)
    mean, std = x[train].mean(0), x[train].std(0)
    x = (x - mean) / np.where(std > 0, std, 1.0)  # a few border pixels are always 0
    y = labels.astype(np.int64)
    return tuple(torch.from_numpy(np.ascontiguousarray(a)) for a in (x[train], y[train], x[test], y[test]))


def variant_config(cfg: DigitsConfig, variant: str) -> MLPConfig:
    """The MLPConfig that `mlp_pass` reads for one variant (depth, activation, norm, residual)."""
    return MLPConfig(
        depth=cfg.depth, width=cfg.width, batch_size=cfg.batch_size, seeds=cfg.seeds, seed=cfg.seed,
        **VARIANT_FIELDS[variant],
    )


def build(cfg: MLPConfig) -> MLPParams:
    """Parameters of every seed for 64 inputs and 10 outputs, drawn by the lab's initialisers (models.py)."""
    seeds, width = seed_values(cfg), cfg.width
    shapes = [(1, width, PIXELS), (cfg.depth - 1, width, width), (1, CLASSES, width)]
    w1, wh, wo = init_weights(shapes, seeds, cfg.init, cfg.init_scale, cfg.activation)
    b1, bh, bo = init_biases(shapes, seeds, cfg.init)
    bn = cfg.norm == "batch"
    p = MLPParams(
        w_first=w1[0], w_hidden=wh, b_hidden=torch.cat([b1, bh]), w_out=wo[0], b_out=bo[0],
        gamma=torch.ones(cfg.depth, len(seeds), width) if bn else None,
        beta=torch.zeros(cfg.depth, len(seeds), width) if bn else None,
    )
    for t in p.tensors():
        t.requires_grad_()
    return p


def batches(cfg: DigitsConfig, n_train: int) -> torch.Tensor:
    """Training-image indices (steps, S, batch): each seed's own stream, sampled without replacement per step."""
    out = np.empty((cfg.steps, cfg.seeds, cfg.batch_size), dtype=np.int64)
    for i, seed in enumerate(seed_values(cfg)):
        rng = stream(seed, DATA_STREAM).uniform
        for step in range(cfg.steps):
            out[step, i] = rng.choice(n_train, cfg.batch_size, replace=False)
    return torch.from_numpy(out)


def forward(cfg: MLPConfig, p: MLPParams, x: torch.Tensor) -> torch.Tensor:
    """Logits (S, N, 10) of every seed's net on inputs x (S, N, 64) (or (N, 64), shared by all seeds)."""
    h = x if x.dim() == 3 else x.expand(p.w_first.shape[0], *x.shape)
    fn = ACTIVATION_FNS[cfg.activation]
    for layer, w in enumerate((p.w_first, *p.w_hidden.unbind(0))):
        z = torch.baddbmm(p.b_hidden[layer].unsqueeze(1), h, w.transpose(1, 2))
        if p.gamma is not None:  # per seed, over the batch: BatchNorm1d in training mode, one channel per (seed, unit)
            s, n, w = z.shape
            flat = z.transpose(0, 1).reshape(n, s * w)
            gamma, beta = p.gamma[layer].reshape(s * w), p.beta[layer].reshape(s * w)
            z = F.batch_norm(flat, None, None, gamma, beta, training=True, eps=BN_EPS).view(n, s, w).transpose(0, 1)
        a = fn(z)
        h = h + a if cfg.residual and layer > 0 else a
    return torch.baddbmm(p.b_out.unsqueeze(1), h, p.w_out.transpose(1, 2))


def seed_losses(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Mean cross-entropy per seed (S,) of logits (S, N, 10) against labels y (S, N) or (N,)."""
    s, n, c = logits.shape
    labels = y.expand(s, n) if y.dim() == 1 else y
    return F.cross_entropy(logits.reshape(s * n, c), labels.reshape(s * n), reduction="none").view(s, n).mean(1)


def backward(cfg: MLPConfig, p: MLPParams, x: torch.Tensor, y: torch.Tensor) -> None:
    """Fresh `.grad` of every parameter: each seed's gradient of its own mean loss on its batch."""
    for t in p.tensors():
        t.grad = None
    seed_losses(forward(cfg, p, x), y).sum().backward()  # seeds are independent: the sum separates them


@torch.no_grad()
def evaluate(cfg: MLPConfig, p: MLPParams, x: torch.Tensor, y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Per-seed (loss, accuracy) on a whole set x (N, 64), y (N,)."""
    logits = forward(cfg, p, x)
    return seed_losses(logits, y), (logits.argmax(-1) == y).float().mean(1)


def digits_profile(cfg: DigitsConfig) -> pd.DataFrame:
    """Gradient profile of every variant at step 0 (the first training batch); one row per (variant, seed, layer).

    Columns: variant, seed, layer (1 = nearest the pixels), grad_norm (Frobenius norm of dL/dW_layer), as in
    `gradient_profile`, so `summarize_profile` applies per variant.
    """
    ensure_runtime()
    x_train, y_train, _, _ = digits_split()
    idx = batches(cfg.model_copy(update={"steps": 1}), len(x_train))[0]
    frames = []
    for variant in cfg.variants:
        mlp = variant_config(cfg, variant)
        p = build(mlp)
        backward(mlp, p, x_train[idx], y_train[idx])
        norms = layer_grad_norms(p)
        frames.append(pd.DataFrame({
            "variant": variant,
            "seed": np.repeat(seed_values(cfg), cfg.depth),
            "layer": np.tile(np.arange(1, cfg.depth + 1), cfg.seeds),
            "grad_norm": norms.T.reshape(-1).double().numpy(),
        }))
    return pd.concat(frames, ignore_index=True)


def digits_train(cfg: DigitsConfig) -> pd.DataFrame:
    """Train every variant x seed; one row per (variant, seed, step, split) at each evaluation.

    Columns: variant, seed, step (0 = the initial weights; then every eval_every steps and the last), split ("train":
    all 1,437 training images, "test": the 360 held-out ones), loss (mean cross-entropy; NaN once a run diverged),
    accuracy. Seed s gives the same rows alone or beside other seeds.
    """
    ensure_runtime()
    x_train, y_train, x_test, y_test = digits_split()
    idx = batches(cfg, len(x_train))
    checkpoints = sorted({0, *range(cfg.eval_every, cfg.steps, cfg.eval_every), cfg.steps})
    rows = []
    for variant in cfg.variants:
        mlp = variant_config(cfg, variant)
        p = build(mlp)
        opt = SGD(p.tensors(), lr=cfg.lr, momentum=MOMENTUM)
        for step in range(cfg.steps + 1):
            if step in checkpoints:
                for split, (x, y) in (("train", (x_train, y_train)), ("test", (x_test, y_test))):
                    loss, acc = evaluate(mlp, p, x, y)
                    rows.append((variant, step, split, loss.double().numpy(), acc.double().numpy()))
            if step == cfg.steps:
                break
            backward(mlp, p, x_train[idx[step]], y_train[idx[step]])
            opt.step()
    seeds = seed_values(cfg)
    frame = pd.DataFrame(
        [(v, s, step, split, loss[i], acc[i]) for v, step, split, loss, acc in rows for i, s in enumerate(seeds)],
        columns=["variant", "seed", "step", "split", "loss", "accuracy"],
    )
    frame["loss"] = frame["loss"].where(np.isfinite(frame["loss"]), math.nan)
    return frame.sort_values(["variant", "seed", "step", "split"], key=_variant_order).reset_index(drop=True)


def _variant_order(col: pd.Series) -> pd.Series:
    """Sort key: variants in VARIANT_FIELDS order, other columns as they are."""
    return col.map(list(VARIANT_FIELDS).index) if col.name == "variant" else col
