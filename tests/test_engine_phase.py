"""Phase diagram: mean-field facts (critical points, fixed point, χ₁) and the measured grid against them."""

import math

import numpy as np
import pandas as pd
import pytest
from numpy.polynomial.hermite import hermgauss
from pydantic import ValidationError

from explainer.experiments import PhaseConfig, critical_line, phase_agreement, phase_diagram
from explainer.experiments.meanfield import chi1, critical_sigma_w, fixed_point

SMALL = {"depth": 20, "width": 32, "batch_size": 4, "seeds": 2, "sigma_w_steps": 9, "sigma_b_steps": 5}


@pytest.fixture(scope="module", params=["tanh", "relu", "sigmoid"])
def diagram(request) -> pd.DataFrame:
    """The default grid (21 x 21, depth 30, 2 seeds) of each activation."""
    return phase_diagram(PhaseConfig(activation=request.param))


def test_tanh_without_bias_is_critical_at_unit_weight_scale():
    """tanh, σ_b = 0: the variance map's fixed point is q* = 0 and χ₁ = σ_w² tanh'(0)², so the line is at σ_w = 1."""
    assert critical_sigma_w("tanh", np.array([0.0]))[0] == pytest.approx(1.0, abs=1e-6)


def test_relu_is_critical_at_root_two_for_every_bias_scale():
    """ReLU: E[relu'(z)²] = 1/2 whatever q, so χ₁ = σ_w²/2 and the critical σ_w is √2 for every σ_b."""
    np.testing.assert_allclose(critical_sigma_w("relu", np.linspace(0, 1, 6)), math.sqrt(2), rtol=1e-6)


def test_tanh_critical_line_rises_with_bias_scale():
    """A larger bias variance needs a larger weight scale to reach the edge of chaos (Poole et al. 2016, Fig. 1)."""
    line = critical_sigma_w("tanh", np.linspace(0, 1, 11))
    assert np.all(np.diff(line) > 0)


def test_critical_line_has_unit_chi1_by_an_independent_quadrature():
    """At the root found for (tanh, σ_b = 0.3), iterating the variance map with a Gauss–Hermite rule (accurate at this
    small q*) gives the same q* (to 1e-3: tabulated moments) and χ₁ = 1 to 1e-4: the line is computed, and right."""
    sigma_b = 0.3
    sigma_w = critical_sigma_w("tanh", np.array([sigma_b]))[0]
    nodes, weights = hermgauss(128)
    z, w = math.sqrt(2) * nodes, weights / math.sqrt(math.pi)
    q = 1.0
    for _ in range(5000):
        q = sigma_w**2 * np.sum(w * np.tanh(math.sqrt(q) * z) ** 2) + sigma_b**2
    chi = sigma_w**2 * np.sum(w / np.cosh(math.sqrt(q) * z) ** 4)
    assert q == pytest.approx(fixed_point("tanh", np.array([sigma_w]), np.array([sigma_b]))[0], rel=1e-3)
    assert chi == pytest.approx(1.0, abs=1e-4)


def test_critical_line_frame_spans_the_bias_range():
    """critical_line returns one σ_w per σ_b of the config's range, with χ₁ = 1 on each."""
    line = critical_line(PhaseConfig(activation="tanh"), points=11)
    assert list(line.columns) == ["sigma_b", "sigma_w"] and len(line) == 11
    np.testing.assert_allclose(chi1("tanh", line["sigma_w"].to_numpy(), line["sigma_b"].to_numpy()), 1.0, atol=1e-6)


def test_measured_sign_matches_the_phase_away_from_the_critical_line(diagram):
    """Every cell with |ln χ₁| > 0.25 has a median log10_ratio whose sign is theory's: negative (vanishing) where
    χ₁ < 1, positive (exploding) where χ₁ > 1; and there are many such cells."""
    agree, total = phase_agreement(diagram)
    assert total > 200
    assert agree == total


def test_measured_ratio_tracks_the_mean_field_prediction(diagram):
    """Over the grid, the median measured log ratio follows ½ Σ log₁₀ χ_l (correlation > 0.99, within 1.5 decades)."""
    cells = diagram.groupby(["sigma_w", "sigma_b"]).agg(
        measured=("log10_ratio", "median"), predicted=("predicted_log10_ratio", "first")
    )
    assert np.corrcoef(cells["measured"], cells["predicted"])[0, 1] > 0.99
    assert (cells["measured"] - cells["predicted"]).abs().max() < 1.5


def test_frame_is_tidy_with_one_row_per_cell_and_seed():
    """Columns as documented; one row per (σ_w, σ_b, seed); grid corners are the config's ranges; nothing missing."""
    cfg = PhaseConfig(**SMALL)
    df = phase_diagram(cfg)
    assert list(df.columns) == [
        "sigma_w", "sigma_b", "seed", "log10_ratio", "log10_weight_ratio", "q_star", "chi1", "phase",
        "predicted_log10_ratio",
    ]
    assert len(df) == 9 * 5 * 2 and not df.duplicated(["sigma_w", "sigma_b", "seed"]).any()
    assert (df["sigma_w"].min(), df["sigma_w"].max()) == (0.5, 4.0)
    assert (df["sigma_b"].min(), df["sigma_b"].max()) == (0.0, 1.0)
    assert not df.isna().any().any()


def test_runs_are_deterministic():
    """The same config twice gives identical frames."""
    cfg = PhaseConfig(**SMALL)
    pd.testing.assert_frame_equal(phase_diagram(cfg), phase_diagram(cfg))


def test_a_seed_alone_matches_the_same_seed_in_a_batch():
    """Seed 1 run alone gives the rows it gets inside a 2-seed run (per-seed random streams)."""
    both = phase_diagram(PhaseConfig(**SMALL))
    alone = phase_diagram(PhaseConfig(**{**SMALL, "seeds": 1, "seed": 1}))
    inside = both[both["seed"] == 1].reset_index(drop=True)
    pd.testing.assert_frame_equal(alone, inside, rtol=1e-5)


def test_ratios_beyond_float32_range_are_measured_not_flushed():
    """A depth-50 sigmoid net at σ_w = 0.5 shrinks the error by ~10⁻⁴⁵ (past float32's smallest number); the
    per-layer rescaling still measures it, close to theory."""
    cfg = PhaseConfig(**{**SMALL, "activation": "sigmoid", "depth": 50, "sigma_w_max": 1.0})
    df = phase_diagram(cfg)
    corner = df[(df["sigma_w"] == 0.5) & (df["sigma_b"] == 0.0)]
    assert (corner["log10_ratio"] < -38).all()
    np.testing.assert_allclose(corner["log10_ratio"], corner["predicted_log10_ratio"], atol=1.5)


def test_relu_weight_gradients_stay_balanced_without_bias():
    """ReLU with σ_b = 0 is scale-equivariant: the error ratio spans many decades over σ_w, but the weight-gradient
    ratio stays within half a decade of 1, since growing errors meet equally growing activations."""
    df = phase_diagram(PhaseConfig(**{**SMALL, "activation": "relu"}))
    no_bias = df[df["sigma_b"] == 0.0]
    assert no_bias["log10_ratio"].max() - no_bias["log10_ratio"].min() > 10
    assert no_bias["log10_weight_ratio"].abs().max() < 0.5


@pytest.mark.parametrize(
    "bad",
    [
        {"activation": "relu", "sigma_w_max": 8.0},
        {"sigma_w_min": 3.0, "sigma_w_max": 2.0},
        {"sigma_b_min": 1.0, "sigma_b_max": 0.5},
        {"depth": 51},
        {"activation": "gelu"},
        {"seeds": 8, "width": 256, "batch_size": 64},
    ],
)
def test_config_refuses_bad_values(bad):
    """Out-of-range fields, empty ranges, an overflowing ReLU range and oversize grids are refused."""
    with pytest.raises(ValidationError):
        PhaseConfig(**bad)
