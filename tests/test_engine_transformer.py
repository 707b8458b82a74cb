"""Transformer blocks: the batched stack against PyTorch's own layers, the init profile, and warm-up in training."""

import numpy as np
import pandas as pd
import pytest
import torch
from pydantic import ValidationError
from torch import nn

from explainer.experiments import (
    TransformerConfig,
    TransformerTrainConfig,
    summarize_profile,
    transformer_profile,
    transformer_train,
)
from explainer.experiments.run_optim import RunAdam
from explainer.experiments.transformer import forward, init_stack, positions, task_batch
from explainer.experiments.transformer_training import schedule

SMALL = TransformerConfig(layers=3, d_model=16, heads=2, seq_len=6, vocab=5, batch_size=4, seeds=2)


def _last_over_first(df: pd.DataFrame) -> pd.Series:
    """Median over seeds of grad_norm(last block) / grad_norm(first block), per placement."""
    wide = df.pivot_table(index=["placement", "seed"], columns="layer", values="grad_norm")
    return (wide[wide.columns.max()] / wide[1]).groupby("placement").median()


def _reference(cfg: TransformerConfig, placement: str, norm_type: str, run: int, p, tokens) -> torch.Tensor:
    """Logits of run `run` from nn.TransformerEncoderLayer blocks holding that run's weights (the textbook model)."""
    d, t = cfg.d_model, cfg.seq_len
    norm = (lambda: nn.RMSNorm(d, eps=1e-5)) if norm_type == "rms" else (lambda: nn.LayerNorm(d, eps=1e-5))
    h = p.emb[run][tokens[run]] + positions(t, d)  # (batch, seq, d)
    mask = nn.Transformer.generate_square_subsequent_mask(t)
    for layer in range(cfg.layers):
        block = nn.TransformerEncoderLayer(
            d, cfg.heads, cfg.ff_mult * d, dropout=0.0, batch_first=True, norm_first=placement == "pre"
        )
        block.norm1, block.norm2 = norm(), norm()
        with torch.no_grad():
            block.self_attn.in_proj_weight.copy_(p.wqkv[layer, run].T)
            block.self_attn.in_proj_bias.zero_()
            block.self_attn.out_proj.weight.copy_(p.wo[layer, run].T)
            block.self_attn.out_proj.bias.zero_()
            block.linear1.weight.copy_(p.w1[layer, run].T)
            block.linear1.bias.copy_(p.b1[layer, run, 0])
            block.linear2.weight.copy_(p.w2[layer, run].T)
            block.linear2.bias.copy_(p.b2[layer, run, 0])
            for k, n in enumerate((block.norm1, block.norm2)):
                n.weight.copy_(p.gain[2 * layer + k, run, 0])
                if norm_type == "layer":
                    n.bias.copy_(p.shift[2 * layer + k, run, 0])
        h = block(h, src_mask=mask, is_causal=True)
    if placement == "pre":
        final = norm()
        with torch.no_grad():
            final.weight.copy_(p.gain[-1, run, 0])
            if norm_type == "layer":
                final.bias.copy_(p.shift[-1, run, 0])
        h = final(h)
    return h.reshape(-1, d) @ p.wout[run] + p.bout[run]


@pytest.mark.parametrize("norm_type", ["layer", "rms"])
@pytest.mark.parametrize("placement", ["post", "pre"])
def test_batched_stack_matches_torch_encoder_layers(placement, norm_type):
    """Every run of the batched stack gives the logits of nn.TransformerEncoderLayer blocks (norm_first for Pre-LN,
    nn.LayerNorm or nn.RMSNorm) holding the same weights, under a causal mask."""
    cfg = SMALL
    placements = [placement] * cfg.seeds
    p = init_stack(cfg, list(range(cfg.seeds)))
    with torch.no_grad():  # non-trivial norm parameters, so gains and shifts are checked too
        p.gain.uniform_(0.5, 1.5)
        p.shift.uniform_(-0.2, 0.2)
    tokens = task_batch([0, 1], 1, cfg.batch_size, cfg.seq_len, cfg.vocab)[0][0]
    with torch.no_grad():
        ours = forward(p, tokens, placements, norm_type, cfg.heads)
        for run in range(cfg.seeds):
            ref = _reference(cfg, placement, norm_type, run, p, tokens)
            torch.testing.assert_close(ours[run], ref, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("norm_type", ["layer", "rms"])
def test_post_ln_gradients_grow_toward_the_output_pre_ln_do_not(norm_type):
    """At initialization (default 12 blocks), the median last/first block gradient ratio of Post-LN is above 1 and
    at least twice Pre-LN's, which is below 1 (Xiong et al. 2020)."""
    ratio = _last_over_first(transformer_profile(TransformerConfig(norm_type=norm_type)))
    assert ratio["post"] > 1 > ratio["pre"]
    assert ratio["post"] > 2 * ratio["pre"]


def test_profile_frame_is_tidy_and_summarizable():
    """One row per (placement, seed, layer); the block norm combines the attention and MLP parts; per placement,
    summarize_profile reads it like an MLP profile."""
    df = transformer_profile(SMALL)
    assert list(df.columns) == ["placement", "seed", "layer", "grad_norm", "attention_grad_norm", "mlp_grad_norm"]
    assert len(df) == 3 * SMALL.seeds * SMALL.layers and not df.duplicated(["placement", "seed", "layer"]).any()
    parts = df["attention_grad_norm"] ** 2 + df["mlp_grad_norm"] ** 2
    np.testing.assert_allclose(df["grad_norm"] ** 2, parts, rtol=1e-5)
    summary = summarize_profile(df[df["placement"] == "pre"][["seed", "layer", "grad_norm"]])
    assert summary.n_layers == SMALL.layers and summary.verdict == "healthy"


def test_profile_is_deterministic_and_seeds_are_independent():
    """The same config twice gives identical frames; seed 1 alone gives the rows it gets beside seed 0."""
    both = transformer_profile(SMALL)
    pd.testing.assert_frame_equal(both, transformer_profile(SMALL))
    alone = transformer_profile(SMALL.model_copy(update={"seed": 1, "seeds": 1}))
    inside = both[both["seed"] == 1].reset_index(drop=True)
    pd.testing.assert_frame_equal(alone, inside, rtol=1e-5, atol=1e-7)


def test_running_max_targets():
    """Targets are the running maximum of each sequence's tokens, and tokens cover 0..vocab-1."""
    tokens, targets = task_batch([3], 2, 64, 7, 5)
    assert tokens.min() == 0 and tokens.max() == 4
    for seq, tgt in zip(tokens.reshape(-1, 7), targets.reshape(-1, 7), strict=True):
        assert tgt.tolist() == [max(seq[: i + 1].tolist()) for i in range(7)]


def test_run_adam_matches_torch_adam_for_each_run():
    """RunAdam with per-run learning rates equals torch.optim.Adam (same betas and eps) run on each slice alone."""
    torch.manual_seed(0)
    start = torch.randn(3, 4, 5)
    grads = [torch.randn(3, 4, 5) for _ in range(6)]
    lrs = torch.tensor([1e-3, 1e-2, 0.1])
    ours = start.clone().requires_grad_()
    opt = RunAdam([ours], [0], betas=(0.9, 0.98), eps=1e-9)
    for g in grads:
        ours.grad = g.clone()
        opt.step(lrs)
    for run in range(3):
        ref = start[run].clone().requires_grad_()
        adam = torch.optim.Adam([ref], lr=float(lrs[run]), betas=(0.9, 0.98), eps=1e-9)
        for g in grads:
            ref.grad = g[run].clone()
            adam.step()
        torch.testing.assert_close(ours[run].detach(), ref.detach(), rtol=1e-5, atol=1e-6)


def test_warmup_schedule_ramps_linearly_then_holds():
    """Warm-up runs use lr·(t+1)/warmup for t < warmup, then lr; runs without warm-up use lr from step 0."""
    cfg = TransformerTrainConfig(steps=20, warmup_steps=4, lr=0.01)
    np.testing.assert_allclose(schedule(cfg, 4)[:6], [0.0025, 0.005, 0.0075, 0.01, 0.01, 0.01])
    np.testing.assert_allclose(schedule(cfg, 0), 0.01)


@pytest.fixture(scope="module")
def default_training() -> pd.DataFrame:
    """The default training run: Post-LN and Pre-LN, with and without warm-up, 3 seeds."""
    return transformer_train(TransformerTrainConfig())


def test_post_ln_needs_warmup_and_pre_ln_does_not(default_training):
    """Final loss (mean of the last 10 steps): every seed's Post-LN run without warm-up ends above its warm-up run,
    the median by over 3x; every Pre-LN run ends below 0.1 with or without warm-up."""
    last = default_training[default_training["step"] >= default_training["step"].max() - 9]
    final = last.groupby(["placement", "warmup_steps", "seed"])["loss"].mean()
    post_cold, post_warm = final.loc[("post", 0)], final.loc[("post", 30)]
    assert (post_cold > post_warm).all()
    assert post_cold.median() > 3 * post_warm.median()
    assert (final.loc["pre"] < 0.1).all()


def test_training_frame_is_tidy(default_training):
    """One row per (placement, warmup_steps, seed, step); finite losses; accuracy within [0, 1]; lr as scheduled."""
    df = default_training
    assert list(df.columns) == ["placement", "warmup_steps", "seed", "step", "lr", "loss", "accuracy"]
    assert len(df) == 2 * 2 * 3 * 120 and not df.duplicated(["placement", "warmup_steps", "seed", "step"]).any()
    assert np.isfinite(df["loss"]).all() and df["accuracy"].between(0, 1).all()
    assert df[df["warmup_steps"] == 0]["lr"].eq(0.01).all()


def test_training_is_deterministic():
    """The same small training config twice gives identical frames."""
    cfg = TransformerTrainConfig(model=SMALL.model_copy(update={"placements": ("post", "none")}), steps=12,
                                 warmup_steps=4)
    pd.testing.assert_frame_equal(transformer_train(cfg), transformer_train(cfg))


@pytest.mark.parametrize(
    "bad",
    [
        {"d_model": 18, "heads": 4},
        {"placements": ("post", "post")},
        {"placements": ()},
        {"norm_type": "batch"},
        {"layers": 25},
        {"seeds": 16, "batch_size": 128, "d_model": 128, "layers": 24},
    ],
)
def test_model_config_refuses_bad_values(bad):
    """Heads that do not divide d_model, repeated or missing placements, unknown norms and oversize stacks."""
    with pytest.raises(ValidationError):
        TransformerConfig(**bad)


def test_train_config_refuses_warmup_past_the_run():
    """A warm-up as long as the run itself is refused, naming both fields."""
    with pytest.raises(ValidationError, match="warmup_steps"):
        TransformerTrainConfig(steps=20, warmup_steps=20)
