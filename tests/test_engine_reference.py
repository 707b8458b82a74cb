"""The batched engine equals a per-seed nn.Module + autograd reference (1e-4 relative), for every option."""

import itertools

import pytest
import torch
from torch import nn

from explainer.experiments import (
    ACTIVATIONS,
    CELLS,
    INITS,
    RNN_INITS,
    MLPConfig,
    RNNConfig,
    TrainConfig,
    bptt_profile,
    gradient_profile,
    train_run,
)
from explainer.experiments.mlp import build_mlp
from explainer.experiments.models import TORCH_MODULES, saturated_mask
from explainer.experiments.rnn import build_rnn

RTOL = 1e-4


class ReferenceMLP(nn.Module):
    """One seed of the MLP written the plain PyTorch way, loaded with the engine's initial weights."""

    def __init__(self, cfg: MLPConfig, seed_index: int):
        super().__init__()
        p, _, _ = build_mlp(cfg)
        i = seed_index
        weights = [p.w_first[i], *(w[i] for w in p.w_hidden)]
        self.linears = nn.ModuleList()
        for layer, w in enumerate(weights):
            lin = nn.Linear(w.shape[1], w.shape[0])
            lin.weight.data.copy_(w.detach())
            lin.bias.data.copy_(p.b_hidden[layer, i].detach())
            self.linears.append(lin)
        self.norms = nn.ModuleList(nn.BatchNorm1d(cfg.width) for _ in weights) if cfg.norm == "batch" else None
        self.act = TORCH_MODULES[cfg.activation]()
        self.readout = nn.Linear(cfg.width, 1)
        self.readout.weight.data.copy_(p.w_out[i].detach())
        self.readout.bias.data.copy_(p.b_out[i].detach())
        self.residual = cfg.residual
        self.pre: list[torch.Tensor] = []

    def forward(self, x):
        h = x
        for layer, lin in enumerate(self.linears):
            z = lin(h)
            if self.norms is not None:
                z = self.norms[layer](z)
            self.pre.append(z.detach())
            a = self.act(z)
            h = h + a if self.residual and layer > 0 else a
        return self.readout(h)


def reference_profile(cfg: MLPConfig, seed_index: int):
    """(grad norms, act means, act stds, saturated fractions) per layer for one seed, by autograd."""
    _, x, y = build_mlp(cfg)
    ref = ReferenceMLP(cfg, seed_index)
    loss = ((ref(x[seed_index]) - y[seed_index]) ** 2).mean()
    loss.backward()
    grads = torch.stack([lin.weight.grad.norm() for lin in ref.linears])
    acts = [ref.act(z) for z in ref.pre]
    means = torch.stack([a.mean() for a in acts])
    stds = torch.stack([a.std(correction=0) for a in acts])
    sat = torch.stack([saturated_mask(cfg.activation, z).float().mean() for z in ref.pre])
    return grads, means, stds, sat


def close(ours, ref, rtol=RTOL):
    """Elementwise |ours - ref| <= rtol * |ref|, with an absolute floor far below any printed digit."""
    ours, ref = torch.tensor(ours, dtype=torch.float64), ref.double()
    return bool(((ours - ref).abs() <= rtol * ref.abs() + 1e-30).all())


GRID = list(itertools.product(ACTIVATIONS, INITS, ["none", "batch"], [False, True]))


@pytest.mark.parametrize(("activation", "init", "norm", "residual"), GRID)
def test_mlp_profile_matches_reference(activation, init, norm, residual):
    """Every activation x init x BatchNorm x residual: gradient norms and activation stats match autograd."""
    cfg = MLPConfig(
        depth=4, width=8, batch_size=16, seeds=2, seed=3, activation=activation, init=init, norm=norm, residual=residual
    )
    df = gradient_profile(cfg)
    for i, seed in enumerate((3, 4)):
        grads, means, stds, sat = reference_profile(cfg, i)
        rows = df[df["seed"] == seed].sort_values("layer")
        assert close(rows["grad_norm"].to_numpy(), grads), (seed, rows["grad_norm"].tolist(), grads)
        assert close(rows["act_std"].to_numpy(), stds, 1e-3)
        assert (rows["act_mean"].to_numpy() - means.double().numpy()).__abs__().max() <= 1e-5 * (1 + stds.max().item())
        assert close(rows["saturated_frac"].to_numpy(), sat)


@pytest.mark.parametrize("data", ["gaussian", "spirals"])
def test_mlp_data_and_init_scale_match_reference(data):
    """The spiral inputs (2-D first layer) and an init_scale override go through the same check."""
    cfg = MLPConfig(
        depth=5, width=16, batch_size=32, seeds=2, data=data, init="xavier_normal", init_scale=1.7, activation="tanh"
    )
    df = gradient_profile(cfg)
    for i, seed in enumerate((0, 1)):
        grads, *_ = reference_profile(cfg, i)
        assert close(df[df["seed"] == seed].sort_values("layer")["grad_norm"].to_numpy(), grads)


CELL_MODULES = {"rnn_tanh": "tanh", "rnn_relu": "relu"}


def reference_bptt(cfg: RNNConfig, seed_index: int) -> torch.Tensor:
    """‖∂L/∂h_t‖ for t = T-1..0 of one seed, stepping nn.RNNCell / LSTMCell / GRUCell by hand."""
    p, x, y = build_rnn(cfg)
    i, hid = seed_index, cfg.hidden
    if cfg.cell in CELL_MODULES:
        cell = nn.RNNCell(x.shape[-1], hid, nonlinearity=CELL_MODULES[cfg.cell])
    else:
        cell = (nn.LSTMCell if cfg.cell == "lstm" else nn.GRUCell)(x.shape[-1], hid)
    for name, t in (("weight_ih", p.w_ih), ("weight_hh", p.w_hh), ("bias_ih", p.b_ih), ("bias_hh", p.b_hh)):
        getattr(cell, name).data.copy_(t[i].detach())
    h = torch.zeros(cfg.batch_size, hid)
    c = torch.zeros(cfg.batch_size, hid)
    hs = []
    for xt in x[i]:
        if cfg.cell == "lstm":
            h, c = cell(xt, (h, c))
        else:
            h = cell(xt, h)
        h.retain_grad()
        hs.append(h)
    out = h @ p.w_out[i].detach().T + p.b_out[i].detach()
    ((out - y[i]) ** 2).mean().backward()
    return torch.stack([t.grad.norm() for t in reversed(hs)])


@pytest.mark.parametrize(("cell", "init"), list(itertools.product(CELLS, RNN_INITS)))
def test_bptt_profile_matches_reference(cell, init):
    """Every cell x init: ‖∂L/∂h_t‖ from the batched recurrence equals the per-seed nn.*Cell + autograd one."""
    cfg = RNNConfig(cell=cell, init=init, seq_len=8, hidden=6, batch_size=8, seeds=2, seed=11)
    df = bptt_profile(cfg)
    for i, seed in enumerate((11, 12)):
        ours = df[df["seed"] == seed].sort_values("steps_back")["grad_norm"].to_numpy()
        assert close(ours, reference_bptt(cfg, i))


@pytest.mark.parametrize(
    ("optimizer", "clip", "weight_decay", "norm"),
    [
        ("sgd", "none", 0.0, "none"),
        ("sgd", "norm", 0.01, "batch"),
        ("adam", "value", 0.1, "none"),
        ("adam", "norm", 0.0, "batch"),
    ],
)
def test_train_run_matches_reference_loop(optimizer, clip, weight_decay, norm):
    """A few training steps equal torch's own loop: clip_grad_norm_/clip_grad_value_, SGD/Adam with weight decay."""
    mcfg = MLPConfig(depth=3, width=8, batch_size=16, seeds=2, activation="tanh", init="xavier_uniform", norm=norm)
    cfg = TrainConfig(
        model=mcfg,
        steps=4,
        optimizer=optimizer,
        lr=0.05,
        clip=clip,
        max_norm=0.3,
        clip_value=0.02,
        weight_decay=weight_decay,
    )
    df = train_run(cfg)
    _, x, y = build_mlp(mcfg)
    for i in range(2):
        ref = ReferenceMLP(mcfg, i)
        opt_cls = torch.optim.Adam if optimizer == "adam" else torch.optim.SGD
        opt = opt_cls(ref.parameters(), lr=0.05, weight_decay=weight_decay)
        rows = df[df["seed"] == i].sort_values("step")
        for step in range(4):
            opt.zero_grad()
            loss = ((ref(x[i]) - y[i]) ** 2).mean()
            loss.backward()
            norm_before = torch.nn.utils.get_total_norm([q.grad for q in ref.parameters()])
            if clip == "norm":
                torch.nn.utils.clip_grad_norm_(ref.parameters(), 0.3)
            elif clip == "value":
                torch.nn.utils.clip_grad_value_(ref.parameters(), 0.02)
            norm_after = torch.nn.utils.get_total_norm([q.grad for q in ref.parameters()])
            row = rows.iloc[step]
            assert close([row["loss"]], loss.detach().reshape(1))
            assert close([row["grad_norm"]], norm_before.reshape(1))
            assert close([row["grad_norm_clipped"]], norm_after.reshape(1))
            opt.step()
