"""Mixed precision: float16 underflow by layer, loss scaling (fixed, dynamic as GradScaler), bfloat16, and training."""

import numpy as np
import pandas as pd
import pytest
import torch
from pydantic import ValidationError

from explainer.experiments import (
    MLPConfig,
    PrecisionConfig,
    PrecisionTrainConfig,
    gradient_profile,
    precision_profile,
    precision_train,
)
from explainer.experiments.configs import ACTIVATIONS
from explainer.experiments.precision import rounder
from explainer.experiments.run_optim import RunAdam

SMALL = PrecisionConfig(depth=6, width=16, batch_size=16, seeds=2)


@pytest.fixture(scope="module")
def profile() -> pd.DataFrame:
    """The default profile: a depth-10 sigmoid net with PyTorch's default init, 4 seeds, every format."""
    return precision_profile(PrecisionConfig())


def _rows(df: pd.DataFrame, dtype: str, scaling: str) -> pd.DataFrame:
    return df[(df["dtype"] == dtype) & (df["scaling"] == scaling)]


def test_float16_without_scaling_loses_the_early_layers(profile):
    """Stored in float16 with no loss scaling, over 90 % of layers 1-3's gradient entries are exactly 0, every seed."""
    early = _rows(profile, "float16", "none").query("layer <= 3")
    assert (early["zero_frac"] > 0.9).all()


def test_dynamic_loss_scaling_keeps_almost_every_entry(profile):
    """With GradScaler's start scale 2^16 no layer of any seed loses more than 5 % of its entries (layer 1 ~1 %)."""
    dynamic = _rows(profile, "float16", "dynamic")
    assert (dynamic["zero_frac"] < 0.05).all()
    assert (dynamic["scale"] == 2.0**16).all()


def test_bfloat16_has_float32_range_and_loses_nothing(profile):
    """bfloat16 keeps float32's 8 exponent bits: no gradient entry of any layer underflows to zero."""
    assert (_rows(profile, "bfloat16", "none")["zero_frac"] == 0).all()


def test_float32_rows_match_the_plain_engine():
    """The float32 reference runs reproduce gradient_profile's per-layer gradient norms for the same net and seeds."""
    cfg = PrecisionConfig(depth=6, width=16, batch_size=16, seeds=2, activation="tanh", init="xavier_normal")
    ours = _rows(precision_profile(cfg), "float32", "none").reset_index(drop=True)
    plain = gradient_profile(
        MLPConfig(depth=6, width=16, batch_size=16, seeds=2, activation="tanh", init="xavier_normal")
    )
    np.testing.assert_allclose(ours["grad_norm"], plain["grad_norm"], rtol=1e-5)


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_every_activation_runs_and_its_float32_rows_match_the_plain_engine(activation):
    """Each activation the config accepts runs (GELU's derivative reads the pre-activation z, not f(z)), and its
    float32 rows reproduce gradient_profile's per-layer gradient norms."""
    cfg = PrecisionConfig(depth=4, width=16, batch_size=16, seeds=2, activation=activation, init="xavier_normal")
    ours = _rows(precision_profile(cfg), "float32", "none").reset_index(drop=True)
    plain = gradient_profile(MLPConfig(depth=4, width=16, batch_size=16, seeds=2, activation=activation,
                                       init="xavier_normal"))
    np.testing.assert_allclose(ours["grad_norm"], plain["grad_norm"], rtol=1e-4)


def test_scaled_float16_gradients_unscale_to_the_float32_ones(profile):
    """Dynamic scaling keeps even layer 1's gradient: its unscaled norm is within 2 % of float32's at every layer."""
    ref = _rows(profile, "float32", "none")["grad_norm"].to_numpy()
    np.testing.assert_allclose(_rows(profile, "float16", "dynamic")["grad_norm"], ref, rtol=0.02)


def test_rounding_is_per_format():
    """The rounder leaves float32 runs alone, flushes 2^-26 to zero and 1e5 to inf in float16 runs, and rounds
    bfloat16 runs to 8 significant bits without underflow (runs are float32, float16 x3, bfloat16; one seed)."""
    t = torch.tensor([[2.0**-26, 1e5, 1.0 + 2.0**-10]] * 5)
    out = rounder(1)(t.clone())
    assert out[0].tolist() == t[0].tolist()
    for row in out[1:4]:
        assert row[0] == 0 and torch.isinf(row[1]) and row[2] == 1.0 + 2.0**-10
    assert out[4, 0] == 2.0**-26 and torch.isfinite(out[4, 1]) and out[4, 2] == 1.0


def test_dynamic_scaler_follows_grad_scaler():
    """Given the same overflow pattern, the dynamic runs' scale sequence equals torch's own GradScaler update
    (torch._amp_update_scale_: backoff 0.5, growth 2, growth_interval); the run grows and also overflows."""
    cfg = PrecisionTrainConfig(model=SMALL, steps=60, growth_interval=5, lr=1e-2)
    run = precision_train(cfg)
    dynamic = run[(run["scaling"] == "dynamic") & (run["seed"] == 0)]
    assert dynamic["skipped"].any() and dynamic["scale"].max() > 2.0**16
    scale, tracker = torch.tensor([2.0**16]), torch.tensor([0], dtype=torch.int32)
    expected = []
    for skipped in dynamic["skipped"]:
        expected.append(scale.item())
        torch._amp_update_scale_(scale, tracker, torch.tensor([float(skipped)]), 2.0, 0.5, 5)
    assert dynamic["scale"].tolist() == expected


def test_skipped_steps_leave_the_weights_alone():
    """After a skipped step the run's first layer has not moved (first_layer_moved repeats at the next step)."""
    run = precision_train(PrecisionTrainConfig(model=SMALL, steps=60, growth_interval=5, lr=1e-2))
    dynamic = run[(run["scaling"] == "dynamic") & (run["seed"] == 0)].reset_index(drop=True)
    for i in dynamic.index[dynamic["skipped"]]:
        if i + 1 < len(dynamic):
            assert dynamic.loc[i + 1, "first_layer_moved"] == dynamic.loc[i, "first_layer_moved"]


def test_float16_without_scaling_freezes_layer_one_during_training():
    """Default training: float16 without scaling stores an all-zero layer-1 gradient at every step, so layer 1 never
    moves; float32 and dynamic scaling move it by the same amount (Adam normalises tiny gradients)."""
    run = precision_train(PrecisionTrainConfig())
    last = run[run["step"] == run["step"].max()].set_index(["dtype", "scaling", "seed"]).sort_index()
    last = last["first_layer_moved"]
    assert (last.loc[("float16", "none")] == 0).all()
    assert (last.loc[("float32", "none")] > 1e-3).all()
    np.testing.assert_allclose(last.loc[("float16", "dynamic")], last.loc[("float32", "none")], rtol=0.05)
    assert (run[(run["dtype"] == "float16") & (run["scaling"] == "none")]["zero_frac_first"] == 1).all()


def test_runners_are_deterministic():
    """Profile and training twice with the same config give identical frames."""
    pd.testing.assert_frame_equal(precision_profile(SMALL), precision_profile(SMALL))
    cfg = PrecisionTrainConfig(model=SMALL, steps=8)
    pd.testing.assert_frame_equal(precision_train(cfg), precision_train(cfg))


def test_run_adam_skips_inactive_runs():
    """A run marked inactive keeps its weights, moments and step count: after steps (on, off, on) it equals
    torch.optim.Adam stepped twice with the first and third gradients."""
    torch.manual_seed(1)
    start, grads = torch.randn(2, 3), [torch.randn(2, 3) for _ in range(3)]
    ours = start.clone()
    opt = RunAdam([ours], [0])
    for g, on in zip(grads, [True, False, True], strict=True):
        ours.grad = g.clone()
        opt.step(torch.tensor([0.1, 0.1]), torch.tensor([True, on]))
    ref = start[1].clone().requires_grad_()
    adam = torch.optim.Adam([ref], lr=0.1)
    for g in (grads[0], grads[2]):
        ref.grad = g[1].clone()
        adam.step()
    torch.testing.assert_close(ours[1], ref.detach())


@pytest.mark.parametrize(
    "bad",
    [{"depth": 31}, {"fixed_scale": 0.5}, {"init_scale": 2.0**25}, {"seeds": 16, "batch_size": 512, "width": 256}],
)
def test_config_refuses_bad_values(bad):
    """Out-of-range depth and scales, and oversize runs, are refused."""
    with pytest.raises(ValidationError):
        PrecisionConfig(**bad)


def test_a_skipped_sgd_step_keeps_the_weights_even_when_the_gradient_overflowed():
    """GradScaler skips a step whose stored gradient holds inf: with SGD the weights must stay as they were
    (inf x a zero learning rate would be NaN). A tanh net whose dynamic scale overflows keeps a finite loss."""
    import math

    from explainer.experiments.configs import PrecisionTrainConfig
    from explainer.experiments.precision_training import precision_train

    cfg = PrecisionTrainConfig(model=dict(depth=6, activation="tanh", init="xavier_normal", seeds=2, fixed_scale=100.0),
                               optimizer="sgd", lr=0.1, growth_interval=5, steps=40)
    df = precision_train(cfg)
    assert df["loss"].map(math.isfinite).all()
