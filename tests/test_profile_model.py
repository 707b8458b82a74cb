"""profile_model and track on user-defined nn.Modules: numbers equal plain autograd, verdicts, no state left."""

from __future__ import annotations

import copy
import math

import pytest
import torch
from torch import nn

from explainer.experiments import MLPConfig, gradient_profile, profile_model, summarize_profile, track
from explainer.experiments.mlp import build_mlp
from explainer.experiments.models import TORCH_MODULES


class Block(nn.Module):
    """A ResNet basic block: conv-BN-ReLU-conv-BN, plus the input, then ReLU."""

    def __init__(self, ch: int):
        super().__init__()
        self.conv1, self.bn1 = nn.Conv2d(ch, ch, 3, padding=1, bias=False), nn.BatchNorm2d(ch)
        self.conv2, self.bn2 = nn.Conv2d(ch, ch, 3, padding=1, bias=False), nn.BatchNorm2d(ch)
        self.relu = nn.ReLU()

    def forward(self, x):
        return self.relu(x + self.bn2(self.conv2(self.relu(self.bn1(self.conv1(x))))))


def small_cnn() -> nn.Module:
    return nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), Block(8), nn.MaxPool2d(2), nn.Flatten(),
                         nn.Dropout(0.1), nn.Linear(8 * 4 * 4, 5))


class Attention(nn.Module):
    """Linear embedding, MultiheadAttention, LayerNorm and a TransformerEncoderLayer, mean-pooled to one output."""

    def __init__(self):
        super().__init__()
        self.embed = nn.Linear(6, 16)
        self.attn = nn.MultiheadAttention(16, 4, batch_first=True)
        self.norm = nn.LayerNorm(16)
        self.layer = nn.TransformerEncoderLayer(16, 2, 32, dropout=0.0, batch_first=True)
        self.head = nn.Linear(16, 1)

    def forward(self, x):
        h = self.embed(x)
        h = self.norm(h + self.attn(h, h, h)[0])
        return self.head(self.layer(h).mean(1))


def plain_grads(model: nn.Module, x, y) -> dict[str, float]:
    """p.grad.norm() of every parameter after a plain forward/backward in train mode (on a copy), dropout drawn
    under seed 0 as profile_model's first seed draws it."""
    ref = copy.deepcopy(model).train()
    torch.manual_seed(0)
    nn.functional.mse_loss(ref(x), y).backward()
    return {n: float(p.grad.norm()) for n, p in ref.named_parameters() if p.grad is not None}


CASES = {
    "conv + batch norm": (small_cnn, lambda: (torch.randn(4, 3, 8, 8), torch.randn(4, 5))),
    "linear + attention + layer norm": (Attention, lambda: (torch.randn(4, 7, 6), torch.randn(4, 1))),
}


@pytest.mark.parametrize("case", CASES)
def test_norms_equal_plain_autograd(case):
    """Every parameter tensor (weights, biases, norm gains, attention projections) gets p.grad.norm() exactly."""
    build, data = CASES[case]
    torch.manual_seed(0)
    model, (x, y) = build(), data()
    df = profile_model(model, (x, y), params="all")
    ref = plain_grads(model, x, y)
    assert set(df["name"]) == set(ref)
    for name, norm in zip(df["name"], df["grad_norm"], strict=True):
        assert math.isclose(norm, ref[name], rel_tol=1e-6), name
    kinds = {n.rsplit(".", 1)[-1] for n in ref}
    assert {"weight", "bias"} <= kinds
    assert case != "linear + attention + layer norm" or {"in_proj_weight", "out_proj.weight"} <= {
        n.split("attn.", 1)[-1] for n in ref}


def test_layers_follow_forward_order_and_activations_follow_their_layer():
    """Layer numbers follow the forward pass; a conv's statistics come from the ReLU that follows it."""
    torch.manual_seed(0)
    df = profile_model(small_cnn(), (torch.randn(4, 3, 8, 8), torch.randn(4, 5)))
    assert df["name"].tolist() == ["0.weight", "2.conv1.weight", "2.conv2.weight", "6.weight"]
    assert df["layer"].tolist() == [1, 2, 3, 4]
    assert df["module"].tolist() == ["1", "2.relu", "2.relu", "6"]
    relu_rows = df[df["module"].str.endswith("relu") | (df["module"] == "1")]
    assert relu_rows["saturated_frac"].between(0, 1).all() and relu_rows["act_mean"].gt(0).all()
    assert math.isnan(df.loc[3, "saturated_frac"])  # the readout: no activation module follows it


def test_matches_the_engine_on_its_own_mlp():
    """On an nn.Sequential holding the engine's weights, every column equals gradient_profile's."""
    cfg = MLPConfig(depth=6, width=16, batch_size=32, seeds=1, activation="tanh", init="xavier_normal")
    p, x, y = build_mlp(cfg)
    layers: list[nn.Module] = []
    for i, w in enumerate([p.w_first[0], *(w[0] for w in p.w_hidden)]):
        lin = nn.Linear(w.shape[1], w.shape[0])
        lin.weight.data.copy_(w.detach())
        lin.bias.data.copy_(p.b_hidden[i, 0].detach())
        layers += [lin, TORCH_MODULES[cfg.activation]()]
    readout = nn.Linear(cfg.width, 1)
    readout.weight.data.copy_(p.w_out[0].detach())
    readout.bias.data.copy_(p.b_out[0].detach())
    ours = profile_model(nn.Sequential(*layers, readout), (x[0], y[0]), nn.MSELoss()).iloc[:-1]  # engine: no readout
    engine = gradient_profile(cfg)
    for col in ("grad_norm", "act_mean", "act_std", "saturated_frac"):
        assert ours[col].to_numpy() == pytest.approx(engine[col].to_numpy(), rel=1e-4, abs=1e-6), col


def deep(activation: str, init=None, depth: int = 30) -> nn.Sequential:
    layers: list[nn.Module] = []
    for _ in range(depth):
        lin = nn.Linear(32, 32)
        if init is not None:
            init(lin.weight)
            nn.init.zeros_(lin.bias)
        layers += [lin, TORCH_MODULES[activation]()]
    return nn.Sequential(*layers, nn.Linear(32, 1))


def test_deep_sigmoid_is_vanishing_and_he_relu_is_healthy():
    """The verdicts theory predicts: a 30-layer sigmoid net vanishes, the same depth with ReLU + He is healthy."""
    batch = (torch.randn(64, 32), torch.randn(64, 1))
    sigmoid = profile_model(lambda: deep("sigmoid"), batch, seeds=4)
    he = lambda w: nn.init.kaiming_normal_(w, nonlinearity="relu")  # noqa: E731
    relu = profile_model(lambda: deep("relu", he), batch, seeds=4)
    assert summarize_profile(sigmoid).verdict == "vanishing"
    assert summarize_profile(relu).verdict == "healthy"


def test_seeds_rebuild_a_factory_and_repeat_exactly():
    """A factory is rebuilt under each seed (different inits); the same seeds give the same numbers again."""
    batch = (torch.randn(16, 32), torch.randn(16, 1))
    a = profile_model(lambda: deep("tanh", depth=4), batch, seeds=[3, 4])
    b = profile_model(lambda: deep("tanh", depth=4), batch, seeds=[3, 4])
    assert a.equals(b)
    assert a["seed"].unique().tolist() == [3, 4]
    first, second = (a[a["seed"] == s]["grad_norm"].to_numpy() for s in (3, 4))
    assert (first != second).all()


def test_callable_batch_gives_a_band_over_batches():
    """With a fixed module, a callable batch draws one batch per seed: the rows differ by seed."""
    torch.manual_seed(0)
    model = deep("relu", depth=3)
    df = profile_model(model, lambda seed: torch.randn(8, 32), seeds=3)
    assert df.groupby("layer")["grad_norm"].nunique().eq(3).all()


def test_frozen_parameters_are_skipped_and_left_frozen():
    """Frozen tensors get no row (their names are in df.attrs), keep requires_grad=False and .grad=None."""
    torch.manual_seed(0)
    model = deep("relu", depth=4)
    for p in model[0].parameters():
        p.requires_grad_(False)
    x, y = torch.randn(8, 32), torch.randn(8, 1)
    df = profile_model(model, (x, y))
    assert "0.weight" not in set(df["name"]) and df.attrs["frozen"] == ["0.weight"]
    assert not model[0].weight.requires_grad and model[0].weight.grad is None
    ref = plain_grads(model, x, y)
    assert dict(zip(df["name"], df["grad_norm"], strict=True)) == pytest.approx({n: ref[n] for n in df["name"]})


def test_parameter_free_model_is_refused_with_a_message():
    """A model with no trainable parameter has nothing to profile: a clear error, not autograd's."""
    with pytest.raises(ValueError, match="no trainable parameter"):
        profile_model(nn.Sequential(nn.ReLU(), nn.Flatten()), torch.randn(2, 3))


def hook_state(model: nn.Module) -> list:
    return [(len(m._forward_hooks), len(m._forward_pre_hooks), len(m._backward_hooks),
             len(m._backward_pre_hooks), m.training) for m in model.modules()]


def test_no_state_left_on_the_model():
    """Hooks, .grad (object identity), train/eval modes, BatchNorm buffers and the global RNG are as before."""
    torch.manual_seed(0)
    model = small_cnn().eval()
    model[2].bn1.train()  # mixed modes must come back as they were
    old_grad = torch.ones_like(model[0].weight)
    model[0].weight.grad = old_grad
    before = hook_state(model)
    buffers = {n: b.clone() for n, b in model.named_buffers()}
    x = torch.randn(4, 3, 8, 8)
    rng = torch.get_rng_state()
    profile_model(model, x, seeds=2)
    assert hook_state(model) == before
    assert model[0].weight.grad is old_grad and bool((old_grad == 1).all())
    assert all(p.grad is None for n, p in model.named_parameters() if n != "0.weight")
    assert all(torch.equal(b, buffers[n]) for n, b in model.named_buffers())
    assert torch.equal(torch.get_rng_state(), rng)


def test_hooks_removed_when_loss_fn_raises():
    """An exception inside loss_fn propagates, and the model is left exactly as it was."""
    torch.manual_seed(0)
    model = small_cnn()
    before = hook_state(model)

    def broken(out, y):
        raise RuntimeError("bad loss")

    with pytest.raises(RuntimeError, match="bad loss"):
        profile_model(model, (torch.randn(2, 3, 8, 8), torch.randn(2, 5)), broken)
    assert hook_state(model) == before
    assert all(p.grad is None for p in model.parameters())


def test_track_records_every_nth_step_with_a_verdict_and_cleans_up():
    """track() during a plain training loop: rows at steps 0, 3, 6, 9, the norms of .grad then, a verdict each."""
    torch.manual_seed(0)
    model = deep("sigmoid", depth=12)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    x, y = torch.randn(32, 32), torch.randn(32, 1)
    seen = {}
    before = hook_state(model)
    with track(model, every=3) as t:
        for step in range(10):
            opt.zero_grad()
            nn.functional.mse_loss(model(x), y).backward()
            seen[step] = float(model[0].weight.grad.norm())
            with torch.no_grad():
                model(x)  # an evaluation pass is not a step
            opt.step()
    df = t.frame()
    assert sorted(df["step"].unique()) == [0, 3, 6, 9]
    first = df[df["name"] == "0.weight"].set_index("step")["grad_norm"]
    assert first.to_dict() == {s: seen[s] for s in (0, 3, 6, 9)}
    assert set(df["verdict"]) == {"vanishing"}
    assert t.verdicts()["verdict"].tolist() == ["vanishing"] * 4
    assert hook_state(model) == before
    assert all(not p._post_accumulate_grad_hooks for p in model.parameters())
