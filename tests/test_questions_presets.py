"""Predict questions against the real engine: presets are valid configs and every answer key is what the lab shows."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pytest

from questions import load_banks
from questions import presets as vocab
from questions.loader import BUILTIN_DIR

PREDICTS = [q for q in load_banks([BUILTIN_DIR]).questions if q.type == "predict"]


def page_values(page: str, params: dict) -> dict:
    """The settings a lab page runs for a preset URL: the page's defaults overridden by the URL parameters."""
    from explainer.lab.specs import LABS

    return LABS[page].defaults | params


def run(page: str, params: dict) -> pd.DataFrame:
    """Run the engine on exactly the config the lab page builds from this preset URL."""
    from explainer.experiments import MLPConfig, RNNConfig, TrainConfig, bptt_profile, gradient_profile, train_run
    from explainer.lab.specs import LABS
    from explainer.lab.variants import mlp_config, rnn_config, train_config

    values = page_values(page, params)
    kind = LABS[page].kind
    if kind in ONE_PASS:
        return ONE_PASS[kind](values)
    if kind == "rnn":
        return bptt_profile(RNNConfig(**rnn_config(values)))
    if kind == "train":
        cfg = train_config(values)
        return train_run(TrainConfig(**{**cfg, "model": MLPConfig(**cfg["model"])}))
    return gradient_profile(MLPConfig(**mlp_config(values)))


def _phase(values: dict) -> pd.DataFrame:
    """The phase diagram with the preset's cell summary attached (attrs["cell"])."""
    from explainer.experiments import PhaseConfig, phase_diagram
    from explainer.lab.outcomes import phase_cell
    from explainer.lab.variants import phase_config

    df = phase_diagram(PhaseConfig(**phase_config(values)))
    df.attrs["cell"] = phase_cell(df, values["sigma_w"], values["sigma_b"], values["depth"])
    return df


def _transformer(values: dict) -> pd.DataFrame:
    """The training frame labelled as the page labels it: series (placement) and schedule."""
    from explainer.experiments import TransformerTrainConfig, transformer_train
    from explainer.lab.variants import PLACEMENT_LABELS, transformer_config

    df = transformer_train(TransformerTrainConfig(**transformer_config(values)))
    return df.assign(series=df["placement"].map(PLACEMENT_LABELS),
                     schedule=df["warmup_steps"].gt(0).map({False: "no warm-up", True: "warm-up"}))


def _precision(values: dict) -> pd.DataFrame:
    """The init profile of every format, labelled; attrs["facts"]: the preset's own float16 run."""
    from explainer.experiments import PrecisionConfig, precision_profile
    from explainer.lab.outcomes import precision_facts
    from explainer.lab.variants import precision_config, precision_label

    df = precision_profile(PrecisionConfig(**precision_config(values)["model"]))
    df["series"] = [precision_label(d, s) for d, s in zip(df["dtype"], df["scaling"], strict=True)]
    df.attrs["facts"] = precision_facts(df, values["scaling"])
    return df


def _digits(values: dict) -> pd.DataFrame:
    from explainer.experiments import digits_train
    from explainer.experiments.configs import DigitsConfig
    from explainer.lab.variants import DIGITS_LABELS, digits_config

    df = digits_train(DigitsConfig(**digits_config(values)))
    return df.assign(series=df["variant"].map(DIGITS_LABELS))


ONE_PASS = {"phase": _phase, "transformer": _transformer, "precision": _precision, "digits": _digits}


def learned(df: pd.DataFrame, placement: str, schedule: str):
    from explainer.lab.outcomes import transformer_facts

    return transformer_facts(df, placement, schedule)


def digits_accuracy(df: pd.DataFrame, series: str) -> float:
    from explainer.lab.outcomes import digits_facts

    return digits_facts(df, series).accuracy


def layer_medians(df: pd.DataFrame, column: str) -> pd.Series:
    return df.groupby("layer")[column].median()


def step_medians(df: pd.DataFrame, column: str) -> pd.Series:
    return df.groupby("step")[column].median()


def first_over_last(df: pd.DataFrame) -> float:
    g = layer_medians(df, "grad_norm")
    return g.iloc[0] / g.iloc[-1]


def _weight_decay_lowers_norm(df: pd.DataFrame) -> bool:
    baseline = run("lab-weight-decay", {"optimizer": "sgd", "lr": 0.1, "weight_decay": 0.0, "steps": 300})
    return step_medians(df, "weight_norm").iloc[-1] < 0.5 * step_medians(baseline, "weight_norm").iloc[-1]


def _lstm_flatter_than_rnn(df: pd.DataFrame) -> bool:
    rnn = run("lab-recurrent", {"cell": "rnn_tanh", "seq_len": 100})
    at = lambda d, k: d.groupby("steps_back")["grad_norm"].median().loc[k]  # noqa: E731
    return at(df, 50) / at(df, 0) > 1e3 * at(rnn, 50) / at(rnn, 0)


# What the key of each predict question claims, as a check on the engine's frame (norms are float32: 1e-4 slack).
CLAIMS: dict[str, Callable[[pd.DataFrame], bool]] = {
    "ov-predict-sigmoid-depth": lambda df: first_over_last(df) < 1e-10,
    "van-predict-tanh-depth": lambda df: 1e-12 < first_over_last(df) < 1e-3,
    "act-predict-relu-he": lambda df: 0.1 < first_over_last(df) < 10,
    "bn-predict-sigmoid": lambda df: 0.1 < first_over_last(df) < 10,
    "res-predict-sigmoid": lambda df: 1e-4 < first_over_last(df) < 10,
    "init-predict-relu-xavier": lambda df: (s := layer_medians(df, "act_std")).iloc[-1] / s.iloc[0] < 1e-5,
    "init-predict-tanh-small": lambda df: layer_medians(df, "act_std").iloc[-1] < 1e-10
    and df["grad_norm"].max() < 1e-6,
    "init-predict-tanh-large": lambda df: layer_medians(df, "saturated_frac").min() > 0.5,
    "rnn-predict-tanh": lambda df: df.groupby("steps_back")["grad_norm"].median().iloc[-1] < 1e-10,
    "rnn-predict-lstm": _lstm_flatter_than_rnn,
    "exp-predict-high-lr": lambda df: bool(df["diverged"].any()) and df.loc[df["diverged"], "step"].min() <= 5,
    "clip-predict-norm": lambda df: df["grad_norm_clipped"].max() <= 1.0 + 1e-4 and df["grad_norm"].min() > 1.0,
    "clip-predict-value": lambda df: df["grad_norm_clipped"].median() > 0.1,
    "wd-predict-norm": _weight_decay_lowers_norm,
    # issue 14's labs: the page's own outcome functions on the engine's frames
    "phase-predict-tanh-bias": lambda df: (c := df.attrs["cell"]).chi1 < 0.8 and c.summary.first_last_ratio < 1e-2,
    "phase-predict-relu-bias": lambda df: (c := df.attrs["cell"]).summary.verdict == "healthy"
    and abs(c.chi1 - c.sigma_w**2 / 2) < 1e-6,
    "phase-predict-sigmoid-large": lambda df: (c := df.attrs["cell"]).chi1 < 0.6 and c.summary.verdict == "vanishing",
    "tf-predict-postln-no-warmup": lambda df: learned(df, "Post-LN", "no warm-up").verdict == "stalls"
    and learned(df, "Pre-LN", "no warm-up").verdict == "learns",
    "tf-predict-postln-warmup": lambda df: learned(df, "Post-LN", "warm-up").verdict == "learns"
    and learned(df, "Post-LN", "warm-up").accuracy > learned(df, "Post-LN", "no warm-up").accuracy + 0.15,
    "mp-predict-fp16-no-scaling": lambda df: df.attrs["facts"].lost_first > 0.9
    and df.loc[(df["layer"] == 1) & df["series"].isin(["float32", "bfloat16"]), "zero_frac"].max() == 0,
    "mp-predict-dynamic-deep": lambda df: df.attrs["facts"].lost_first > 0.9 and not df.attrs["facts"].overflow,
    "digits-predict-baseline": lambda df: digits_accuracy(df, "baseline") < 0.2
    and min(digits_accuracy(df, s) for s in ("ReLU + He", "BatchNorm", "residual")) > 0.85,
    "digits-predict-tanh-xavier": lambda df: digits_accuracy(df, "tanh + Xavier") > 0.85,
}


def test_every_predict_question_has_an_engine_check():
    """New predict questions in the built-in bank must come with a claim checked here."""
    assert {q.id for q in PREDICTS} == set(CLAIMS)


def test_preset_vocabulary_matches_the_engine():
    """The choices bank authors may use are exactly the engine's Literal values."""
    from explainer.experiments import configs

    assert vocab.CHOICES["activation"] == configs.ACTIVATIONS
    assert vocab.CHOICES["init"] == configs.INITS
    assert vocab.CHOICES["cell"] == configs.CELLS
    assert vocab.CHOICES["norm"] == configs.NORMS
    assert vocab.CHOICES["optimizer"] == configs.OPTIMIZERS
    assert vocab.CHOICES["clip"] == configs.CLIPS
    assert vocab.CHOICES["data"] == configs.DATASETS


@pytest.mark.parametrize("question", PREDICTS, ids=lambda q: q.id)
def test_preset_url_is_accepted_by_its_lab_page(question):
    """The lab page takes every parameter of the preset URL as given: no clamping or "ignored" notice."""
    from urllib.parse import parse_qs, urlsplit

    from explainer.core.urls import check_query
    from explainer.lab.specs import LABS

    query = parse_qs(urlsplit(question.preset.url).query)
    assert check_query(query, LABS[question.preset.page].specs) == []


@pytest.mark.parametrize("question", PREDICTS, ids=lambda q: q.id)
def test_predict_key_matches_the_engine(question):
    """Running the preset through the engine shows what the answer key says (the physics is right)."""
    df = run(question.preset.page, dict(question.preset.params))
    assert CLAIMS[question.id](df), f"{question.id}: key {question.options[question.answer]!r} not shown by engine"
