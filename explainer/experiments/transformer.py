"""Transformer blocks, Post-LN vs Pre-LN vs no norm: every placement x seed in one batched pass, and the init profile.

Block l (Vaswani et al. 2017; Xiong et al. 2020, "On Layer Normalization in the Transformer Architecture"), for
each of its two sub-layers F (multi-head self-attention, then a ReLU MLP of width ff_mult x d_model):

    Post-LN: h = N(h + F(h))       Pre-LN: h = h + F(N(h)), and N once more before the readout       none: h = h + F(h)

N is LayerNorm or RMSNorm (written here from F.layer_norm / F.rms_norm with per-run gains, so a stack of runs shares
one kernel call). Runs are a leading batch axis R = placements x seeds (training adds schedules): weights (R, in, out),
activations (R, batch·seq, d_model), one `bmm` per projection. All placements share one graph: each sub-layer
computes N(h) and N(h + F(·)) for every run and `torch.where` keeps what the run's placement uses, so unused
branches get zero gradient. Weights are Glorot-normal (as in Xiong et al.'s analysis), biases 0, norm gains 1,
token embeddings N(0, 1) plus sinusoidal positions; a run of seed s draws what seed s draws alone.

The task (made from a formula, no data files): tokens x_1..x_T uniform in 0..vocab-1; the target at position t is
the running maximum max(x_1..x_t). Attention must look back over the whole prefix, and chance-level loss is known.

What the page should show (init profile, default 12 blocks): per-layer gradient norm of each block's weights at
initialization, x = layer (1 = next to the embedding), y = grad_norm (log scale), one line (median) and band (seeds)
per placement; summary sentence: "At initialization the last block of the Post-LN stack gets a x the gradient of the
first, Pre-LN's last block b x: Post-LN's gradients are largest next to the output (Xiong et al. 2020), so full-size
steps there are too big early in training; that is what warm-up fixes." (a, b: medians of last/first over seeds.)
Without any norm the residual stream grows block by block and every gradient is tens of times larger.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import torch
import torch.nn.functional as F

from explainer.experiments.configs import TransformerConfig
from explainer.experiments.runtime import ensure_runtime
from explainer.experiments.seeding import DATA_STREAM, WEIGHT_STREAM, draw, seed_values, stream

NORM_EPS = 1e-5  # nn.LayerNorm's and a common RMSNorm default
WEIGHTS = ("wqkv", "wo", "w1", "w2")  # the block matrices whose gradient norms are profiled


@dataclass
class Stack:
    """Parameters of R runs (seeds and variants stacked); per-layer tensors are (layers, R, ...)."""

    emb: torch.Tensor  # (R, vocab, d)
    wqkv: torch.Tensor  # (L, R, d, 3d)  queries, keys, values in one matrix
    wo: torch.Tensor  # (L, R, d, d)
    w1: torch.Tensor  # (L, R, d, f)
    b1: torch.Tensor  # (L, R, 1, f)
    w2: torch.Tensor  # (L, R, f, d)
    b2: torch.Tensor  # (L, R, 1, d)
    gain: torch.Tensor  # (2L + 1, R, 1, d): one norm per sub-layer and the final one
    shift: torch.Tensor  # (2L + 1, R, 1, d): LayerNorm's bias (unused by RMSNorm)
    wout: torch.Tensor  # (R, d, vocab)
    bout: torch.Tensor  # (R, 1, vocab)

    def tensors(self) -> list[torch.Tensor]:
        """Every trainable tensor."""
        return [self.emb, self.wqkv, self.wo, self.w1, self.b1, self.w2, self.b2, self.gain, self.shift, self.wout,
                self.bout]

    def run_axes(self) -> list[int]:
        """Position of the run axis in each of `tensors()`."""
        return [0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0]

    def trainable(self, norm_type: str) -> tuple[list[torch.Tensor], list[int]]:
        """The tensors the loss depends on, and their run axes (RMSNorm has no shift)."""
        pairs = [(t, a) for t, a in zip(self.tensors(), self.run_axes(), strict=True)]
        pairs = [(t, a) for t, a in pairs if not (norm_type == "rms" and t is self.shift)]
        return [t for t, _ in pairs], [a for _, a in pairs]


def init_stack(cfg: TransformerConfig, seeds: list[int]) -> Stack:
    """Parameters for one run per entry of `seeds` (a seed may repeat: its runs start identical)."""
    d, f, v, layers = cfg.d_model, cfg.ff_mult * cfg.d_model, cfg.vocab, cfg.layers
    gens = [stream(s, WEIGHT_STREAM) for s in seeds]
    r = len(seeds)

    def glorot(fan_in: int, fan_out: int, count: int = 1) -> torch.Tensor:
        return draw(gens, (fan_in, fan_out), normal=True, count=count).mul_(math.sqrt(2.0 / (fan_in + fan_out)))

    stack = Stack(
        emb=draw(gens, (v, d), normal=True)[0],
        wqkv=glorot(d, 3 * d, layers),
        wo=glorot(d, d, layers),
        w1=glorot(d, f, layers),
        b1=torch.zeros(layers, r, 1, f),
        w2=glorot(f, d, layers),
        b2=torch.zeros(layers, r, 1, d),
        gain=torch.ones(2 * layers + 1, r, 1, d),
        shift=torch.zeros(2 * layers + 1, r, 1, d),
        wout=glorot(d, v)[0],
        bout=torch.zeros(r, 1, v),
    )
    for t in stack.tensors():
        t.requires_grad_()
    return stack


def task_batch(seeds: list[int], steps: int, batch: int, seq_len: int, vocab: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Tokens (steps, S, batch, seq) from each seed's data stream and their running-max targets."""
    gens = [stream(s, DATA_STREAM) for s in seeds]
    tokens = draw(gens, (batch, seq_len), normal=False, count=steps).mul_(vocab).long().clamp_(max=vocab - 1)
    return tokens, tokens.cummax(-1).values


def positions(seq_len: int, d: int) -> torch.Tensor:
    """Sinusoidal position codes (seq_len, d) of Vaswani et al. (2017)."""
    pos = torch.arange(seq_len, dtype=torch.float32).unsqueeze(1)
    angle = pos / 10_000 ** (torch.arange(0, d, 2, dtype=torch.float32) / d)
    out = torch.zeros(seq_len, d)
    out[:, 0::2], out[:, 1::2] = torch.sin(angle), torch.cos(angle[:, : d // 2])
    return out


def _norm(h: torch.Tensor, gain: torch.Tensor, shift: torch.Tensor, norm_type: str) -> torch.Tensor:
    """LayerNorm (normalise, scale, shift) or RMSNorm (divide by the root mean square, scale) over the last axis."""
    if norm_type == "rms":
        return F.rms_norm(h, (h.shape[-1],), eps=NORM_EPS) * gain
    return torch.addcmul(shift, F.layer_norm(h, (h.shape[-1],), eps=NORM_EPS), gain)


def forward(
    p: Stack, tokens: torch.Tensor, placement: list[str], norm_type: str, heads: int
) -> torch.Tensor:
    """Logits (R, batch·seq, vocab) of R runs on tokens (R, batch, seq); placement[r] is run r's norm placement."""
    r, b, t = tokens.shape
    d = p.emb.shape[-1]
    pre = torch.tensor([x == "pre" for x in placement]).view(r, 1, 1)
    post = torch.tensor([x == "post" for x in placement]).view(r, 1, 1)
    flat = tokens.reshape(r, b * t, 1).expand(r, b * t, d)
    h = torch.gather(p.emb, 1, flat) + positions(t, d).repeat(b, 1)
    gains, shifts = p.gain.unbind(0), p.shift.unbind(0)
    wqkv, wo, w1, b1, w2, b2 = (x.unbind(0) for x in (p.wqkv, p.wo, p.w1, p.b1, p.w2, p.b2))

    def attention(x: torch.Tensor, layer: int) -> torch.Tensor:
        qkv = torch.bmm(x, wqkv[layer]).view(r * b, t, 3, heads, d // heads).permute(2, 0, 3, 1, 4)
        mixed = F.scaled_dot_product_attention(qkv[0], qkv[1], qkv[2], is_causal=True)  # (r·b, heads, t, d/heads)
        return torch.bmm(mixed.transpose(1, 2).reshape(r, b * t, d), wo[layer])

    def mlp(x: torch.Tensor, layer: int) -> torch.Tensor:
        return torch.baddbmm(b2[layer], torch.relu(torch.baddbmm(b1[layer], x, w1[layer])), w2[layer])

    for layer in range(len(wqkv)):
        for k, sub in enumerate((attention, mlp)):
            i = 2 * layer + k
            x = torch.where(pre, _norm(h, gains[i], shifts[i], norm_type), h)
            h = h + sub(x, layer)
            h = torch.where(post, _norm(h, gains[i], shifts[i], norm_type), h)
    h = torch.where(pre, _norm(h, gains[-1], shifts[-1], norm_type), h)
    return torch.baddbmm(p.bout, h, p.wout)


def run_losses(logits: torch.Tensor, targets: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Per-run mean cross-entropy (R,) and accuracy (R,) of logits (R, N, vocab) against targets (R, batch, seq)."""
    r, n, v = logits.shape
    ce = F.cross_entropy(logits.reshape(r * n, v), targets.reshape(r * n), reduction="none").view(r, n)
    correct = (logits.argmax(-1) == targets.reshape(r, n)).float()
    return ce.mean(1), correct.mean(1).detach()


def runs(cfg: TransformerConfig) -> tuple[list[str], list[int]]:
    """Placement and seed of every run, placement-major."""
    seeds = seed_values(cfg)
    return [p for p in cfg.placements for _ in seeds], seeds * len(cfg.placements)


def transformer_profile(cfg: TransformerConfig) -> pd.DataFrame:
    """Gradient of each block's weights at initialization; one row per (placement, seed, layer).

    Columns: placement, seed, layer (1 = next to the embedding), grad_norm (Frobenius norm over the block's four
    weight matrices: attention in/out, MLP in/out), attention_grad_norm, mlp_grad_norm. The loss is the mean
    cross-entropy of one batch of the running-max task. Per placement, `summarize_profile` applies.
    """
    ensure_runtime()
    placement, seeds = runs(cfg)
    p = init_stack(cfg, seeds)
    tokens, targets = task_batch(seed_values(cfg), 1, cfg.batch_size, cfg.seq_len, cfg.vocab)
    index = torch.arange(len(seeds)) % cfg.seeds  # run -> seed slot (runs are placement-major)
    loss, _ = run_losses(forward(p, tokens[0][index], placement, cfg.norm_type, cfg.heads), targets[0][index])
    loss.sum().backward()  # runs are independent: each run's weights get its own loss's gradient
    with torch.no_grad():
        sq = {k: getattr(p, k).grad.flatten(2).square().sum(2) for k in WEIGHTS}  # (L, R) each
        attention, mlp = sq["wqkv"] + sq["wo"], sq["w1"] + sq["w2"]
    layers = cfg.layers
    return pd.DataFrame(
        {
            "placement": np.repeat(placement, layers),
            "seed": np.repeat(seeds, layers),
            "layer": np.tile(np.arange(1, layers + 1), len(seeds)),
            "grad_norm": (attention + mlp).sqrt().T.reshape(-1).double().numpy(),
            "attention_grad_norm": attention.sqrt().T.reshape(-1).double().numpy(),
            "mlp_grad_norm": mlp.sqrt().T.reshape(-1).double().numpy(),
        }
    )
