"""Inline figures for the Learn pages: pure numpy/pandas -> alt.Chart (no torch, no streamlit)."""

from __future__ import annotations

import math

import altair as alt
import numpy as np
import pandas as pd

LEAKY_SLOPE = 0.01  # torch.nn.LeakyReLU default negative_slope
ELU_ALPHA = 1.0  # torch.nn.ELU default alpha
_ERF = np.vectorize(math.erf, otypes=[float])


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _gelu(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Exact GELU x·Φ(x) and its derivative Φ(x) + x·φ(x) (Hendrycks & Gimpel 2016)."""
    cdf = 0.5 * (1.0 + _ERF(x / math.sqrt(2.0)))
    pdf = np.exp(-0.5 * x**2) / math.sqrt(2.0 * math.pi)
    return x * cdf, cdf + x * pdf


def _pair(name: str, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(f(x), f'(x)) for one activation; derivatives at kinks follow PyTorch (ReLU'(0) = 0)."""
    if name == "sigmoid":
        s = _sigmoid(x)
        return s, s * (1.0 - s)
    if name == "tanh":
        t = np.tanh(x)
        return t, 1.0 - t**2
    if name == "relu":
        return np.maximum(x, 0.0), (x > 0).astype(float)
    if name == "leaky_relu":
        return np.where(x > 0, x, LEAKY_SLOPE * x), np.where(x > 0, 1.0, LEAKY_SLOPE)
    if name == "elu":
        neg = ELU_ALPHA * np.expm1(np.minimum(x, 0.0))
        return np.where(x > 0, x, neg), np.where(x > 0, 1.0, neg + ELU_ALPHA)
    if name == "gelu":
        return _gelu(x)
    if name == "identity":
        return x.copy(), np.ones_like(x)
    raise ValueError(f"unknown activation {name!r}; choose from {', '.join(ACTIVATIONS)}")


ACTIVATIONS: tuple[str, ...] = ("sigmoid", "tanh", "relu", "leaky_relu", "elu", "gelu", "identity")
LABELS: dict[str, str] = {
    "sigmoid": "sigmoid", "tanh": "tanh", "relu": "ReLU", "leaky_relu": "Leaky ReLU",
    "elu": "ELU", "gelu": "GELU", "identity": "identity",
}


def activation(name: str, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Public: activation value and derivative as numpy arrays (used by tests and other figures)."""
    return _pair(name, np.asarray(x, dtype=float))


def activation_curves_frame(names: list[str], lo: float = -6.0, hi: float = 6.0, n: int = 241) -> pd.DataFrame:
    """Long-form curves: columns x, value, function (display label), kind in {"f", "f'"}."""
    if not names:
        raise ValueError("choose at least one activation")
    x = np.linspace(lo, hi, n)
    frames = []
    for name in names:
        f, df = _pair(name, x)
        label = LABELS.get(name, name)
        frames.append(pd.DataFrame({"x": x, "value": f, "function": label, "kind": "f"}))
        frames.append(pd.DataFrame({"x": x, "value": df, "function": label, "kind": "f'"}))
    return pd.concat(frames, ignore_index=True)


def activation_curves_chart(
    names: list[str], height: int = 300, y_domain: tuple[float, float] = (-1.25, 2.0)
) -> alt.Chart:
    """Activations (solid) and their derivatives (dashed) over x in [-6, 6], one colour per function.

    The y axis is clipped to `y_domain` so a derivative of 0.25 stays visible next to ReLU's ramp.
    """
    data = activation_curves_frame(names)
    return (
        alt.Chart(data)
        .mark_line(strokeWidth=2, clip=True)
        .encode(
            x=alt.X("x:Q", title="pre-activation z"),
            y=alt.Y("value:Q", title="value", scale=alt.Scale(domain=list(y_domain))),
            color=alt.Color("function:N", title="function", legend=alt.Legend(orient="bottom")),
            strokeDash=alt.StrokeDash(
                "kind:N", title="curve", sort=["f", "f'"],
                scale=alt.Scale(domain=["f", "f'"], range=[[1, 0], [6, 3]]),
                legend=alt.Legend(orient="bottom", labelExpr="datum.label == 'f' ? 'f(z)' : 'f′(z)'"),
            ),
            detail="kind:N",
            tooltip=["function:N", "kind:N", alt.Tooltip("x:Q", format=".2f"), alt.Tooltip("value:Q", format=".3f")],
        )
        .properties(height=height)
    )
