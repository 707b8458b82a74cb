"""Figures of the later Learn topics: the numbers behind them match what theory and the float formats fix."""

import math

import numpy as np
import pytest

from explainer.learn import figure_data_topics as topics


def test_tanh_is_critical_at_unit_weight_scale_without_bias():
    """signal_propagation.md: with σ_b = 0, χ₁ = σ_w² below σ_w = 1 and crosses 1 at σ_w = 1."""
    assert topics.chi1("tanh", 0.8) == pytest.approx(0.64, abs=1e-3)
    assert topics.chi1("tanh", 1.0) == pytest.approx(1.0, abs=0.01)
    assert topics.chi1("tanh", 1.2) > 1


def test_tanh_chi1_matches_a_fine_riemann_sum():
    """The quadrature's χ₁ at σ_w = 3 (the page's 1.86) agrees with a dense Riemann sum over N(0, 1)."""
    z = np.linspace(-12, 12, 100_001)
    p = np.exp(-z**2 / 2) / math.sqrt(2 * math.pi) * (z[1] - z[0])
    q = topics.tanh_fixed_point(3.0)
    dense = 9 * float(((1 - np.tanh(math.sqrt(q) * z) ** 2) ** 2 * p).sum())
    assert topics.chi1("tanh", 3.0) == pytest.approx(dense, rel=1e-3)
    assert dense == pytest.approx(1.86, abs=0.01)


def test_large_weights_make_tanh_chaotic_not_ordered():
    """χ₁ keeps rising with σ_w for tanh (saturation does not pull it back below 1)."""
    values = [topics.chi1("tanh", s) for s in (1.5, 2.0, 3.0, 4.0)]
    assert values == sorted(values) and values[0] > 1


def test_bias_moves_the_tanh_critical_line_to_about_1_55():
    """The figure caption: with σ_b = 0.5 tanh crosses χ₁ = 1 near σ_w = 1.55."""
    assert topics.chi1("tanh", 1.5, 0.5) < 1 < topics.chi1("tanh", 1.6, 0.5)


def test_relu_is_critical_at_he_scale():
    """ReLU: χ₁ = σ_w²/2, so σ_w = √2 (He init) is critical."""
    assert topics.chi1("relu", math.sqrt(2)) == pytest.approx(1.0)


def test_adam_step_is_eta_until_epsilon():
    """Adam's step for a steady gradient stays ≈ η down to |g| ≈ 1e-6, is halved at |g| = ε, and SGD's is η|g|."""
    frame = topics.adam_step_frame(lr=1e-3, eps=1e-8)
    adam = frame[frame["optimizer"].str.startswith("Adam")].set_index("grad")["step"]
    sgd = frame[frame["optimizer"].str.startswith("SGD")].set_index("grad")["step"]
    assert adam[adam.index >= 1e-6].min() > 0.99e-3
    assert adam.loc[np.isclose(adam.index, 1e-8, rtol=1e-6, atol=0)].iloc[0] == pytest.approx(0.5e-3)
    assert np.allclose(sgd.values, 1e-3 * sgd.index.values)


def test_adam_adaptive_factor_narrows_with_steps():
    """1/√v̂ is widely spread at step 1 (it is 1/|g₁|) and within a few percent of 1 after ~2000 steps."""
    frame = topics.adam_early_spread_frame()
    first, last = frame.iloc[0], frame.iloc[-1]
    assert first["step"] == 1 and first["high"] / first["low"] > 5
    assert last["high"] / last["low"] < 1.1 and last["median"] == pytest.approx(1.0, abs=0.02)


def test_radam_rho_matches_its_closed_form_limits():
    """ρ_1 = 1 and ρ_t → ρ_∞ = 2/(1 − β₂) − 1; RAdam's ρ_t > 4 first holds at t = 5 for β₂ = 0.999."""
    assert topics.radam_rho(1) == pytest.approx(1.0)
    assert topics.radam_rho(100_000) == pytest.approx(1999.0)
    rho = topics.radam_rho(np.arange(1, 10))
    assert int(np.argmax(rho > 4)) + 1 == 5


def test_float_formats_have_the_quoted_limits():
    """fp16: subnormals from 2^-24 ≈ 6e-8, normals from 2^-14 ≈ 6.1e-5, max 65504; bf16 spans fp32's range."""
    rows = {(r.format, r.part.split()[0]): r for r in topics.float_formats_frame().itertuples()}
    assert rows["fp16", "subnormal"].lo == 2.0**-24 and rows["fp16", "normal"].lo == 2.0**-14
    assert rows["fp16", "normal"].hi == 65504
    assert rows["bf16", "normal"].lo == rows["fp32", "normal"].lo
    assert rows["bf16", "normal"].hi == pytest.approx(rows["fp32", "normal"].hi, rel=1e-2)
