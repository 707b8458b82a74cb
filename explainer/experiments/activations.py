"""One record per activation: function, derivative, peak slope, saturation rule, init gains, torch module, label.

Importable without torch or numpy (views, Learn figures and questions read it). f and f' are written once, over an
array namespace `xp` (`array_ops(x)`: numpy for arrays and lists, torch for tensors); the torch-only pieces (the
engine's fused kernels and the nn.Module) receive torch when called, so only calling them imports it.
Adding an activation means adding one record here (and its name to nothing else).
"""

from __future__ import annotations

import functools
import math
import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from explainer.experiments.array_ops import array_ops

LEAKY_SLOPE = 0.01  # nn.LeakyReLU's default negative slope
ELU_ALPHA = 1.0  # nn.ELU's default alpha
# A unit is "saturated" (sigmoid/tanh/gelu/elu tails) or "dead" (relu: f' = 0; leaky_relu: f' = 0.01) when
# |f'(z)| < SATURATION_FRACTION x peak |f'|: sigmoid f' < 0.025 (|z| > 3.6), tanh f' < 0.1 (|z| > 1.8),
# elu z < ln 0.1 ≈ -2.3. The linear activation is never saturated.
SATURATION_FRACTION = 0.1
_SQRT2, _SQRT2PI = math.sqrt(2), math.sqrt(2 * math.pi)


@dataclass(frozen=True)
class Saturation:
    """Where |f'(z)| < SATURATION_FRACTION x peak, as a cheap test on a = f(z) (on z when f is not invertible).

    A value v counts as saturated if any clause holds: |v - far_from[0]| > far_from[1]; v <= at_most;
    v < below; between[0] < v < between[1]. No clause: never saturated. Clauses never overlap (checked), so
    the engine counts saturated units as a sum of per-clause counts.
    """

    on: str = "output"  # "output": test a = f(z); "input": test z
    far_from: tuple[float, float] | None = None
    at_most: float | None = None
    below: float | None = None
    between: tuple[float, float] | None = None

    def __post_init__(self) -> None:
        lower = [t for t in (self.at_most, self.below) if t is not None]
        if self.far_from is not None and (lower or self.between is not None):
            raise ValueError("far_from overlaps every other clause; use it alone")
        if len(lower) > 1 or (lower and self.between is not None and lower[0] > self.between[0]):
            raise ValueError("saturation clauses must not overlap")

    @property
    def never(self) -> bool:
        """No clause: the activation never saturates (linear)."""
        return self.far_from is None and self.at_most is None and self.below is None and self.between is None

    def mask(self, a: Any, z: Any = None) -> Any:
        """Boolean mask of saturated units (numpy or torch, like the input)."""
        v = a if self.on == "output" else z
        masks = []
        if self.far_from is not None:
            masks.append(abs(v - self.far_from[0]) > self.far_from[1])
        if self.at_most is not None:
            masks.append(v <= self.at_most)
        if self.below is not None:
            masks.append(v < self.below)
        if self.between is not None:
            masks.append((v > self.between[0]) & (v < self.between[1]))
        if not masks:
            return array_ops(v).falses(v)
        return functools.reduce(operator.or_, masks)


@dataclass(frozen=True)
class ActivationSpec:
    """Everything the engine, the lab and the Learn pages need to know about one activation."""

    name: str  # the config value (MLPConfig.activation) and URL value
    label: str  # legend and display name, e.g. "Leaky ReLU"
    formula: Callable[[Any, Any], Any]  # f(xp, z)
    slope: Callable[[Any, Any], Any]  # f'(xp, z), closed form; torch's convention at kinks (relu'(0) = 0)
    peak: float  # max |f'(z)| over z
    peak_at: float  # a z where the peak is reached (the rectifiers: any z > 0)
    saturation: Saturation  # the engine's test for |f'| < SATURATION_FRACTION x peak
    saturating: bool = False  # f' -> 0 in both tails (sigmoid, tanh): deep stacks vanish
    relu_like: bool = False  # f' = 1 for large z (the ReLU family): He init keeps the scale
    negative_slope: float = 0.0  # the `a` of He et al.'s gain sqrt(2 / (1 + a²))
    gain: float | None = None  # torch.nn.init.calculate_gain(name); None where torch defines none
    kernel: Callable[..., Any] = field(repr=False, default=None)  # (torch, z, inplace) -> f(z), torch's fused op
    backward: Callable[..., Any] | None = field(repr=False, default=None)  # (aten, grad, a, z) -> (op, args)
    needs_input: bool = False  # `backward` reads z (gelu is not invertible); the others read a = f(z)
    module_class: str = "Identity"  # torch.nn class computing exactly f
    module_kwargs: tuple[tuple[str, Any], ...] = ()

    def f(self, z: Any) -> Any:
        """f(z) for a numpy array (or list) or a torch tensor."""
        xp = array_ops(z)
        return self.formula(xp, xp.asarray(z))

    def df(self, z: Any) -> Any:
        """f'(z) in closed form, for a numpy array (or list) or a torch tensor."""
        xp = array_ops(z)
        return self.slope(xp, xp.asarray(z))

    def saturated_at(self, z: Any) -> Any:
        """Mask of |f'(z)| < SATURATION_FRACTION x peak, straight from the derivative (the definition)."""
        if self.saturation.never:
            return array_ops(z).falses(z)
        return abs(self.df(z)) < SATURATION_FRACTION * self.peak

    @property
    def matched_init(self) -> str:
        """The textbook init: He (2015) for the ReLU family, Xavier/Glorot (2010) otherwise."""
        return "he_normal" if self.relu_like else "xavier_normal"

    @property
    def he_gain(self) -> float:
        """He et al. (2015) gain sqrt(2 / (1 + a²)), a = the negative slope (0 except for leaky_relu)."""
        return math.sqrt(2.0 / (1.0 + self.negative_slope**2))

    def torch_kernel(self, inplace: bool = False) -> Callable[[Any], Any]:
        """The fused torch function the engine runs forward (torch.sigmoid, F.gelu, ...); `inplace` overwrites z."""
        import torch

        return lambda z: self.kernel(torch, z, inplace)

    def torch_backward(self, grad: Any, a: Any, z: Any = None, out: Any = None) -> Any:
        """grad ⊙ f'(z) with autograd's own fused kernel, from a = f(z) (and z when `needs_input`).

        `out` (may be `a` or `grad` itself) receives the result instead of a new tensor; without `out`, linear
        returns `grad` itself.
        """
        if self.backward is None:
            return grad if out is None or out is grad else out.copy_(grad)
        import torch

        op, args = self.backward(torch.ops.aten, grad, a, z)
        return op(*args) if out is None else op.grad_input(*args, grad_input=out)

    def module(self) -> Any:
        """A fresh torch.nn module computing f (for nn.Sequential reference nets)."""
        from torch import nn

        return getattr(nn, self.module_class)(**dict(self.module_kwargs))

    def matches(self, module: Any) -> bool:
        """True if `module` is exactly this activation (class and arguments), so the closed forms apply to it."""
        from torch import nn

        cls = getattr(nn, self.module_class)
        return type(module) is cls and all(getattr(module, k) == v for k, v in self.module_kwargs)


def _gelu_slope(z: float) -> float:
    return 0.5 * (1 + math.erf(z / _SQRT2)) + z * math.exp(-0.5 * z * z) / _SQRT2PI


def _gelu_solve(target: float, lo: float, hi: float) -> float:
    """z in [lo, hi] with gelu'(z) = target, by bisection (gelu' is monotone on each interval used)."""
    rising = _gelu_slope(hi) > _gelu_slope(lo)
    for _ in range(80):
        mid = 0.5 * (lo + hi)
        if (_gelu_slope(mid) < target) == rising:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


# gelu' = Φ(z) + z φ(z) falls from 0 to its minimum -0.129 at z = -√2, rises to 1.129 at √2, then settles to 1;
# so |gelu'| < t exactly on z < edges[0] and on edges[1] < z < edges[2].
_GELU_PEAK = _gelu_slope(_SQRT2)
_GELU_T = SATURATION_FRACTION * _GELU_PEAK
_GELU_EDGES = (
    _gelu_solve(-_GELU_T, -10.0, -_SQRT2),
    _gelu_solve(-_GELU_T, -_SQRT2, 0.0),
    _gelu_solve(_GELU_T, -_SQRT2, _SQRT2),
)


def _sigmoid_slope(xp, z):
    s = xp.sigmoid(z)
    return s * (1 - s)


def _gelu_cdf(xp, z):
    return 0.5 * (1 + xp.erf(z / _SQRT2))


SIGMOID = ActivationSpec(
    name="sigmoid", label="sigmoid", formula=lambda xp, z: xp.sigmoid(z), slope=_sigmoid_slope, peak=0.25, peak_at=0.0,
    # a(1-a) < t  <=>  |a - 1/2| > sqrt(1/4 - t)
    saturation=Saturation(far_from=(0.5, math.sqrt(0.25 - SATURATION_FRACTION * 0.25))),
    saturating=True, gain=1.0, kernel=lambda torch, z, inplace: torch.sigmoid_(z) if inplace else torch.sigmoid(z),
    backward=lambda aten, g, a, z: (aten.sigmoid_backward, (g, a)), module_class="Sigmoid",
)
TANH = ActivationSpec(
    name="tanh", label="tanh", formula=lambda xp, z: xp.tanh(z), slope=lambda xp, z: 1 - xp.tanh(z) ** 2,
    peak=1.0, peak_at=0.0,
    saturation=Saturation(far_from=(0.0, math.sqrt(1 - SATURATION_FRACTION))),  # 1 - a² < t <=> |a| > sqrt(1 - t)
    saturating=True, gain=5.0 / 3, kernel=lambda torch, z, inplace: torch.tanh_(z) if inplace else torch.tanh(z),
    backward=lambda aten, g, a, z: (aten.tanh_backward, (g, a)), module_class="Tanh",
)
RELU = ActivationSpec(
    name="relu", label="ReLU", formula=lambda xp, z: xp.relu(z), slope=lambda xp, z: xp.step(z), peak=1.0, peak_at=1.0,
    saturation=Saturation(at_most=0.0),  # relu'(z) = 0 for z <= 0, where a = 0
    relu_like=True, gain=math.sqrt(2.0), kernel=lambda torch, z, inplace: torch.relu_(z) if inplace else torch.relu(z),
    backward=lambda aten, g, a, z: (aten.threshold_backward, (g, a, 0.0)), module_class="ReLU",
)
LEAKY_RELU = ActivationSpec(
    name="leaky_relu", label="Leaky ReLU", formula=lambda xp, z: xp.where(z > 0, z, z * LEAKY_SLOPE),
    slope=lambda xp, z: xp.where(z > 0, xp.ones_like(z), xp.ones_like(z) * LEAKY_SLOPE), peak=1.0, peak_at=1.0,
    saturation=Saturation(at_most=0.0),  # leaky_relu'(z) = 0.01 < 0.1 for z <= 0, where a <= 0
    relu_like=True, negative_slope=LEAKY_SLOPE, gain=math.sqrt(2.0 / (1 + LEAKY_SLOPE**2)),
    kernel=lambda torch, z, inplace: torch.nn.functional.leaky_relu(z, LEAKY_SLOPE, inplace),
    backward=lambda aten, g, a, z: (aten.leaky_relu_backward, (g, a, LEAKY_SLOPE, True)),
    module_class="LeakyReLU", module_kwargs=(("negative_slope", LEAKY_SLOPE),),
)
ELU = ActivationSpec(
    name="elu", label="ELU", formula=lambda xp, z: xp.where(z > 0, z, ELU_ALPHA * xp.expm1(xp.min0(z))),
    slope=lambda xp, z: xp.where(z > 0, xp.ones_like(z), xp.exp(xp.min0(z))), peak=1.0, peak_at=1.0,
    saturation=Saturation(below=SATURATION_FRACTION - 1),  # elu'(z) = exp(z) = a + 1 for z <= 0
    relu_like=True, kernel=lambda torch, z, inplace: torch.nn.functional.elu(z, ELU_ALPHA, inplace),
    backward=lambda aten, g, a, z: (aten.elu_backward, (g, ELU_ALPHA, 1.0, 1.0, True, a)),
    module_class="ELU", module_kwargs=(("alpha", ELU_ALPHA),),
)
GELU = ActivationSpec(  # x·Φ(x), Hendrycks & Gimpel 2016; peak Φ(√2) + √2·φ(√2) ≈ 1.1289 at z = √2
    name="gelu", label="GELU", formula=lambda xp, z: z * _gelu_cdf(xp, z),
    slope=lambda xp, z: _gelu_cdf(xp, z) + z * xp.exp(-0.5 * z * z) / _SQRT2PI, peak=_GELU_PEAK, peak_at=_SQRT2,
    saturation=Saturation(on="input", below=_GELU_EDGES[0], between=_GELU_EDGES[1:]),
    relu_like=True, needs_input=True,
    kernel=lambda torch, z, inplace: torch.ops.aten.gelu.out(z, out=z) if inplace else torch.nn.functional.gelu(z),
    backward=lambda aten, g, a, z: (aten.gelu_backward, (g, z)),
    module_class="GELU", module_kwargs=(("approximate", "none"),),
)
LINEAR = ActivationSpec(
    name="linear", label="linear", formula=lambda xp, z: z, slope=lambda xp, z: xp.ones_like(z), peak=1.0, peak_at=0.0,
    saturation=Saturation(), gain=1.0, kernel=lambda torch, z, inplace: z,
)

ACTIVATIONS: dict[str, ActivationSpec] = {s.name: s for s in (SIGMOID, TANH, RELU, LEAKY_RELU, ELU, GELU, LINEAR)}
NAMES: tuple[str, ...] = tuple(ACTIVATIONS)  # the order every menu and comparison uses
NONLINEAR: tuple[str, ...] = tuple(n for n, s in ACTIVATIONS.items() if s.saturating or s.relu_like)
SATURATING: tuple[str, ...] = tuple(n for n, s in ACTIVATIONS.items() if s.saturating)
RELU_FAMILY: tuple[str, ...] = tuple(n for n, s in ACTIVATIONS.items() if s.relu_like)


def activation_of(module: Any) -> str | None:
    """The name of the activation a torch module computes exactly (class and arguments), else None."""
    return next((n for n, s in ACTIVATIONS.items() if s.matches(module)), None)
