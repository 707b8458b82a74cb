"""The few elementwise operations the activation formulas use, for numpy arrays and for torch tensors.

`array_ops(x)` picks the namespace by the type of x and imports its library only then, so a formula written once
(explainer/experiments/activations.py) serves the numpy Learn figures and the torch engine alike.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

Fn = Callable[..., Any]


@dataclass(frozen=True)
class ArrayOps:
    """One array library's versions of the operations below (same names, same meaning)."""

    asarray: Fn  # x -> an array of this library (numpy: float64)
    sigmoid: Fn
    tanh: Fn
    relu: Fn  # max(z, 0)
    exp: Fn
    expm1: Fn
    erf: Fn
    where: Fn  # where(condition, a, b) with arrays a and b of z's dtype
    ones_like: Fn
    min0: Fn  # min(z, 0)
    step: Fn  # 1 where z > 0 else 0, in z's dtype
    falses: Fn  # an all-False boolean mask of x's shape


@cache
def numpy_ops() -> ArrayOps:
    import numpy as np

    return ArrayOps(
        asarray=lambda x: np.asarray(x, dtype=float),
        sigmoid=lambda z: 1.0 / (1.0 + np.exp(-z)),
        tanh=np.tanh,
        relu=lambda z: np.maximum(z, 0.0),
        exp=np.exp,
        expm1=np.expm1,
        erf=np.vectorize(math.erf, otypes=[float]),
        where=np.where,
        ones_like=np.ones_like,
        min0=lambda z: np.minimum(z, 0.0),
        step=lambda z: (z > 0).astype(z.dtype),
        falses=lambda x: np.zeros(np.shape(x), dtype=bool),
    )


@cache
def torch_ops() -> ArrayOps:
    import torch

    return ArrayOps(
        asarray=lambda x: x,
        sigmoid=torch.sigmoid,
        tanh=torch.tanh,
        relu=torch.relu,
        exp=torch.exp,
        expm1=torch.expm1,
        erf=torch.erf,
        where=torch.where,
        ones_like=torch.ones_like,
        min0=lambda z: torch.clamp(z, max=0.0),
        step=lambda z: (z > 0).to(z.dtype),
        falses=lambda x: torch.zeros_like(x, dtype=torch.bool),
    )


def array_ops(x: Any) -> ArrayOps:
    """torch's operations for a tensor, numpy's for anything else (arrays, lists, scalars)."""
    return torch_ops() if type(x).__module__.split(".")[0] == "torch" else numpy_ops()
