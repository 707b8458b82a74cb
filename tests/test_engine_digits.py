"""Digits: real data, a fixed split, the batched nets against nn.Sequential, and remedies beating the baseline."""

import pandas as pd
import pytest
import torch
from pydantic import ValidationError
from torch import nn

from explainer.experiments import DigitsConfig, digits_profile, digits_train, summarize_profile
from explainer.experiments.digits import backward, build, digits_split, forward, seed_losses, variant_config
from explainer.experiments.models import TORCH_MODULES

SMALL = DigitsConfig(depth=4, width=16, batch_size=32, steps=10, eval_every=5, seeds=2)


@pytest.fixture(scope="module")
def default_run() -> pd.DataFrame:
    """The default run: baseline, ReLU + He, BatchNorm and residual, depth 10, 200 steps, 4 seeds."""
    return digits_train(DigitsConfig())


def test_split_is_fixed_disjoint_and_standardised():
    """1,437 training and 360 test images of all ten digits; training pixels have mean 0 (std 1 where not constant);
    the split is the same on every call."""
    x_train, y_train, x_test, y_test = digits_split()
    assert x_train.shape == (1437, 64) and x_test.shape == (360, 64)
    assert set(y_train.tolist()) == set(y_test.tolist()) == set(range(10))
    torch.testing.assert_close(x_train.mean(0), torch.zeros(64), atol=1e-5, rtol=0)
    std = x_train.std(0, unbiased=False)
    torch.testing.assert_close(std[std > 0], torch.ones(int((std > 0).sum())), atol=1e-4, rtol=0)
    digits_split.cache_clear()
    assert torch.equal(digits_split()[3], y_test)


def _sequential(cfg, p, seed: int) -> nn.Module:
    """One seed's net as the textbook nn modules (BatchNorm1d in training mode), holding the batched weights."""
    act = TORCH_MODULES[cfg.activation]
    weights = [p.w_first[seed], *p.w_hidden[:, seed]]
    linears = []
    for layer, w in enumerate(weights):
        lin = nn.Linear(w.shape[1], w.shape[0])
        with torch.no_grad():
            lin.weight.copy_(w)
            lin.bias.copy_(p.b_hidden[layer, seed])
        parts = [lin]
        if p.gamma is not None:
            bn = nn.BatchNorm1d(w.shape[0], eps=1e-5)
            with torch.no_grad():
                bn.weight.copy_(p.gamma[layer, seed])
                bn.bias.copy_(p.beta[layer, seed])
            parts.append(bn)
        linears.append(nn.Sequential(*parts, act()))
    readout = nn.Linear(p.w_out.shape[2], p.w_out.shape[1])
    with torch.no_grad():
        readout.weight.copy_(p.w_out[seed])
        readout.bias.copy_(p.b_out[seed])

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.layers, self.readout = nn.ModuleList(linears), readout

        def forward(self, x):
            h = self.layers[0](x)
            for block in self.layers[1:]:
                h = h + block(h) if cfg.residual else block(h)
            return self.readout(h)

    return Net().train()


@pytest.mark.parametrize("variant", ["baseline", "relu_he", "batchnorm", "residual", "tanh_xavier"])
def test_batched_nets_match_nn_modules(variant):
    """For every variant, each seed's logits and first-layer gradient equal those of the same net built from
    nn.Linear / nn.BatchNorm1d / activation modules with the same weights."""
    cfg = variant_config(SMALL, variant)
    p = build(cfg)
    x_train, y_train, _, _ = digits_split()
    x = torch.stack([x_train[:32], x_train[32:64]])
    y = torch.stack([y_train[:32], y_train[32:64]])
    backward(cfg, p, x, y)
    with torch.no_grad():
        logits = forward(cfg, p, x)
    for seed in range(2):
        net = _sequential(cfg, p, seed)
        out = net(x[seed])
        torch.testing.assert_close(logits[seed], out.detach(), rtol=1e-4, atol=1e-5)
        nn.functional.cross_entropy(out, y[seed]).backward()
        torch.testing.assert_close(p.w_first.grad[seed], net.layers[0][0].weight.grad, rtol=1e-3, atol=1e-9)
    assert seed_losses(logits, y).shape == (2,)


def test_remedies_beat_the_baseline_on_every_seed(default_run):
    """After the default 200 steps, every seed of every remedy has at least 50 points more test accuracy than the
    best baseline seed, which stays near chance (at most 20 %)."""
    final = default_run[(default_run["split"] == "test") & (default_run["step"] == 200)]
    acc = final.groupby(["variant", "seed"])["accuracy"].first()
    best_baseline = acc.loc["baseline"].max()
    assert best_baseline <= 0.2
    for variant in ("relu_he", "batchnorm", "residual"):
        assert (acc.loc[variant] >= best_baseline + 0.5).all(), variant


def test_the_stalled_baseline_had_a_vanishing_profile():
    """At step 0 the baseline's gradient profile is vanishing (first/last layer < 1 %), no remedy's is."""
    profile = digits_profile(DigitsConfig())
    verdicts = {v: summarize_profile(g[["seed", "layer", "grad_norm"]]).verdict for v, g in profile.groupby("variant")}
    assert verdicts["baseline"] == "vanishing"
    assert all(verdicts[v] != "vanishing" for v in ("relu_he", "batchnorm", "residual"))


def test_frame_is_tidy(default_run):
    """One row per (variant, seed, step, split) at steps 0, 20, ..., 200; accuracies within [0, 1]; finite losses."""
    df = default_run
    assert list(df.columns) == ["variant", "seed", "step", "split", "loss", "accuracy"]
    assert sorted(df["step"].unique()) == list(range(0, 201, 20))
    assert len(df) == 4 * 4 * 11 * 2 and not df.duplicated(["variant", "seed", "step", "split"]).any()
    assert df["accuracy"].between(0, 1).all() and df["loss"].notna().all()


def test_runs_are_deterministic():
    """The same config twice gives identical frames."""
    pd.testing.assert_frame_equal(digits_train(SMALL), digits_train(SMALL))


def test_a_seed_alone_matches_the_same_seed_in_a_batch():
    """Seed 1 run alone gives the rows it gets beside seed 0 (its own data stream and init)."""
    both = digits_train(SMALL)
    alone = digits_train(SMALL.model_copy(update={"seed": 1, "seeds": 1}))
    inside = both[both["seed"] == 1].reset_index(drop=True)
    pd.testing.assert_frame_equal(alone, inside, rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize(
    "bad", [{"variants": ()}, {"variants": ("baseline", "baseline")}, {"variants": ("adam",)}, {"depth": 31},
            {"lr": 3.0}, {"seeds": 16, "steps": 3000, "width": 128, "batch_size": 512}],
)
def test_config_refuses_bad_values(bad):
    """Empty, repeated or unknown variants, out-of-range fields and oversize runs are refused."""
    with pytest.raises(ValidationError):
        DigitsConfig(**bad)


def test_digits_table_is_what_scikit_learn_loads():
    """The pixels and labels read from scikit-learn's CSV are exactly `load_digits()`'s data and target."""
    from sklearn.datasets import load_digits

    from explainer.experiments.digits import digits_table

    pixels, labels = digits_table()
    ref = load_digits()
    assert pixels.dtype == ref.data.dtype and (pixels == ref.data).all()
    assert labels.dtype == ref.target.dtype and (labels == ref.target).all()
