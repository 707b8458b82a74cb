"""The numbers behind the Learn-page figures: pure numpy simulations returning tidy DataFrames."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from explainer.experiments.activations import ACTIVATIONS as SPECS
from explainer.experiments.activations import NAMES, SIGMOID

ACTIVATIONS: tuple[str, ...] = NAMES  # = the engine's and the lab's names


def activation(name: str, x) -> tuple[np.ndarray, np.ndarray]:
    """(f(x), f'(x)) for one activation, from its record; derivatives at kinks follow PyTorch (ReLU'(0) = 0)."""
    spec = SPECS.get(name)
    if spec is None:
        raise ValueError(f"unknown activation {name!r}; choose from {', '.join(ACTIVATIONS)}")
    x = np.asarray(x, dtype=float)
    return spec.f(x), spec.df(x)


def activation_curves_frame(names: list[str], lo: float = -6.0, hi: float = 6.0, n: int = 241) -> pd.DataFrame:
    """Long-form curves: columns x, value, function (display label), kind in {"f", "f'"}."""
    if not names:
        raise ValueError("choose at least one activation")
    x = np.linspace(lo, hi, n)
    frames = []
    for name in names:
        f, df = activation(name, x)
        label = SPECS[name].label
        frames.append(pd.DataFrame({"x": x, "value": f, "function": label, "kind": "f"}))
        frames.append(pd.DataFrame({"x": x, "value": df, "function": label, "kind": "f'"}))
    return pd.concat(frames, ignore_index=True)


def geometric_products_frame(factors: dict[str, float], steps: int = 50) -> pd.DataFrame:
    """factor**k for k = 0..steps: the size of a product of k identical per-layer (or per-step) factors."""
    k = np.arange(steps + 1)
    return pd.concat(
        [pd.DataFrame({"steps": k, "product": float(f) ** k, "factor": label}) for label, f in factors.items()],
        ignore_index=True,
    )


def variance_propagation_frame(
    gains: tuple[float, ...] = (1.0, 2.0, 3.0), depth: int = 30, width: int = 256, batch: int = 256, seed: int = 0
) -> pd.DataFrame:
    """Std of pre-activations per layer of a ReLU MLP with Var[w] = c / n_in (He et al. 2015 is c = 2)."""
    rng = np.random.default_rng(seed)
    rows = []
    for c in gains:
        h = rng.standard_normal((batch, width))
        for layer in range(1, depth + 1):
            w = rng.standard_normal((width, width)) * math.sqrt(c / width)
            z = h @ w.T
            rows.append({"layer": layer, "std": float(z.std()), "init": f"Var[w] = {c:g}/n_in"})
            h = np.maximum(z, 0.0)
    return pd.DataFrame(rows)


def _orthogonal(rng: np.random.Generator, n: int) -> np.ndarray:
    q, r = np.linalg.qr(rng.standard_normal((n, n)))
    return q * np.sign(np.diag(r))


def matrix_product_frame(
    scales: tuple[float, ...] = (0.9, 1.0, 1.1), depth: int = 100, n: int = 64, seeds: int = 5
) -> pd.DataFrame:
    """‖W_k ⋯ W_1 v‖ for a unit vector v, W entries N(0, s²/n) and orthogonal W; median over seeds."""
    rows = []
    kinds = [(f"Gaussian, std {s:g}/√n", s) for s in scales] + [("orthogonal", None)]
    for label, s in kinds:
        norms = np.empty((seeds, depth + 1))
        for seed in range(seeds):
            rng = np.random.default_rng(seed)
            v = rng.standard_normal(n)
            v /= np.linalg.norm(v)
            norms[seed, 0] = 1.0
            for k in range(1, depth + 1):
                w = _orthogonal(rng, n) if s is None else rng.standard_normal((n, n)) * s / math.sqrt(n)
                v = w @ v
                norms[seed, k] = np.linalg.norm(v)
        med = np.median(norms, axis=0)
        rows.append(pd.DataFrame({"matrices": np.arange(depth + 1), "norm": med, "weights": label}))
    return pd.concat(rows, ignore_index=True)


def residual_gradient_frame(depth: int = 50, n: int = 128, seed: int = 0) -> pd.DataFrame:
    """Backpropagated gradient norm vs layers travelled: plain vs residual ReLU stacks (mask model of ReLU')."""
    rng = np.random.default_rng(seed)
    configs = {
        "plain, Var[w] = 1/n": ("plain", 1.0, 1.0),
        "plain, He Var[w] = 2/n": ("plain", 2.0, 1.0),
        "residual, branch × 1": ("residual", 2.0, 1.0),
        "residual, branch × 1/√L": ("residual", 2.0, 1.0 / math.sqrt(depth)),
    }
    frames = []
    for label, (kind, c, alpha) in configs.items():
        g = rng.standard_normal(n)
        g /= np.linalg.norm(g)
        norms = [1.0]
        for _ in range(depth):
            w = rng.standard_normal((n, n)) * math.sqrt(c / n)
            mask = (rng.random(n) < 0.5).astype(float)  # ReLU' is 1 on about half the units
            step = w.T @ (mask * g)
            g = g + alpha * step if kind == "residual" else step
            norms.append(float(np.linalg.norm(g)))
        frames.append(pd.DataFrame({"layers": np.arange(depth + 1), "norm": norms, "network": label}))
    return pd.concat(frames, ignore_index=True)


def clipping_geometry(g: tuple[float, float] = (3.0, 1.2), c: float = 1.0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(circle of radius c, vectors) for clip-by-norm vs clip-by-value of a 2-D gradient g."""
    t = np.linspace(0.0, 2.0 * math.pi, 181)
    circle = pd.DataFrame({"x": c * np.cos(t), "y": c * np.sin(t), "order": np.arange(t.size)})
    gv = np.asarray(g, dtype=float)
    norm = float(np.linalg.norm(gv))
    by_norm = gv * (c / norm) if norm > c else gv
    by_value = np.clip(gv, -c, c)
    vectors = pd.DataFrame(
        {
            "vector": [f"gradient g (‖g‖ = {norm:.2f})", "clip by norm: g·c/‖g‖", "clip by value: clamp to [−c, c]"],
            "x": [gv[0], by_norm[0], by_value[0]],
            "y": [gv[1], by_norm[1], by_value[1]],
        }
    )
    vectors["x0"] = 0.0
    vectors["y0"] = 0.0
    vectors["angle_deg"] = np.degrees(np.arctan2(vectors["y"], vectors["x"])).round(1)
    vectors["length"] = np.hypot(vectors["x"], vectors["y"]).round(3)
    return circle, vectors


def batchnorm_saturation_frame(mean: float = 3.0, std: float = 2.0, n: int = 4000, seed: int = 0) -> pd.DataFrame:
    """Histogram (scaled to peak 0.25) of sigmoid inputs before/after batch normalization, plus σ'(z)."""
    rng = np.random.default_rng(seed)
    z = rng.normal(mean, std, n)
    z_hat = (z - z.mean()) / np.sqrt(z.var() + 1e-5)
    edges = np.linspace(-8, 10, 73)
    centers = 0.5 * (edges[:-1] + edges[1:])
    frames = []
    for label, data in ((f"before BN: N({mean:g}, {std:g}²)", z), ("after BN: mean 0, std 1", z_hat)):
        counts, _ = np.histogram(data, bins=edges)
        frames.append(pd.DataFrame({"z": centers, "value": 0.25 * counts / counts.max(), "series": label}))
    grid = np.linspace(-8, 10, 181)
    frames.append(pd.DataFrame({"z": grid, "value": SIGMOID.df(grid), "series": "σ′(z)"}))
    return pd.concat(frames, ignore_index=True)


def mean_sigmoid_slope(mean: float = 3.0, std: float = 2.0, n: int = 4000, seed: int = 0) -> tuple[float, float]:
    """Average σ'(z) over a batch before and after normalizing it (same sample as the figure)."""
    rng = np.random.default_rng(seed)
    z = rng.normal(mean, std, n)
    z_hat = (z - z.mean()) / np.sqrt(z.var() + 1e-5)
    return float(SIGMOID.df(z).mean()), float(SIGMOID.df(z_hat).mean())
