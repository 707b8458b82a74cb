"""Batched building blocks: activations and their derivatives, per-seed initialisers, per-seed data.

Every tensor made here carries a leading seed axis S; random draws come from per-seed streams (seeding.py),
so seed s of a multi-seed run equals seed s run alone, and the data of a seed do not depend on the init.
Weights use nn.Linear's layout (S, out, in): a layer is `torch.baddbmm(b, h, W.transpose(1, 2))`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import torch
import torch.nn.functional as F
from torch import nn

from explainer.experiments.seeding import BIAS_STREAM, DATA_STREAM, WEIGHT_STREAM, draw, stream

LEAKY_SLOPE = 0.01  # nn.LeakyReLU's default negative slope


ACTIVATION_FNS: dict[str, Callable[[torch.Tensor], torch.Tensor]] = {
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "relu": torch.relu,
    "leaky_relu": lambda z: F.leaky_relu(z, LEAKY_SLOPE),
    "elu": F.elu,
    "gelu": F.gelu,
    "linear": lambda z: z,
}

# The nn.Module of each activation: per-seed reference models (tests, benchmarks) and notebook users build
# plain nn.Sequential nets from it.
TORCH_MODULES: dict[str, Callable[[], nn.Module]] = {
    "sigmoid": nn.Sigmoid,
    "tanh": nn.Tanh,
    "relu": nn.ReLU,
    "leaky_relu": lambda: nn.LeakyReLU(LEAKY_SLOPE),
    "elu": nn.ELU,
    "gelu": nn.GELU,
    "linear": nn.Identity,
}


def derivative(activation: str, z: torch.Tensor) -> torch.Tensor:
    """f'(z) elementwise, in closed form (torch's conventions: relu'(0) = 0, leaky_relu'(0) = slope)."""
    if activation == "sigmoid":
        s = torch.sigmoid(z)
        return s * (1 - s)
    if activation == "tanh":
        return 1 - torch.tanh(z) ** 2
    if activation == "relu":
        return (z > 0).to(z.dtype)
    if activation == "leaky_relu":
        return torch.where(z > 0, 1.0, LEAKY_SLOPE).to(z.dtype)
    if activation == "elu":
        return torch.where(z > 0, torch.ones_like(z), torch.exp(torch.clamp(z, max=0.0)))
    if activation == "gelu":  # d/dz [z Φ(z)] = Φ(z) + z φ(z)
        return 0.5 * (1 + torch.erf(z / math.sqrt(2))) + z * torch.exp(-0.5 * z * z) / math.sqrt(2 * math.pi)
    return torch.ones_like(z)


# Peak of |f'| over z: sigmoid 1/4 at 0, tanh 1 at 0, gelu Φ(√2)+√2·φ(√2) ≈ 1.1289 at z = √2.
PEAK_DERIVATIVE: dict[str, float] = {
    "sigmoid": 0.25,
    "tanh": 1.0,
    "relu": 1.0,
    "leaky_relu": 1.0,
    "elu": 1.0,
    "gelu": 0.5 * (1 + math.erf(1.0)) + math.sqrt(2) * math.exp(-1.0) / math.sqrt(2 * math.pi),
    "linear": 1.0,
}

# A unit is "saturated" (sigmoid/tanh/gelu/elu tails) or "dead" (relu: f' = 0; leaky_relu: f' = 0.01)
# when |f'(z)| < SATURATION_FRACTION x peak |f'|: sigmoid f' < 0.025 (|z| > 3.6), tanh f' < 0.1 (|z| > 1.8),
# elu z < ln 0.1 ≈ -2.3. The linear activation is never saturated.
SATURATION_FRACTION = 0.1
_SIGMOID_EDGE = math.sqrt(0.25 - SATURATION_FRACTION * 0.25)  # a(1-a) < t  <=>  |a - 1/2| > sqrt(1/4 - t)
_TANH_EDGE = math.sqrt(1 - SATURATION_FRACTION)  # 1 - a² < t  <=>  |a| > sqrt(1 - t)


def _gelu_prime(z: float) -> float:
    return 0.5 * (1 + math.erf(z / math.sqrt(2))) + z * math.exp(-0.5 * z * z) / math.sqrt(2 * math.pi)


def _solve(target: float, lo: float, hi: float) -> float:
    """z in [lo, hi] with gelu'(z) = target, by bisection (gelu' is monotone on each interval used)."""
    rising = _gelu_prime(hi) > _gelu_prime(lo)
    for _ in range(80):
        mid = 0.5 * (lo + hi)
        if (_gelu_prime(mid) < target) == rising:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


# gelu' falls from 0 to its minimum -0.129 at z = -√2, rises to 1.129 at √2, then settles to 1; so
# |gelu'| < t exactly on z < _GELU_EDGES[0] and on _GELU_EDGES[1] < z < _GELU_EDGES[2].
_GELU_T = SATURATION_FRACTION * PEAK_DERIVATIVE["gelu"]
_GELU_EDGES = (
    _solve(-_GELU_T, -10.0, -math.sqrt(2)),
    _solve(-_GELU_T, -math.sqrt(2), 0.0),
    _solve(_GELU_T, -math.sqrt(2), math.sqrt(2)),
)


def saturated_mask(activation: str, z: torch.Tensor) -> torch.Tensor:
    """Boolean mask of units whose derivative is below SATURATION_FRACTION of the activation's peak."""
    if activation == "linear":
        return torch.zeros_like(z, dtype=torch.bool)
    return derivative(activation, z).abs() < SATURATION_FRACTION * PEAK_DERIVATIVE[activation]


def saturated_from_output(activation: str, a: torch.Tensor, z: torch.Tensor | None) -> torch.Tensor:
    """`saturated_mask` computed from the activations a = f(z) (cheaper); gelu, not invertible, needs z."""
    if activation == "sigmoid":
        return (a - 0.5).abs_() > _SIGMOID_EDGE
    if activation == "tanh":
        return a.abs() > _TANH_EDGE
    if activation in ("relu", "leaky_relu"):  # relu'(z) = 0, leaky_relu'(z) = 0.01 for z <= 0
        return a <= 0
    if activation == "elu":  # elu'(z) = exp(z) = a + 1 for z <= 0
        return a < SATURATION_FRACTION - 1
    if activation == "gelu":
        low, mid_lo, mid_hi = _GELU_EDGES
        return (z < low) | ((z > mid_lo) & (z < mid_hi))
    return torch.zeros_like(a, dtype=torch.bool)


def activation_backward(activation: str, grad: torch.Tensor, a: torch.Tensor, z: torch.Tensor | None) -> torch.Tensor:
    """grad ⊙ f'(z), from the output a (z only for gelu), with autograd's own fused kernels."""
    aten = torch.ops.aten
    if activation == "sigmoid":
        return aten.sigmoid_backward(grad, a)
    if activation == "tanh":
        return aten.tanh_backward(grad, a)
    if activation == "relu":
        return aten.threshold_backward(grad, a, 0.0)
    if activation == "leaky_relu":
        return aten.leaky_relu_backward(grad, a, LEAKY_SLOPE, True)
    if activation == "elu":
        return aten.elu_backward(grad, 1.0, 1.0, 1.0, True, a)
    if activation == "gelu":
        return aten.gelu_backward(grad, z)
    return grad


def he_gain(activation: str) -> float:
    """He et al. (2015) gain sqrt(2 / (1 + a²)), a = negative slope (0 for relu and every other activation)."""
    slope = LEAKY_SLOPE if activation == "leaky_relu" else 0.0
    return math.sqrt(2.0 / (1.0 + slope**2))


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
