"""Learn-page figures: the numbers behind each chart match what theory fixes."""

import numpy as np
import pytest

from explainer.learn import figure_data as data
from explainer.learn import figures


def test_sigmoid_derivative_peaks_at_a_quarter_at_zero():
    """σ'(x) = σ(x)(1 − σ(x)) is at most 1/4, reached at x = 0."""
    x = np.linspace(-6, 6, 241)
    _, d = figures.activation("sigmoid", x)
    assert d.max() == pytest.approx(0.25)
    assert x[d.argmax()] == pytest.approx(0.0)


def test_tanh_derivative_is_one_only_at_zero():
    """tanh'(x) = 1 − tanh²(x) equals 1 at 0 and is strictly below 1 elsewhere."""
    x = np.linspace(-6, 6, 241)
    _, d = figures.activation("tanh", x)
    assert d[x == 0] == pytest.approx(1.0)
    assert (d[x != 0] < 1).all()


def test_activation_derivatives_match_finite_differences():
    """Every analytic derivative agrees with a central difference away from kinks."""
    x = np.array([-3.0, -1.2, -0.3, 0.4, 1.7, 4.0])
    h = 1e-6
    for name in figures.ACTIVATIONS:
        _, d = figures.activation(name, x)
        num = (figures.activation(name, x + h)[0] - figures.activation(name, x - h)[0]) / (2 * h)
        np.testing.assert_allclose(d, num, rtol=1e-5, atol=1e-7, err_msg=name)


def test_activation_curves_frame_is_long_form():
    """The shared frame has columns x, value, function, kind with kind in {f, f'} and x over [-6, 6]."""
    df = figures.activation_curves_frame(["sigmoid", "relu"])
    assert list(df.columns) == ["x", "value", "function", "kind"]
    assert set(df["kind"]) == {"f", "f'"}
    assert set(df["function"]) == {"sigmoid", "ReLU"}
    assert df["x"].min() == -6 and df["x"].max() == 6


def test_activation_curves_chart_serialises():
    """activation_curves_chart returns an Altair spec with the colour by function and dash by kind."""
    spec = figures.activation_curves_chart(["tanh", "gelu"]).to_dict()
    assert spec["encoding"]["color"]["field"] == "function"
    assert spec["encoding"]["strokeDash"]["field"] == "kind"


def test_unknown_activation_is_a_clear_error():
    """An unknown name raises ValueError naming the valid choices."""
    with pytest.raises(ValueError, match="choose from"):
        figures.activation_curves_frame(["swishy"])


def test_gelu_derivative_extremes():
    """GELU' = Φ + xφ peaks at x = √2 with ≈ 1.129 and dips to ≈ −0.129 at −√2 (numbers quoted on the page)."""
    _, d = figures.activation("gelu", np.array([np.sqrt(2), -np.sqrt(2)]))
    assert d[0] == pytest.approx(1.1289, abs=1e-4) and d[1] == pytest.approx(-0.1289, abs=1e-4)


def test_every_registered_figure_builds_with_alt_text():
    """Each FIGURES entry returns a serialisable Vega-Lite spec with data, and has a sentence of alt text."""
    for name, fig in figures.FIGURES.items():
        spec = fig.build().to_dict()
        assert spec.get("datasets") or spec.get("data"), name
        assert len(fig.alt) > 40 and fig.alt.endswith("."), name


def test_variance_propagation_matches_he_analysis():
    """Var[w] = c/n_in multiplies a ReLU layer's variance by c/2: c=1 vanishes, c=2 is level, c=3 explodes."""
    df = data.variance_propagation_frame()
    last = df[df["layer"] == df["layer"].max()].set_index("init")["std"]
    assert last["Var[w] = 1/n_in"] < 1e-3
    assert 0.3 < last["Var[w] = 2/n_in"] < 3
    assert last["Var[w] = 3/n_in"] > 100


def test_matrix_products_orthogonal_preserves_norm():
    """Orthogonal products keep a unit vector's norm at 1; ±10 % Gaussian scale drifts by orders of magnitude."""
    df = data.matrix_product_frame()
    end = df[df["matrices"] == 100].set_index("weights")["norm"]
    assert end["orthogonal"] == pytest.approx(1.0)
    assert end["Gaussian, std 0.9/√n"] < 1e-3 and end["Gaussian, std 1.1/√n"] > 1e3


def test_residual_paths_never_vanish():
    """Residual stacks keep the gradient ≥ its starting norm; a plain stack with Var = 1/n vanishes."""
    df = data.residual_gradient_frame()
    by = df.groupby("network")["norm"]
    assert by.min()["residual, branch × 1/√L"] >= 1.0 and by.max()["residual, branch × 1/√L"] < 3
    assert by.last()["plain, Var[w] = 1/n"] < 1e-6


def test_clipping_geometry():
    """Clip-by-norm lands on the circle with the same angle; clip-by-value lands at (1, 1), at 45°."""
    _, vec = data.clipping_geometry((3.0, 1.2), 1.0)
    g, by_norm, by_value = vec.to_dict("records")
    assert by_norm["length"] == pytest.approx(1.0) and by_norm["angle_deg"] == g["angle_deg"]
    assert (by_value["x"], by_value["y"]) == (1.0, 1.0) and by_value["angle_deg"] == 45.0


def test_batchnorm_moves_sigmoid_inputs_out_of_saturation():
    """Normalizing N(3, 2²) inputs raises the mean sigmoid slope from ≈ 0.08 to ≈ 0.21 (the page's caption)."""
    before, after = data.mean_sigmoid_slope()
    assert before == pytest.approx(0.08, abs=0.01) and after == pytest.approx(0.21, abs=0.01)
