"""Issue 13: each fact the expert review corrected on the Learn pages, computed with the engine or with torch."""

import math
import re
import warnings

import numpy as np
import pytest
import torch
from torch import nn

from explainer.experiments import MLPConfig, RNNConfig, bptt_profile, gradient_profile, summarize_profile
from explainer.experiments import meanfield as mf
from explainer.learn import parser as cl


def page_text(name: str) -> str:
    """All prose, callouts and display math of one Learn page, as one string."""
    doc = cl.load(name)
    return "\n".join([b.text for b in doc.blocks if isinstance(b, cl.Markdown | cl.Callout)]
                     + [b.body for b in doc.of(cl.Latex)])


def mlp(**kw):
    """Profile and summary of one MLP config (8 seeds, as the lab runs it)."""
    df = gradient_profile(MLPConfig(**kw))
    return df, summarize_profile(df)


def test_deep_tanh_net_with_large_weights_explodes_though_saturated():
    """Error 1: 30 tanh layers with N(0, 1) weights are exploding (ratio ≈ 1.6e9) with ~81 % of units saturated."""
    df, s = mlp(depth=30, activation="tanh", init="large_normal")
    assert s.verdict == "exploding" and 1e9 < s.first_last_ratio < 3e9
    assert round(df["saturated_frac"].mean(), 2) == 0.81
    text = page_text("exploding")
    assert "81%" in text and r"1.6 \times 10^{9}" in text


def test_mean_field_gain_of_tanh_grows_like_sigma_w():
    """χ₁ = σ_w² E[tanh'²] at q*: 1 at σ_w = 1 (no bias), > 1 above, and ≈ 4/(3√(2π)) σ_w for large σ_w."""
    chi = {s: float(mf.chi1("tanh", np.array([s]), np.array([0.0]))[0]) for s in (0.5, 1.0, 2.0, 8.0, 32.0)}
    assert chi[0.5] < 1 and chi[1.0] == pytest.approx(1.0, abs=1e-3) and 1 < chi[2.0] < chi[8.0] < chi[32.0]
    assert chi[32.0] / 32.0 == pytest.approx(4 / (3 * math.sqrt(2 * math.pi)), rel=0.02)


def test_bigger_sigmoid_weights_trade_vanishing_for_exploding():
    """Error 2: sigmoid depth 30: Xavier underflows to 0, N(0,1) gives ≈ 2.3e-3, N(0, 2²) explodes (≈ 1e2)."""
    _, xavier = mlp(depth=30, activation="sigmoid", init="xavier_normal")
    _, large = mlp(depth=30, activation="sigmoid", init="large_normal")
    _, larger = mlp(depth=30, activation="sigmoid", init="large_normal", init_scale=2.0)
    assert xavier.first_last_ratio < 1e-10 and xavier.verdict == "vanishing"
    assert 2e-3 < large.first_last_ratio < 3e-3 and large.verdict == "vanishing"
    assert larger.verdict == "exploding" and 1e2 < larger.first_last_ratio < 1e3


def test_sigmoid_critical_scale_is_about_ten():
    """The pages' σ_w ≈ 10 for the sigmoid's edge of chaos (no biases): the mean-field critical line."""
    assert float(mf.critical_sigma_w("sigmoid", np.array([0.0]))[0]) == pytest.approx(10.0, abs=0.5)
    assert r"\sigma_w \approx 10" in page_text("vanishing") and r"\sigma_w \approx 10" in page_text("exploding")


def _bn_loss_and_grad(scale: float) -> tuple[float, torch.Tensor, float]:
    """Loss, ∂L/∂W and ‖W‖ for W = scale·W₀ in front of batch norm (train mode), float64."""
    torch.manual_seed(0)
    x, target = torch.randn(64, 8, dtype=torch.float64), torch.randn(64, 4, dtype=torch.float64)
    w = (scale * torch.randn(4, 8, dtype=torch.float64)).requires_grad_(True)
    out = nn.functional.batch_norm(x @ w.T, None, None, training=True, eps=1e-12)  # ε breaks invariance slightly
    loss = ((out - target) ** 2).mean()
    loss.backward()
    return loss.item(), w.grad, w.detach().norm().item()


@pytest.mark.parametrize("scale", [0.25, 0.5, 4.0])
def test_batchnorm_makes_the_weight_gradient_inversely_proportional_to_the_weight_norm(scale):
    """Error 3: BN(aWx) = BN(Wx), so the loss is unchanged and ∂L/∂(aW) = ∂L/∂W / a: decay raises the gradient."""
    loss_1, grad_1, _ = _bn_loss_and_grad(1.0)
    loss_a, grad_a, _ = _bn_loss_and_grad(scale)
    assert loss_a == pytest.approx(loss_1, rel=1e-9)
    assert torch.allclose(grad_a * scale, grad_1, rtol=1e-6)


def test_effective_learning_rate_of_scale_invariant_weights_is_lr_over_norm_squared():
    """van Laarhoven 2017: an SGD step's size relative to ‖W‖, η‖∂L/∂W‖/‖W‖, grows like 1/‖W‖² in front of BN."""
    relative = {}
    for scale in (1.0, 0.5):
        _, grad, norm = _bn_loss_and_grad(scale)
        relative[scale] = 0.1 * grad.norm().item() / norm
    assert relative[0.5] / relative[1.0] == pytest.approx(4.0, rel=1e-6)


def _slope_table(name: str) -> dict[str, list[str]]:
    """Rows of the page's 'Activation | f'(0) | largest f' | ...' table, keyed by activation name."""
    text = page_text(name)
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    start = next(i for i, r in enumerate(rows) if r.startswith("| Activation | $f'(0)$"))
    table = {}
    for row in rows[start + 1:]:
        cells = [c.strip() for c in row.strip("|").split("|")]
        if len(cells) != 5:
            break
        table[cells[0].split(" (")[0]] = cells
    return table


MODULES = {"sigmoid": nn.Sigmoid(), "tanh": nn.Tanh(), "ReLU": nn.ReLU(), "Leaky ReLU": nn.LeakyReLU(0.01),
           "ELU": nn.ELU(), "GELU": nn.GELU()}


def _first_number(cell: str) -> float:
    return float(re.search(r"-?\d+(\.\d+)?", cell.replace("−", "-")).group())


@pytest.mark.parametrize("page", ["cheatsheet", "remedy_activations"])
def test_slope_tables_match_autograd(page):
    """Where slopes are tabulated, f'(0) and the largest f' are PyTorch's (GELU: 0.5 at 0, peak ≈ 1.129 at √2)."""
    table = _slope_table(page)
    assert set(table) == set(MODULES)
    x = torch.linspace(-10, 10, 200_001, dtype=torch.float64, requires_grad=True)
    for name, module in MODULES.items():
        x.grad = None
        module(x).sum().backward()
        at_zero, peak = x.grad[100_000].item(), x.grad.max().item()
        assert _first_number(table[name][1]) == pytest.approx(at_zero, abs=1e-3), name
        assert _first_number(table[name][2]) == pytest.approx(peak, abs=1e-3), name
    assert x.grad.argmax().item() == pytest.approx(100_000 + math.sqrt(2) * 1e4, abs=2)  # GELU's peak at √2


def test_tanh_slope_at_zero_is_exactly_one():
    """tanh'(0) = 1 (the tables' value): the derivative is at most 1, not below it."""
    x = torch.zeros(1, requires_grad=True)
    torch.tanh(x).sum().backward()
    assert x.grad.item() == 1.0


def _first_adam_step(g: float) -> float:
    p = torch.zeros(1, requires_grad=True)
    opt = torch.optim.Adam([p], lr=1e-3)
    p.grad = torch.tensor([g])
    opt.step()
    return p.abs().item()


def test_adam_hides_small_gradient_magnitudes_until_epsilon():
    """overview.md: Adam's step is ≈ lr for a gradient of 1 or 1e-6 (SGD's differ by 1e6), and shrinks below ε."""
    assert _first_adam_step(1e-6) == pytest.approx(_first_adam_step(1.0), rel=0.02)
    assert _first_adam_step(1e-10) < 0.02 * _first_adam_step(1.0)


def test_spectral_radius_not_the_largest_singular_value_sets_the_long_run_rate():
    """overview.md: for a non-normal W, σ_max bounds one step; ‖W^k‖^(1/k) → ρ(W), which can be far smaller."""
    w = torch.tensor([[0.5, 4.0], [0.0, 0.5]], dtype=torch.float64)
    sigma_max = torch.linalg.matrix_norm(w, 2).item()
    rho = torch.linalg.eigvals(w).abs().max().item()
    rate = torch.linalg.matrix_norm(torch.linalg.matrix_power(w, 400), 2).item() ** (1 / 400)
    assert sigma_max > 4 and rate == pytest.approx(rho, abs=0.02)


def test_grad_scaler_skips_an_overflowed_step_and_halves_the_scale_only_in_update():
    """exploding.md / remedy_clipping.md: scaler.step skips a non-finite step; scaler.update() halves the scale."""
    model = nn.Linear(3, 1)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    scaler = torch.amp.GradScaler("cpu")
    scaler.scale(model(torch.ones(2, 3)).sum()).backward()
    model.weight.grad[0, 0] = float("inf")
    before = model.weight.detach().clone()
    scaler.step(opt)
    assert torch.equal(before, model.weight) and scaler.get_scale() == 2.0**16  # skipped; scale not yet changed
    scaler.update()
    assert scaler.get_scale() == 2.0**15


def test_float16_underflows_small_gradients_and_loss_scaling_keeps_them():
    """A gradient of 1e-8 is 0 in float16; scaled by 2^16 it survives and unscales to ≈ 1e-8; 65504 is the max."""
    g = torch.tensor(1e-8)
    assert g.half().item() == 0.0
    assert (g * 2**16).half().float().item() / 2**16 == pytest.approx(1e-8, rel=1e-2)
    assert torch.finfo(torch.float16).max == 65504 and torch.finfo(torch.bfloat16).max > 3e38


def test_anomaly_detection_does_not_catch_a_forward_nan():
    """exploding.md: detect_anomaly checks backward outputs; log(-1) = nan in the forward pass raises nothing."""
    x = torch.tensor([-1.0, 2.0], requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with torch.autograd.detect_anomaly():
            loss = torch.log(x).sum()
            loss.backward()
    assert loss.isnan() and torch.isfinite(x.grad).all()


def test_lstm_mitigates_vanishing_only_while_the_forget_gate_is_near_one():
    """LSTMs mitigate, not fix: forget bias 0 vanishes like a tanh RNN (< 1e-9 in 50 steps); bias 1 keeps 1e5x more."""
    rnn = summarize_profile(bptt_profile(RNNConfig(cell="rnn_tanh", seq_len=50)))
    closed = summarize_profile(bptt_profile(RNNConfig(cell="lstm", seq_len=50, forget_bias=0.0)))
    opened = summarize_profile(bptt_profile(RNNConfig(cell="lstm", seq_len=50, forget_bias=1.0)))
    assert closed.first_last_ratio < 1e-9 and rnn.first_last_ratio < 1e-9
    assert opened.first_last_ratio > 1e5 * closed.first_last_ratio and opened.verdict == "vanishing"


def _jacobian_singular_values(act: str, gain: float, q: float, depth: int = 32, n: int = 128) -> torch.Tensor:
    torch.manual_seed(0)
    h = torch.randn(n, dtype=torch.float64) * math.sqrt(q)
    jac = torch.eye(n, dtype=torch.float64)
    for _ in range(depth):
        w = nn.init.orthogonal_(torch.empty(n, n, dtype=torch.float64), gain=gain)
        z = w @ h
        h = torch.relu(z) if act == "relu" else torch.tanh(z)
        jac = (((z > 0).double() if act == "relu" else 1 - h**2)[:, None] * w) @ jac
    return torch.linalg.svdvals(jac)


def test_orthogonal_relu_nets_cannot_reach_dynamical_isometry_but_critical_tanh_nets_can():
    """remedy_init.md (Pennington et al. 2017): √2·orthogonal ReLU loses most directions; tanh at σ_w = 1 keeps all."""
    relu = _jacobian_singular_values("relu", math.sqrt(2), q=1.0)
    tanh = _jacobian_singular_values("tanh", 1.0, q=0.01)
    assert (relu < 1e-6 * relu.max()).float().mean() > 0.5
    assert tanh.max() / tanh.min() < 3


def test_a_dead_relu_unit_revives_when_upstream_layers_move_its_inputs():
    """remedy_activations.md: a dead unit's own parameters get zero gradient, yet updates upstream can revive it."""
    torch.manual_seed(0)
    x = torch.rand(64, 3) + 0.5
    first = nn.Linear(3, 3)
    v = torch.ones(3)
    opt = torch.optim.SGD(first.parameters(), lr=0.05)
    dead_pre = lambda: 0.5 - torch.relu(first(x)) @ v  # noqa: E731 (the dead unit: bias 0.5, weights -v, fixed)
    with torch.no_grad():
        first.bias.fill_(1.0)
    assert (dead_pre() < 0).all()  # dead on the whole batch: its weights -v and bias 0.5 get no gradient
    for _ in range(200):
        opt.zero_grad()
        torch.relu(torch.relu(first(x)) @ v).mean().backward()  # another unit's loss moves the first layer
        opt.step()
    assert (dead_pre() > 0).any()


def test_bptt_gradient_of_a_shared_weight_is_a_sum_of_products():
    """interview.md: h_t = w h_{t-1} + x_t gives dh_T/dw = Σ_k w^(T-k) h_{k-1}: a sum over steps of products."""
    xs = torch.tensor([0.3, -1.2, 0.8, 2.0, -0.5], dtype=torch.float64)
    w = torch.tensor(1.3, dtype=torch.float64, requires_grad=True)
    hs = [torch.zeros((), dtype=torch.float64)]
    for x in xs:
        hs.append(w * hs[-1] + x)
    hs[-1].backward()
    steps = len(xs)
    expected = sum(w.item() ** (steps - k) * hs[k - 1].item() for k in range(1, steps + 1))
    assert w.grad.item() == pytest.approx(expected, rel=1e-12)


def test_clipping_below_the_gradient_norm_is_normalized_gradient_descent():
    """remedy_clipping.md: with c below every ‖g‖, each SGD step is lr·c long however small g gets."""
    w = torch.tensor([5.0, -3.0], dtype=torch.float64, requires_grad=True)
    opt, c = torch.optim.SGD([w], lr=0.1), 1e-3
    lengths = []
    for _ in range(5):
        opt.zero_grad()
        (w**2).sum().backward()
        start = w.detach().clone()
        nn.utils.clip_grad_norm_([w], c)
        opt.step()
        lengths.append((w.detach() - start).norm().item())
    assert lengths == pytest.approx([0.1 * c] * 5, rel=1e-6)


def test_batchnorm_without_skip_connections_explodes_at_init():
    """cheatsheet.md (Yang et al. 2019): a 50-layer ReLU + He net with BN and no skips is reported exploding."""
    _, s = mlp(depth=50, activation="relu", init="he_normal", norm="batch")
    assert s.verdict == "exploding"


def test_fan_in_init_keeps_forward_variance_but_not_backward_when_widths_differ():
    """remedy_init.md: Var[w] = 1/n_in gives forward gain 1 but backward gain n_out/n_in: both only if n_in = n_out."""
    torch.manual_seed(0)
    n_in, n_out = 512, 128
    w = torch.randn(n_out, n_in, dtype=torch.float64) / math.sqrt(n_in)
    h, delta = torch.randn(4096, n_in, dtype=torch.float64), torch.randn(4096, n_out, dtype=torch.float64)
    assert (h @ w.T).var().item() == pytest.approx(1.0, rel=0.05)
    assert (delta @ w).var().item() == pytest.approx(n_out / n_in, rel=0.05)


WRONG_CLAIMS = {
    "exploding": ["the **opposite**: the units\nsaturate and the gradients vanish", "LSTMs fix vanishing"],
    "vanishing": ["the slopes collapse instead", "ELU and GELU have slope 1"],
    "remedy_weight_decay": ["never away from it"],
    "cheatsheet": ["trains only with BN removed", "Fixes vanishing, directly: slope 1",
                   "Fixes vanishing through time, directly"],
    "interview": ["They fix *vanishing* through time", "as with large weights or a\nlong RNN"],
    "home": ["as with large weights or a\nlong RNN"],
    "remedy_init": ["**exactly 1**, in the forward pass (activations) and in the backward pass"],
    "remedy_activations": ["its gradient is 0 forever and it never recovers", "The rectifiers sit at 1"],
    "remedy_clipping": ["quietly turns it into a smaller learning\n  rate"],
}


@pytest.mark.parametrize("name", sorted(WRONG_CLAIMS))
def test_the_corrected_claims_are_gone(name):
    """The sentences the review found wrong or imprecise no longer appear on their pages."""
    text = " ".join(cl.content_path(name).read_text(encoding="utf-8").split())  # line breaks do not hide a claim
    for claim in WRONG_CLAIMS[name]:
        assert " ".join(claim.split()) not in text, f"{name}.md still says {claim!r}"
