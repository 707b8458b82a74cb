"""Theory overlays and the diagnosis summary: correct formulas, agreement with measurements, documented verdicts."""

import math

import numpy as np
import pandas as pd
import pytest

from explainer.experiments import (
    EXPLODING_RATIO,
    VANISHING_RATIO,
    MLPConfig,
    RNNConfig,
    anchor_theory,
    gradient_profile,
    summarize_profile,
    theory_profile,
)
from explainer.experiments.theory import ACT_STD, GRAD, SIGMOID_BOUND, gauss_moments


def quantity(theory: pd.DataFrame, name: str) -> pd.Series:
    """One quantity of a theory frame, indexed by layer."""
    return theory[theory["quantity"] == name].set_index("layer")["predicted"]


def test_gaussian_moments_match_closed_forms():
    """E[relu(z)] = sqrt(q/2π), E[relu²] = q/2, E[relu'²] = 1/2; E[z²] = q for the linear map; sigmoid'(0) bound."""
    mean, sq, dsq = gauss_moments("relu", 2.0)
    assert mean == pytest.approx(math.sqrt(2.0 / (2 * math.pi)), rel=1e-6)
    assert sq == pytest.approx(1.0, rel=1e-6) and dsq == pytest.approx(0.5, rel=1e-4)
    assert gauss_moments("linear", 3.0)[1] == pytest.approx(3.0, rel=1e-6)
    assert gauss_moments("sigmoid", 1e-8)[2] == pytest.approx(0.0625, rel=1e-6)  # (1/4)² at z = 0


def test_he_relu_and_orthogonal_linear_predict_constant_gradients():
    """χ = σ_w²·E[f'²] = 1 for He-ReLU and for an orthogonal linear net: predicted relative gradient 1 everywhere."""
    for cfg in (MLPConfig(activation="relu", init="he_normal"), MLPConfig(activation="linear", init="orthogonal")):
        grad = quantity(theory_profile(cfg), GRAD)
        np.testing.assert_allclose(grad.to_numpy(), 1.0, rtol=1e-3)


def test_sigmoid_bound_is_a_quarter_per_layer():
    """sigmoid_bound = 0.25^(depth - l), 1 at the top layer; only sigmoid nets get it."""
    bound = quantity(theory_profile(MLPConfig(depth=10)), SIGMOID_BOUND)
    np.testing.assert_allclose(bound.to_numpy(), [0.25 ** (10 - layer) for layer in range(1, 11)])
    assert SIGMOID_BOUND not in set(theory_profile(MLPConfig(activation="tanh"))["quantity"])


@pytest.mark.parametrize(
    ("activation", "init"),
    [
        ("sigmoid", "pytorch_default"),
        ("tanh", "xavier_normal"),
        ("tanh", "xavier_uniform"),
        ("relu", "he_uniform"),
        ("relu", "pytorch_default"),
        ("leaky_relu", "he_normal"),
        ("elu", "he_normal"),
        ("gelu", "he_normal"),
        ("tanh", "large_normal"),
        ("sigmoid", "small_normal"),
        ("tanh", "orthogonal"),
    ],
)
def test_predicted_activation_std_matches_first_layers(activation, init):
    """Mean-field act_std matches the measured std (mean over seeds) of layers 1-3 within 5% at 256 units."""
    cfg = MLPConfig(depth=3, width=256, seeds=4, activation=activation, init=init)
    measured = gradient_profile(cfg).groupby("layer")["act_std"].mean()
    predicted = quantity(theory_profile(cfg), ACT_STD)
    np.testing.assert_allclose(measured.to_numpy(), predicted.to_numpy(), rtol=0.05)


@pytest.mark.parametrize(
    "cfg",
    [
        MLPConfig(),
        MLPConfig(activation="tanh", init="xavier_normal"),
        MLPConfig(activation="relu"),
        MLPConfig(activation="tanh", init="large_normal", depth=10),
    ],
)
def test_predicted_gradient_decay_matches_measurement(cfg):
    """Mean-field first/last gradient ratio is within 10x of the measured one, even across 16 decades."""
    theory = anchor_theory(theory_profile(cfg), gradient_profile(cfg))
    measured = summarize_profile(gradient_profile(cfg)).first_last_ratio
    predicted = quantity(theory_profile(cfg), GRAD)[1]
    assert abs(math.log10(measured) - math.log10(predicted)) < 1
    assert (theory["predicted"] > 0).all()


def test_batchnorm_predicts_std_of_standard_normal_activation():
    """With BatchNorm every pre-activation is standardised: ReLU act_std = sqrt(1/2 - 1/(2π)) at every layer."""
    cfg = MLPConfig(activation="relu", norm="batch", depth=8)
    predicted = quantity(theory_profile(cfg), ACT_STD)
    np.testing.assert_allclose(predicted.to_numpy(), math.sqrt(0.5 - 1 / (2 * math.pi)), rtol=1e-5)
    measured = gradient_profile(cfg).groupby("layer")["act_std"].median()
    np.testing.assert_allclose(measured.to_numpy(), predicted.to_numpy(), rtol=0.05)


def test_theory_is_silent_where_it_has_nothing_to_say():
    """Residual nets, recurrent nets and non-sigmoid nets on spiral data get None."""
    assert theory_profile(MLPConfig(residual=True)) is None
    assert theory_profile(RNNConfig()) is None
    assert theory_profile(MLPConfig(activation="relu", data="spirals")) is None
    assert set(theory_profile(MLPConfig(data="spirals"))["quantity"]) == {SIGMOID_BOUND}


def profile_frame(norms: dict[int, list[float]], key: str = "layer") -> pd.DataFrame:
    """A synthetic profile: {seed: grad norms by position}."""
    rows = [(seed, pos, g) for seed, gs in norms.items() for pos, g in enumerate(gs, start=1 if key == "layer" else 0)]
    return pd.DataFrame(rows, columns=["seed", key, "grad_norm"])


@pytest.mark.parametrize(
    ("first", "verdict"),
    [
        (VANISHING_RATIO / 2, "vanishing"),
        (VANISHING_RATIO * 2, "healthy"),
        (1.0, "healthy"),
        (EXPLODING_RATIO * 2, "exploding"),
    ],
)
def test_verdict_thresholds(first, verdict):
    """The verdict follows the documented ratio thresholds (1e-2 and 1e2)."""
    summary = summarize_profile(profile_frame({0: [first, 0.5, 1.0], 1: [first, 2.0, 1.0]}))
    assert summary.verdict == verdict and summary.n_layers == 3 and not summary.diverged
    assert summary.first_last_ratio == pytest.approx(first)
    assert summary.decay_per_layer == pytest.approx(first**0.5)


def test_summary_of_bptt_frame_reads_oldest_step_as_first():
    """For a steps_back frame, 'first' is the oldest step (largest steps_back) and 'last' is steps_back 0."""
    summary = summarize_profile(profile_frame({0: [1.0, 0.1, 1e-4]}, key="steps_back"))
    assert summary.first_last_ratio == pytest.approx(1e-4) and summary.verdict == "vanishing"


def test_summary_flags_non_finite_and_zero_gradients():
    """Overflowed norms set `diverged` (all-NaN ratios read as exploding); all-zero gradients read as vanishing."""
    nan = summarize_profile(profile_frame({0: [math.inf, math.inf], 1: [math.nan, 1.0]}))
    assert nan.diverged and nan.verdict == "exploding"
    zero = summarize_profile(profile_frame({0: [0.0, 0.0]}))
    assert zero.verdict == "vanishing" and zero.first_last_ratio == 0


def test_summary_refuses_mixed_runs():
    """A frame holding two runs (duplicate seed/layer rows) is refused with a message, not silently mixed."""
    df = profile_frame({0: [1.0, 1.0]})
    with pytest.raises(ValueError, match="one row per"):
        summarize_profile(pd.concat([df, df]))


def test_anchor_scales_relative_quantities_only():
    """anchor_theory multiplies grad_norm/sigmoid_bound by the measured top-layer median; act_std is untouched."""
    cfg = MLPConfig(depth=5, seeds=2)
    profile = gradient_profile(cfg)
    theory = theory_profile(cfg)
    anchored = anchor_theory(theory, profile)
    top = profile[profile["layer"] == 5]["grad_norm"].median()
    assert quantity(anchored, GRAD)[5] == pytest.approx(top)
    pd.testing.assert_series_equal(quantity(anchored, ACT_STD), quantity(theory, ACT_STD))
