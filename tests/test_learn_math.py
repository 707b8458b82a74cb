"""The formulas the Learn pages state, checked against PyTorch's autograd and implementations."""

import math

import pytest
import torch
from torch import nn


def test_batchnorm_backward_formula():
    """remedy_batchnorm.md: dL/dx_i = (m g_i − Σg − x̂_i Σ g x̂) / (m σ̂), with g = dL/dx̂, matches autograd."""
    torch.manual_seed(0)
    m, eps = 16, 1e-5
    x = (torch.randn(m, dtype=torch.float64) * 2 + 1).requires_grad_(True)
    mu, var = x.mean(), x.var(unbiased=False)
    sigma = torch.sqrt(var + eps)
    x_hat = (x - mu) / sigma
    g = torch.randn(m, dtype=torch.float64)
    (x_hat * g).sum().backward()
    x_hat = x_hat.detach()
    formula = (m * g - g.sum() - x_hat * (g * x_hat).sum()) / (m * sigma.detach())
    assert torch.allclose(x.grad, formula)


def test_xavier_and_he_match_pytorch_bounds():
    """Xavier uniform bound √(6/(n_in+n_out)) and He uniform bound √(6/n_in) are PyTorch's (gain 1 and √2)."""
    n_in, n_out = 300, 100
    w = torch.empty(n_out, n_in)
    nn.init.xavier_uniform_(w)
    assert w.abs().max() <= math.sqrt(6 / (n_in + n_out))
    nn.init.kaiming_uniform_(w, nonlinearity="relu")
    assert w.abs().max() <= math.sqrt(6 / n_in) and w.abs().max() > 0.95 * math.sqrt(6 / n_in)
    assert nn.init.calculate_gain("tanh") == pytest.approx(5 / 3)
    assert nn.init.calculate_gain("sigmoid") == 1


def test_pytorch_default_linear_variance_is_one_third_over_fan_in():
    """remedy_init.md: nn.Linear's default weights have Var = 1/(3 n_in), not He's 2/n_in."""
    torch.manual_seed(0)
    layer = nn.Linear(1000, 1000)
    assert layer.weight.var().item() * 1000 == pytest.approx(1 / 3, rel=0.02)


def test_clip_grad_norm_matches_the_stated_formula():
    """remedy_clipping.md: g ← g·c/‖g‖ when ‖g‖ > c (PyTorch adds 1e-6), over all parameters' global norm."""
    a = torch.zeros(3, requires_grad=True)
    b = torch.zeros(2, requires_grad=True)
    a.grad, b.grad = torch.tensor([3.0, 0.0, 4.0]), torch.tensor([0.0, 12.0])
    total = nn.utils.clip_grad_norm_([a, b], max_norm=1.0)
    assert total.item() == pytest.approx(13.0)
    assert torch.allclose(torch.cat([a.grad, b.grad]), torch.tensor([3.0, 0, 4, 0, 12]) / 13, atol=1e-6)


def test_tanh_is_a_rescaled_sigmoid():
    """vanishing.md: tanh(x) = 2σ(2x) − 1, hence tanh'(x) = 4σ'(2x) ≤ 1."""
    x = torch.linspace(-5, 5, 101, dtype=torch.float64)
    assert torch.allclose(torch.tanh(x), 2 * torch.sigmoid(2 * x) - 1)
    s = torch.sigmoid(2 * x)
    assert torch.allclose(1 - torch.tanh(x) ** 2, 4 * s * (1 - s))
