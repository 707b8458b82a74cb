"""Mean-field signal propagation for the phase diagram: the variance map, its fixed point q*, χ₁ and the critical line.

Poole et al. 2016 ("Exponential expressivity in deep neural networks through transient chaos") and Schoenholz et
al. 2017 ("Deep Information Propagation"). A wide net with weights W ~ N(0, σ_w²/fan_in) and biases ~ N(0, σ_b²)
has pre-activations z_l ≈ N(0, q_l) with the variance map

    q_1 = σ_w² · E[x²] + σ_b²,          q_{l+1} = σ_w² · E[φ(√q_l · ε)²] + σ_b²,          ε ~ N(0, 1),

whose stable fixed point q* every deep enough net reaches. The backpropagated error δ_l = ∂L/∂z_l changes per layer
by χ_l = σ_w² · E[φ'(√q_l · ε)²] in mean square; at the fixed point χ₁ = σ_w² · E[φ'(√q* ε)²]. χ₁ < 1: ordered
phase, gradients vanish; χ₁ > 1: chaotic phase, gradients explode; χ₁ = 1 is the critical line ("edge of chaos"),
found here by root finding along σ_w for each σ_b.

Gaussian expectations: numpy's Gauss–Hermite rule (hermgauss) is exact for polynomials but fails once √q is large
(tanh' ² at q = 100 is off by 45 % with 256 nodes: the integrand is a spike of width 1/√q), so E[φ²] and E[φ'²] are
tabulated once per activation with a dense midpoint rule (step 10⁻³ on (-8, 8)) at q = 0 and 40 points per
decade of q in [10⁻¹⁰, 10⁴], then interpolated linearly in (log q, log E) (relative error < 10⁻⁴; linearly in q
below 10⁻¹⁰). ReLU is positively homogeneous (φ(cu) = cφ(u), c > 0), so E[φ(√q ε)²] = q·E[φ(ε)²] and
E[φ'(√q ε)²] = E[φ'(ε)²]: its moments are the q = 1 ones, scaled, for any q.
"""

from __future__ import annotations

import functools
import math

import numpy as np
import torch

from explainer.experiments.activations import ACTIVATIONS

_PROBE = np.array([-3.7, -0.4, 0.9, 2.6])


@functools.cache
def homogeneous(activation: str) -> bool:
    """φ(cu) = c·φ(u) for c > 0 (ReLU, Leaky ReLU, linear): q then scales in closed form, no fixed point."""
    f = ACTIVATIONS[activation].f
    return bool(np.allclose(f(3.0 * _PROBE), 3.0 * f(_PROBE)))


@functools.cache
def bound(activation: str) -> float:
    """sup φ² of a bounded activation (tanh 1, sigmoid 1): q* ≤ σ_w² · bound + σ_b² brackets the fixed point."""
    return float(np.max(ACTIVATIONS[activation].f(np.array([-60.0, 60.0])) ** 2))

Q_MIN, Q_MAX = 1e-10, 1e4
Q_NODES = np.concatenate([[0.0], np.geomspace(Q_MIN, Q_MAX, 14 * 40 + 1)])
_Z = (torch.arange(-8_000, 8_000, dtype=torch.float64) + 0.5) * 1e-3  # P(|ε| > 8) ≈ 1e-15
_W = torch.exp(-0.5 * _Z**2) / math.sqrt(2 * math.pi) * 1e-3
SIGMA_W_BRACKET = (0.05, 24.0)  # the critical σ_w is searched here (sigmoid's lies near 10: its φ' is at most 1/4)


def _dense_moments(activation: str, q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(E[φ(√q ε)²], E[φ'(√q ε)²]) for each q by the dense midpoint rule, in chunks of 100 values."""
    m2, d2 = [], []
    for chunk in np.array_split(np.asarray(q, dtype=np.float64), max(1, len(q) // 100)):
        u = torch.from_numpy(np.sqrt(chunk)).unsqueeze(1) * _Z
        spec = ACTIVATIONS[activation]
        f, d = spec.f(u), spec.df(u)
        m2.append((f.square() @ _W).numpy())
        d2.append((d.square() @ _W).numpy())
    return np.concatenate(m2), np.concatenate(d2)


@functools.cache
def _table(activation: str) -> tuple[np.ndarray, np.ndarray]:
    """log E[φ²] and log E[φ'²] at Q_NODES (about 0.1 s of one core per activation, once per process)."""
    with np.errstate(divide="ignore"):  # tanh: E[φ²] = 0 at q = 0
        return tuple(np.log(t) for t in _dense_moments(activation, Q_NODES))


_LOG_NODES = np.log(Q_NODES[1:])


def _interp(log_tab: np.ndarray, q: np.ndarray) -> np.ndarray:
    """A tabulated moment at q: linear in (log q, log E) above Q_MIN, linear in q between 0 and Q_MIN."""
    above = np.exp(np.interp(np.log(np.maximum(q, Q_MIN)), _LOG_NODES, log_tab[1:]))
    if not np.any(q < Q_MIN):
        return above
    at_0, at_min = np.exp(log_tab[0]), np.exp(log_tab[1])
    return np.where(q < Q_MIN, at_0 + (at_min - at_0) * q / Q_MIN, above)


def moments(activation: str, q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(E[φ(√q ε)²], E[φ'(√q ε)²]), elementwise over the array q (q ≥ 0)."""
    q = np.asarray(q, dtype=np.float64)
    if homogeneous(activation):
        m2, d2 = _dense_moments(activation, np.array([1.0]))
        return q * m2[0], np.full_like(q, d2[0])
    if np.any(q > Q_MAX):
        raise ValueError(f"q = {q.max():.3g} is outside the tabulated range [0, {Q_MAX:.0e}]")
    log_m2, log_d2 = _table(activation)
    return _interp(log_m2, q), _interp(log_d2, q)


def _squares(sigma_w: np.ndarray, sigma_b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """σ_w² and σ_b² as float64 arrays of one broadcast shape."""
    sw, sb = np.broadcast_arrays(np.asarray(sigma_w, dtype=np.float64), np.asarray(sigma_b, dtype=np.float64))
    return sw**2, sb**2


def fixed_point(activation: str, sigma_w: np.ndarray, sigma_b: np.ndarray) -> np.ndarray:
    """The stable fixed point q* of the variance map (inf where it grows without bound: ReLU with σ_w²/2 ≥ 1).

    Bounded φ: the map g(q) = σ_w² E[φ²] + σ_b² is increasing and concave with g(q) ≤ σ_w² sup φ² + σ_b², so the
    stable fixed point is its largest root, found by bisection keeping g(lo) ≥ lo and g(hi) < hi (tanh with
    σ_b = 0 and σ_w ≤ 1 ends at q* = 0). Homogeneous φ: g is linear, q* = σ_b² / (1 - σ_w² E[φ(ε)²]).
    """
    sw2, sb2 = _squares(sigma_w, sigma_b)
    if homogeneous(activation):
        slope = sw2 * moments(activation, np.ones(1))[0][0]
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(slope < 1, sb2 / (1 - slope), math.inf)
    lo, hi = np.zeros_like(sw2), sw2 * bound(activation) + sb2 + 1.0
    log_m2 = _table(activation)[0]
    for _ in range(60):  # the bracket shrinks 2⁶⁰-fold: q* to float64 precision
        mid = 0.5 * (lo + hi)
        above = sw2 * _interp(log_m2, mid) + sb2 >= mid
        lo, hi = np.where(above, mid, lo), np.where(above, hi, mid)
    return lo


def chi1(activation: str, sigma_w: np.ndarray, sigma_b: np.ndarray) -> np.ndarray:
    """χ₁ = σ_w² E[φ'(√q* ε)²] at the fixed point: < 1 ordered (vanishing), > 1 chaotic (exploding)."""
    q = fixed_point(activation, sigma_w, sigma_b)
    q = np.where(np.isfinite(q), q, 1.0)  # homogeneous φ: E[φ'²] does not depend on q
    return np.asarray(sigma_w, dtype=np.float64) ** 2 * moments(activation, q)[1]


def critical_sigma_w(activation: str, sigma_b: np.ndarray) -> np.ndarray:
    """For each σ_b, the σ_w where χ₁ = 1 (bisection in SIGMA_W_BRACKET; NaN where χ₁ - 1 keeps one sign there)."""
    sb = np.atleast_1d(np.asarray(sigma_b, dtype=np.float64))
    lo, hi = np.full_like(sb, SIGMA_W_BRACKET[0]), np.full_like(sb, SIGMA_W_BRACKET[1])
    bracketed = (chi1(activation, lo, sb) < 1) & (chi1(activation, hi, sb) > 1)
    for _ in range(40):  # 24 / 2⁴⁰: σ_w to ~1e-11
        mid = 0.5 * (lo + hi)
        below = chi1(activation, mid, sb) < 1
        lo, hi = np.where(below, mid, lo), np.where(below, hi, mid)
    return np.where(bracketed, 0.5 * (lo + hi), math.nan)


def predicted_log10_ratio(
    activation: str, sigma_w: np.ndarray, sigma_b: np.ndarray, depth: int, input_second_moment: float = 1.0
) -> np.ndarray:
    """log₁₀(‖δ_1‖ / ‖δ_depth‖) = ½ Σ_{l=1}^{depth-1} log₁₀ χ_l along the variance map's transient from q_1.

    This is what a finite net measures: early layers see q_l far from q* (q_1 = σ_w² E[x²] + σ_b²), so near the
    critical line the sign can differ from χ₁'s for a shallow net.
    """
    sw2, sb2 = _squares(sigma_w, sigma_b)
    q = sw2 * input_second_moment + sb2
    total = np.zeros_like(q)
    for _ in range(depth - 1):
        m2, d2 = moments(activation, q)
        with np.errstate(divide="ignore"):
            total += 0.5 * np.log10(sw2 * d2)
        q = sw2 * m2 + sb2
    return total
