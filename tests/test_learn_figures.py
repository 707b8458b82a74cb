"""Learn-page figures: the numbers behind each chart match what theory fixes."""

import numpy as np
import pytest

from explainer import figures


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
