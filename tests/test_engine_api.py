"""Public API of explainer.experiments: configs validate, runners return documented tidy frames."""

import pandas as pd
import pytest
from pydantic import ValidationError

from explainer.experiments import (
    ACTIVATIONS,
    CELLS,
    INITS,
    MLPConfig,
    ProfileSummary,
    RNNConfig,
    TrainConfig,
    bptt_profile,
    divergence_steps,
    gradient_profile,
    summarize_profile,
    theory_profile,
    train_run,
)

SMALL = {"depth": 4, "width": 8, "batch_size": 16, "seeds": 2}


def test_allowed_values_are_exposed():
    """The literal tuples list every choice the issue asks for."""
    assert set(ACTIVATIONS) == {"sigmoid", "tanh", "relu", "leaky_relu", "elu", "gelu", "linear"}
    assert {"pytorch_default", "zeros", "small_normal", "large_normal", "orthogonal", "he_normal"} <= set(INITS)
    assert set(CELLS) == {"rnn_tanh", "rnn_relu", "lstm", "gru"}


@pytest.mark.parametrize(
    ("cls", "kwargs", "field", "bound"),
    [
        (MLPConfig, {"depth": 101}, "depth", "100"),
        (MLPConfig, {"depth": 1}, "depth", "2"),
        (MLPConfig, {"width": 3}, "width", "4"),
        (MLPConfig, {"seeds": 65}, "seeds", "64"),
        (MLPConfig, {"init_scale": 0}, "init_scale", "0"),
        (MLPConfig, {"activation": "swish"}, "activation", "sigmoid"),
        (RNNConfig, {"seq_len": 301}, "seq_len", "300"),
        (RNNConfig, {"cell": "transformer"}, "cell", "lstm"),
        (TrainConfig, {"steps": 0}, "steps", "1"),
        (TrainConfig, {"lr": 100.0}, "lr", "10"),
        (TrainConfig, {"clip": "sometimes"}, "clip", "norm"),
    ],
)
def test_bad_values_name_field_and_range(cls, kwargs, field, bound):
    """An out-of-range or unknown value is refused with a message naming the field and the allowed bound."""
    with pytest.raises(ValidationError) as err:
        cls(**kwargs)
    message = str(err.value)
    assert field in message and bound in message


def test_unknown_keys_are_refused():
    """A misspelled URL key is an error, not silently ignored."""
    with pytest.raises(ValidationError, match="depht"):
        MLPConfig(depht=3)


def test_oversized_experiment_names_the_fields():
    """A config too large for the server is refused with the product of the fields to reduce."""
    with pytest.raises(ValidationError, match="seeds x batch_size x depth x width"):
        MLPConfig(depth=100, width=512, batch_size=1024, seeds=64)


def test_overlong_training_names_the_fields():
    """Many steps through a long recurrence are refused, naming steps and seq_len."""
    with pytest.raises(ValidationError, match="steps x seq_len"):
        TrainConfig(model=RNNConfig(seq_len=300, hidden=4, batch_size=8, seeds=1), steps=2000)


def test_train_config_picks_the_model_kind():
    """TrainConfig.model accepts either config; a dict with RNN-only keys becomes an RNNConfig."""
    assert isinstance(TrainConfig(model={"cell": "gru"}).model, RNNConfig)
    assert isinstance(TrainConfig(model=MLPConfig(**SMALL)).model, MLPConfig)


def test_configs_are_frozen_and_hashable():
    """Configs cannot be mutated and can key a cache."""
    cfg = MLPConfig()
    with pytest.raises(ValidationError):
        cfg.depth = 3
    assert hash(cfg) == hash(MLPConfig())


def test_gradient_profile_columns():
    """One row per (seed, layer) with the documented columns; seeds are absolute seed values."""
    df = gradient_profile(MLPConfig(**SMALL, seed=5))
    assert list(df.columns) == ["seed", "layer", "grad_norm", "act_mean", "act_std", "saturated_frac"]
    assert len(df) == 2 * 4 and set(df["seed"]) == {5, 6} and set(df["layer"]) == {1, 2, 3, 4}


def test_bptt_profile_columns():
    """One row per (seed, steps_back), steps_back 0..seq_len-1."""
    df = bptt_profile(RNNConfig(seq_len=6, hidden=4, batch_size=8, seeds=3))
    assert list(df.columns) == ["seed", "steps_back", "grad_norm"]
    assert len(df) == 18 and df["steps_back"].max() == 5


def test_train_run_columns():
    """One row per (seed, step) with loss, both gradient norms, weight norm and the diverged flag."""
    df = train_run(TrainConfig(model=MLPConfig(**SMALL), steps=3))
    assert list(df.columns) == ["seed", "step", "loss", "grad_norm", "grad_norm_clipped", "weight_norm", "diverged"]
    assert len(df) == 6 and not df["diverged"].any()
    assert divergence_steps(df) == {0: None, 1: None}


def test_summary_and_theory_types():
    """summarize_profile returns a ProfileSummary; theory_profile returns a long frame or None."""
    summary = summarize_profile(gradient_profile(MLPConfig(**SMALL)))
    assert isinstance(summary, ProfileSummary) and summary.n_layers == 4
    theory = theory_profile(MLPConfig(**SMALL))
    assert isinstance(theory, pd.DataFrame) and list(theory.columns) == ["layer", "quantity", "predicted"]
    assert theory_profile(RNNConfig()) is None
