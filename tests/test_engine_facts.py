"""Facts that theory fixes hold in the engine's numbers (vanishing, remedies, recurrent decay)."""

import math

import pytest
import torch

from explainer.experiments import MLPConfig, RNNConfig, bptt_profile, gradient_profile, summarize_profile
from explainer.experiments.models import PEAK_DERIVATIVE, derivative


def per_layer(df):
    """Median over seeds of grad_norm, indexed by layer (or steps_back)."""
    key = "layer" if "layer" in df.columns else "steps_back"
    return df.groupby(key)["grad_norm"].median()


@pytest.mark.parametrize(("activation", "peak"), [("sigmoid", 0.25), ("tanh", 1.0)])
def test_derivative_peaks_at_zero(activation, peak):
    """sigmoid' peaks at 1/4 and tanh' at 1, both at z = 0; autograd agrees with the closed form."""
    z = torch.linspace(-6, 6, 12_001, dtype=torch.float64, requires_grad=True)
    d = derivative(activation, z.detach())
    assert d.max().item() == pytest.approx(peak, abs=1e-12)
    assert z[d.argmax()].item() == pytest.approx(0.0, abs=1e-9)
    getattr(torch, activation)(z).sum().backward()
    assert torch.allclose(z.grad, d)
    assert PEAK_DERIVATIVE[activation] == peak


def test_gelu_peak_derivative_constant():
    """The stored gelu peak |f'| is the maximum of the closed-form derivative (≈ 1.1289 at z = √2)."""
    z = torch.linspace(-6, 6, 120_001, dtype=torch.float64)
    d = derivative("gelu", z)
    assert d.max().item() == pytest.approx(PEAK_DERIVATIVE["gelu"], rel=1e-9)
    assert z[d.argmax()].item() == pytest.approx(math.sqrt(2), abs=1e-3)


def test_deep_sigmoid_first_layer_gradient_is_orders_of_magnitude_smaller():
    """Default 20-layer sigmoid net: layer 1 gets < 1e-6 of the last layer's gradient; verdict vanishing."""
    df = gradient_profile(MLPConfig())
    g = per_layer(df)
    assert g[1] < 1e-6 * g[20]
    assert (g.diff().dropna() > 0).all()  # monotone: every layer closer to the output gets more
    summary = summarize_profile(df)
    assert summary.verdict == "vanishing" and summary.decay_per_layer < 0.5


def test_he_init_keeps_relu_gradients_within_a_small_factor():
    """ReLU + He init, 30 layers: the per-layer gradient norms stay within a factor of 10 of each other."""
    g = per_layer(gradient_profile(MLPConfig(depth=30, activation="relu", init="he_normal", seeds=6)))
    assert g.max() / g.min() < 10
    relu_default = per_layer(gradient_profile(MLPConfig(depth=30, activation="relu", seeds=6)))
    assert relu_default.max() / relu_default.min() > 1e6  # the default init, by contrast, vanishes


def test_orthogonal_linear_net_keeps_gradient_norms_constant():
    """A linear net with orthogonal weights (zero biases) has the same gradient norm at every layer."""
    df = gradient_profile(MLPConfig(depth=25, width=32, activation="linear", init="orthogonal", seeds=3))
    for _, rows in df.groupby("seed"):
        norms = rows["grad_norm"].to_numpy()
        assert norms.max() / norms.min() - 1 < 1e-4
    assert (df["act_std"] - 1).abs().max() < 0.1 and (df["saturated_frac"] == 0).all()


def test_residual_connections_keep_first_layer_gradients_alive():
    """Deep sigmoid net: without skips layer 1 gets ~nothing; with skips it keeps >= 1% of the last layer's."""
    plain = summarize_profile(gradient_profile(MLPConfig(depth=30, seeds=4)))
    skip = summarize_profile(gradient_profile(MLPConfig(depth=30, seeds=4, residual=True)))
    assert plain.first_last_ratio < 1e-10 and plain.verdict == "vanishing"
    assert skip.first_last_ratio > 1e-2 and skip.verdict != "vanishing"


def test_batchnorm_rescues_deep_sigmoid_net():
    """BatchNorm keeps each layer's pre-activations at unit scale, and layer 1's gradient stops vanishing."""
    summary = summarize_profile(gradient_profile(MLPConfig(depth=30, seeds=4, norm="batch")))
    assert summary.first_last_ratio > 1e-2


def test_saturated_and_dead_fractions():
    """N(0, 1) weights saturate a large share of sigmoid units (default init: none); He-ReLU has ~half dead."""
    assert gradient_profile(MLPConfig(seeds=2))["saturated_frac"].max() == 0
    assert gradient_profile(MLPConfig(init="large_normal", seeds=2))["saturated_frac"].median() > 0.3
    relu = gradient_profile(MLPConfig(activation="relu", init="he_normal", seeds=2))
    assert 0.35 < relu["saturated_frac"].median() < 0.65


@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_gated_cells_decay_far_slower_than_tanh_rnn(cell):
    """Over 50 steps a tanh RNN's ‖∂L/∂h_t‖ falls >1e3x further than an LSTM's or GRU's (forget bias 1)."""
    tanh = per_layer(bptt_profile(RNNConfig(cell="rnn_tanh", seq_len=50)))
    gated = per_layer(bptt_profile(RNNConfig(cell=cell, seq_len=50)))
    assert gated[49] / gated[0] > 1e3 * (tanh[49] / tanh[0])
    assert summarize_profile(bptt_profile(RNNConfig(cell="rnn_tanh"))).verdict == "vanishing"


def test_orthogonal_recurrence_decays_slower_than_default():
    """Orthogonal W_hh (all singular values 1) carries the tanh RNN's gradient further back than U(±1/√H)."""
    default = per_layer(bptt_profile(RNNConfig(seq_len=30)))
    ortho = per_layer(bptt_profile(RNNConfig(seq_len=30, init="orthogonal")))
    assert ortho[29] / ortho[0] > 100 * default[29] / default[0]


def test_large_recurrent_weights_explode():
    """A relu RNN with N(0, 1) recurrent weights: the oldest step's gradient dwarfs the last one's."""
    summary = summarize_profile(bptt_profile(RNNConfig(cell="rnn_relu", init="large_normal", seq_len=20)))
    assert summary.verdict == "exploding"
