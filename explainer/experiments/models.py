"""Batched building blocks: per-seed initialisers and data, and per-name views of the activation records.

Every tensor made here carries a leading seed axis S; random draws come from per-seed streams (seeding.py),
so seed s of a multi-seed run equals seed s run alone, and the data of a seed do not depend on the init.
Weights use nn.Linear's layout (S, out, in): a layer is `torch.baddbmm(b, h, W.transpose(1, 2))`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import torch
from torch import nn

from explainer.experiments.activations import ACTIVATIONS
from explainer.experiments.activations import LEAKY_SLOPE as LEAKY_SLOPE  # re-exported for older imports
from explainer.experiments.activations import SATURATION_FRACTION as SATURATION_FRACTION
from explainer.experiments.seeding import BIAS_STREAM, DATA_STREAM, WEIGHT_STREAM, draw, stream

# Per-name views of the activation records (explainer/experiments/activations.py), for the engine and notebooks.
ACTIVATION_FNS: dict[str, Callable[[torch.Tensor], torch.Tensor]] = {
    n: s.torch_kernel() for n, s in ACTIVATIONS.items()
}
# The nn.Module of each activation: per-seed reference models (tests, benchmarks) and notebook users build
# plain nn.Sequential nets from it.
TORCH_MODULES: dict[str, Callable[[], nn.Module]] = {n: s.module for n, s in ACTIVATIONS.items()}
PEAK_DERIVATIVE: dict[str, float] = {n: s.peak for n, s in ACTIVATIONS.items()}


def derivative(activation: str, z: torch.Tensor) -> torch.Tensor:
    """f'(z) elementwise, in closed form (torch's conventions: relu'(0) = 0, leaky_relu'(0) = slope)."""
    return ACTIVATIONS[activation].df(z)


def saturated_mask(activation: str, z: torch.Tensor) -> torch.Tensor:
    """Boolean mask of units whose derivative is below SATURATION_FRACTION of the activation's peak."""
    return ACTIVATIONS[activation].saturated_at(z)


def saturated_from_output(activation: str, a: torch.Tensor, z: torch.Tensor | None) -> torch.Tensor:
    """`saturated_mask` computed from the activations a = f(z) (cheaper); gelu, not invertible, needs z."""
    return ACTIVATIONS[activation].saturation.mask(a, z)


def activation_backward(activation: str, grad: torch.Tensor, a: torch.Tensor, z: torch.Tensor | None) -> torch.Tensor:
    """grad ⊙ f'(z), from the output a (z only for gelu), with autograd's own fused kernels."""
    return ACTIVATIONS[activation].torch_backward(grad, a, z)


def he_gain(activation: str) -> float:
    """He et al. (2015) gain sqrt(2 / (1 + a²)), a = negative slope (0 for relu and every other activation)."""
    return ACTIVATIONS[activation].he_gain


def weight_std(init: str, fan_in: int, fan_out: int, scale: float | None, activation: str) -> float:
    """Standard deviation of one weight under `init` (0 for zeros; orthogonal: gain/sqrt(fan_in) per entry).

    Uniform inits U(-a, a) have std a/sqrt(3). Used by the theory overlay and by `init_weights`.
    """
    if init == "pytorch_default":  # kaiming_uniform_(a=sqrt(5)): U(±1/sqrt(fan_in)), times the gain override
        return (scale or 1.0) / math.sqrt(3 * fan_in)
    if init == "zeros":
        return 0.0
    if init in ("small_normal", "large_normal"):
        return scale or (0.01 if init == "small_normal" else 1.0)
    if init in ("xavier_uniform", "xavier_normal"):
        return (scale or 1.0) * math.sqrt(2.0 / (fan_in + fan_out))
    if init in ("he_uniform", "he_normal"):
        return (scale or he_gain(activation)) / math.sqrt(fan_in)
    return (scale or 1.0) / math.sqrt(max(fan_in, fan_out))  # orthogonal: rows or columns have norm = gain


def _orthogonal(a: torch.Tensor) -> torch.Tensor:
    """torch.nn.init.orthogonal_ on a stack (N, rows, cols) of normal draws: QR, signs fixed by diag(R)."""
    rows, cols = a.shape[-2:]
    if rows < cols:
        a = a.transpose(-1, -2)
    q, r = torch.linalg.qr(a)
    q = q * torch.sign(torch.diagonal(r, dim1=-2, dim2=-1)).unsqueeze(-2)
    return q.transpose(-1, -2) if rows < cols else q


def init_weights(
    shapes: Sequence[tuple[int, int, int]], seeds: Sequence[int], init: str, scale: float | None, activation: str
) -> list[torch.Tensor]:
    """Weights for groups of matrices: shapes are (count, out, in); returns tensors (count, S, out, in).

    All draws for one seed come from that seed's weight stream in a fixed order, one matrix at a time.
    """
    out = []
    gens = [stream(s, WEIGHT_STREAM) for s in seeds]
    for count, fan_out, fan_in in shapes:
        std = weight_std(init, fan_in, fan_out, scale, activation)
        if init == "zeros":
            w = torch.zeros((count, len(seeds), fan_out, fan_in))
        elif init in ("pytorch_default", "xavier_uniform", "he_uniform"):
            bound = std * math.sqrt(3)  # U(-a, a) has std a / sqrt(3)
            w = draw(gens, (fan_out, fan_in), normal=False, count=count).mul_(2 * bound).sub_(bound)
        else:
            w = draw(gens, (fan_out, fan_in), normal=True, count=count)
            w = _orthogonal(w) * (scale or 1.0) if init == "orthogonal" else w.mul_(std)
        out.append(w)
    return out


def init_biases(shapes: Sequence[tuple[int, int, int]], seeds: Sequence[int], init: str) -> list[torch.Tensor]:
    """Biases (count, S, out): nn.Linear's U(±1/sqrt(fan_in)) for pytorch_default, zeros for every other init.

    Biases have their own stream, so they never shift the weight draws.
    """
    if init != "pytorch_default":
        return [torch.zeros((count, len(seeds), fan_out)) for count, fan_out, _ in shapes]
    gens = [stream(s, BIAS_STREAM) for s in seeds]
    out = []
    for count, fan_out, fan_in in shapes:
        bound = 1.0 / math.sqrt(fan_in)
        out.append(draw(gens, (fan_out,), normal=False, count=count).mul_(2 * bound).sub_(bound))
    return out


def make_data(kind: str, seeds: Sequence[int], batch: int, width: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Per-seed inputs x (S, B, d_in) and targets y (S, B, 1), independent of the init and activation.

    gaussian: x ~ N(0, I_width), y = sin(x·u) with a fixed teacher u ~ N(0, I/width) (a smooth learnable target).
    spirals: two interleaved spirals (1.5 turns each) in the plane with N(0, 0.05²) noise; y = ±1 by arm.
    """
    gens = [stream(s, DATA_STREAM) for s in seeds]
    if kind == "spirals":
        arm = (torch.arange(batch) % 2).float()
        t = draw(gens, (batch,), normal=False)[0].sqrt()  # (S, B); sqrt spreads points evenly along each arm
        angle = 3 * math.pi * t + math.pi * arm
        x = torch.stack([t * torch.cos(angle), t * torch.sin(angle)], -1) * 2
        x = x + 0.05 * draw(gens, (batch, 2), normal=True)[0]
        return x, (2 * arm - 1).expand(len(gens), batch).unsqueeze(-1).contiguous()
    x = draw(gens, (batch, width), normal=True)[0]
    u = draw(gens, (width, 1), normal=True)[0] / math.sqrt(width)
    return x, torch.sin(torch.bmm(x, u))
