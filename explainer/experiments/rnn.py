"""The recurrent experiment: vanilla RNN, LSTM or GRU over a random sequence, every seed in one batched pass.

Task (per seed): inputs x_t ~ N(0, I_4) for t = 0..T-1, h_0 = c_0 = 0; the target is the first feature of
the first input, read from the last hidden state by a linear readout with a squared error. Remembering x_0
is the whole task, so the loss depends on early steps only through gradients that travel back in time.
The LSTM forget-gate (GRU update-gate) bias starts at `forget_bias` (default 1) plus the init's bias.
Cells follow nn.RNNCell / nn.LSTMCell (gates i, f, g, o) / nn.GRUCell (gates r, z, n) exactly, with weights
stacked over seeds: W_ih (S, G·H, I), W_hh (S, G·H, H); one `baddbmm` per step for all seeds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import torch

from explainer.experiments.activations import TANH
from explainer.experiments.configs import RNNConfig
from explainer.experiments.models import init_biases, init_weights
from explainer.experiments.runtime import ensure_runtime
from explainer.experiments.seeding import DATA_STREAM, draw, seed_values, stream

INPUT_SIZE = 4
GATES = {"rnn_tanh": 1, "rnn_relu": 1, "lstm": 4, "gru": 3}


@dataclass
class RNNParams:
    """Stacked trainable tensors of all seeds, in nn.*Cell layout with a leading seed axis."""

    w_ih: torch.Tensor  # (S, G·H, I)
    w_hh: torch.Tensor  # (S, G·H, H)
    b_ih: torch.Tensor  # (S, G·H)
    b_hh: torch.Tensor  # (S, G·H)
    w_out: torch.Tensor  # (S, 1, H)
    b_out: torch.Tensor  # (S, 1)

    def tensors(self) -> list[torch.Tensor]:
        """Every trainable tensor (for optimizers, clipping and weight norms)."""
        return [self.w_ih, self.w_hh, self.b_ih, self.b_hh, self.w_out, self.b_out]

    def seed_axes(self) -> list[int]:
        """Position of the seed axis in each of `tensors()`: always first."""
        return [0] * 6


def _blocks(w: torch.Tensor) -> torch.Tensor:
    """(G, S, H, n) per-gate blocks → (S, G·H, n), the nn.*Cell layout."""
    g, s, h, n = w.shape
    return w.transpose(0, 1).reshape(s, g * h, n)


def build_rnn(cfg: RNNConfig) -> tuple[RNNParams, torch.Tensor, torch.Tensor]:
    """Initialise parameters (requires_grad) and the per-seed inputs x (S, T, B, I) and targets y (S, B, 1).

    pytorch_default is nn.RNN/LSTM/GRU's own: every weight and bias U(±1/sqrt(H)) (init_scale multiplies the
    weights). Other inits apply to each gate block (H x I or H x H) separately, with zero biases.
    """
    seeds, hid, gates = seed_values(cfg), cfg.hidden, GATES[cfg.cell]
    shapes = [(gates, hid, INPUT_SIZE), (gates, hid, hid), (1, 1, hid)]
    # the activation only sets He gains, and no RNN init is He's
    w_ih, w_hh, w_out = init_weights(shapes, seeds, cfg.init, cfg.init_scale, TANH.name)
    if cfg.init == "pytorch_default":  # init_weights used fan_in = I for W_ih; nn.RNN uses 1/sqrt(H) for all
        w_ih = w_ih * math.sqrt(INPUT_SIZE / hid)
    bias_shapes = [(1, gates * hid, hid), (1, gates * hid, hid), (1, 1, hid)]
    b_ih, b_hh, b_out = init_biases(bias_shapes, seeds, cfg.init)
    if cfg.cell in ("lstm", "gru"):  # forget gate f (LSTM order i, f, g, o) / update gate z (GRU order r, z, n)
        b_ih[0][:, hid : 2 * hid] += cfg.forget_bias
    params = RNNParams(
        w_ih=_blocks(w_ih).requires_grad_(),
        w_hh=_blocks(w_hh).requires_grad_(),
        b_ih=b_ih[0].requires_grad_(),
        b_hh=b_hh[0].requires_grad_(),
        w_out=w_out[0].requires_grad_(),
        b_out=b_out[0].requires_grad_(),
    )
    x = draw([stream(s, DATA_STREAM) for s in seeds], (cfg.seq_len, cfg.batch_size, INPUT_SIZE), normal=True)[0]
    return params, x, x[:, 0, :, :1].clone()


def _step(cell: str, gi: torch.Tensor, gh: torch.Tensor, h: torch.Tensor, c: torch.Tensor | None):
    """One time step for all seeds: input part gi, recurrent part gh (both (S, B, G·H)) → (h, c)."""
    if cell == "rnn_tanh":
        return torch.tanh(gi + gh), None
    if cell == "rnn_relu":
        return torch.relu(gi + gh), None
    if cell == "lstm":
        i, f, g, o = (gi + gh).chunk(4, dim=-1)
        c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
        return torch.sigmoid(o) * torch.tanh(c), c
    ir, iz, i_n = gi.chunk(3, dim=-1)
    hr, hz, hn = gh.chunk(3, dim=-1)
    r, z = torch.sigmoid(ir + hr), torch.sigmoid(iz + hz)
    n = torch.tanh(i_n + r * hn)
    return n + z * (h - n), None  # = (1 - z) * n + z * h


def rnn_forward(
    cfg: RNNConfig, p: RNNParams, x: torch.Tensor, y: torch.Tensor, keep: list | None = None
) -> torch.Tensor:
    """Per-seed losses (S,); appends every hidden state h_t (S, B, H), t = 0..T-1, to `keep` if given."""
    s, t, b, _ = x.shape
    gi_all = torch.baddbmm(p.b_ih.unsqueeze(1), x.reshape(s, t * b, -1), p.w_ih.transpose(1, 2))
    gi_all = gi_all.view(s, t, b, -1).unbind(1)
    h = x.new_zeros(s, b, cfg.hidden)
    c = h if cfg.cell == "lstm" else None
    w_hh_t, b_hh = p.w_hh.transpose(1, 2), p.b_hh.unsqueeze(1)
    for gi in gi_all:
        h, c = _step(cfg.cell, gi, torch.baddbmm(b_hh, h, w_hh_t), h, c)
        if keep is not None:
            keep.append(h)
    out = torch.baddbmm(p.b_out.unsqueeze(1), h, p.w_out.transpose(1, 2))
    return (out - y).pow(2).mean(dim=(1, 2))


def bptt_profile(cfg: RNNConfig) -> pd.DataFrame:
    """Gradient of the last-step loss with respect to every hidden state; one row per (seed, steps_back).

    Columns: seed (absolute seed value), steps_back (0 = the last step .. seq_len-1 = the first),
    grad_norm (‖∂L/∂h_t‖ over batch and units: the total derivative through all later steps).
    """
    ensure_runtime()
    params, x, y = build_rnn(cfg)
    hs: list[torch.Tensor] = []
    loss = rnn_forward(cfg, params, x, y, keep=hs).sum()
    grads = torch.autograd.grad(loss, hs)
    with torch.no_grad():
        norms = torch.linalg.vector_norm(torch.stack(grads[::-1]), dim=(2, 3))  # (T, S), steps_back order
    t = cfg.seq_len
    return pd.DataFrame(
        {
            "seed": np.repeat(seed_values(cfg), t),
            "steps_back": np.tile(np.arange(t), cfg.seeds),
            "grad_norm": norms.T.reshape(-1).double().numpy(),
        }
    )
