"""What each lab page runs: from the page's settings (flat URL keys) to labelled engine config dicts.

Every page compares a few variants of one network; the variant matching the learner's own settings is the
"focus" (drawn thickest, diagnosed). Labels are the legend names and match explainer.core.palette.SERIES_COLORS.
Pure: config dicts are plain, the views turn them into pydantic configs and cache the runs.
"""

from __future__ import annotations

from collections.abc import Mapping

from explainer.experiments.activations import ACTIVATIONS, NONLINEAR, RELU
from explainer.experiments.configs import (
    CELL_LABELS,
    CLIP_LABELS,
    INIT_LABELS,
    DigitsConfig,
    MLPConfig,
    PhaseConfig,
    PrecisionConfig,
    PrecisionTrainConfig,
    RNNConfig,
    TrainConfig,
    TransformerConfig,
    TransformerTrainConfig,
)
from explainer.lab.params import config_specs

MLP_FIELDS = tuple(config_specs(MLPConfig))
RNN_FIELDS = tuple(config_specs(RNNConfig))
TRAIN_FIELDS = tuple(config_specs(TrainConfig))
BASELINE = "baseline"  # the compare page's unchanged network

ACT_LABELS = {name: spec.label for name, spec in ACTIVATIONS.items()}
NORM_LABELS = {(False, False): "plain", (True, False): "BatchNorm", (False, True): "residual",
               (True, True): "BatchNorm + residual"}

ACTIVATION_SET = NONLINEAR  # the six the page compares (all but linear)
INIT_SET = ("zeros", "small_normal", "large_normal", "xavier_normal", "he_normal", "orthogonal")
CELL_SET = ("rnn_tanh", "lstm", "gru")


def act_label(activation: str) -> str:
    """Legend name of an activation, e.g. "ReLU"."""
    return ACT_LABELS[activation]


def norm_label(v: Mapping) -> str:
    """Legend name of the normalization page's variant matching the settings, e.g. "BatchNorm + residual"."""
    return NORM_LABELS[(v["norm"] == "batch", bool(v["residual"]))]


def mlp_config(v: Mapping, **override) -> dict:
    """MLPConfig fields present in `v`, with overrides; None init_scale is kept (the init's own value)."""
    return {k: v[k] for k in MLP_FIELDS if k in v} | override


def rnn_config(v: Mapping, **override) -> dict:
    return {k: v[k] for k in RNN_FIELDS if k in v} | override


def train_config(v: Mapping, model: Mapping | None = None, **override) -> dict:
    """TrainConfig fields present in `v` plus the nested MLP model."""
    return {"model": dict(model if model is not None else mlp_config(v))} | {
        k: v[k] for k in TRAIN_FIELDS if k in v
    } | override


def _with_focus(names: tuple[str, ...], focus: str) -> tuple[str, ...]:
    return names if focus in names else (*names, focus)


def activation_variants(v: Mapping) -> list[tuple[str, dict]]:
    """The six activations (plus the learner's, if it is "linear") at the page's depth, width and init."""
    return [(ACT_LABELS[a], mlp_config(v, activation=a)) for a in _with_focus(ACTIVATION_SET, v["activation"])]


def init_variants(v: Mapping) -> list[tuple[str, dict]]:
    """Six initialisations (plus the learner's); init_scale applies only to the learner's own init."""
    out = []
    for init in _with_focus(INIT_SET, v["init"]):
        scale = v.get("init_scale") if init == v["init"] else None
        out.append((INIT_LABELS[init], mlp_config(v, init=init, init_scale=scale)))
    return out


def norm_variants(v: Mapping) -> list[tuple[str, dict]]:
    """The same net plain, with BatchNorm, with skip connections, and with both."""
    return [(NORM_LABELS[(bn, res)], mlp_config(v, norm="batch" if bn else "none", residual=res))
            for res in (False, True) for bn in (False, True)]


def cell_variants(v: Mapping) -> list[tuple[str, dict]]:
    """tanh RNN, LSTM and GRU (plus the learner's cell, if it is the ReLU RNN)."""
    return [(CELL_LABELS[c], rnn_config(v, cell=c)) for c in _with_focus(CELL_SET, v["cell"])]


def clip_variants(v: Mapping) -> list[tuple[str, dict]]:
    """The same training run without clipping, clipped by norm and clipped by value."""
    return [(CLIP_LABELS[c], train_config(v, clip=c)) for c in ("none", "norm", "value")]


def decay_ladder(wd: float) -> list[float]:
    """L2 strengths to compare: 0, the learner's λ and 10λ (λ = 0 compares 0, 1e-3 and 1e-2)."""
    lam = wd if wd > 0 else 1e-3
    return sorted({0.0, float(wd), lam, min(10 * lam, 1.0)})


def decay_label(wd: float) -> str:
    return f"λ = {wd:g}"


def decay_variants(v: Mapping) -> list[tuple[str, dict]]:
    return [(decay_label(wd), train_config(v, weight_decay=wd)) for wd in decay_ladder(float(v["weight_decay"]))]


REMEDY_SLUGS = {"non-saturating activation": "activations", "careful init": "initialization",
                "batch norm": "batchnorm", "skip connections": "residual"}  # compare-page label -> remedy slug


def remedy_variants(v: Mapping) -> list[tuple[str, dict]]:
    """The baseline and each remedy switched on alone (variants identical to the baseline are left out)."""
    from explainer.lab.diagnosis import matched_init

    base = mlp_config(v)
    act = v["activation"] if ACTIVATIONS[v["activation"]].relu_like else RELU.name
    changes = [
        ("non-saturating activation", {"activation": act}),
        ("careful init", {"init": matched_init(v["activation"]), "init_scale": None}),
        ("batch norm", {"norm": "batch"}),
        ("skip connections", {"residual": True}),
    ]
    out = [(BASELINE, base)]
    out += [(label, base | change) for label, change in changes if base | change != base]
    return out


# The one-pass labs (phase, transformer, precision, digits): each page runs ONE engine config that computes every
# grid point, placement, format or remedy together; its runner labels the series itself (explainer.views.lab.runs).
PLACEMENT_LABELS = {"post": "Post-LN", "pre": "Pre-LN", "none": "no norm"}
PLACEMENT_SET = ("post", "pre")  # trained side by side; "no norm" joins when it is the learner's own
DIGITS_LABELS = {"baseline": "baseline", "relu_he": "ReLU + He", "batchnorm": "BatchNorm", "residual": "residual",
                 "tanh_xavier": "tanh + Xavier"}
DIGITS_SET = ("baseline", "relu_he", "batchnorm", "residual")


def precision_label(dtype: str, scaling: str) -> str:
    """Legend label of a mixed-precision run: "float16, dynamic scaling", "bfloat16", "float32"."""
    if dtype != "float16":
        return dtype
    return f"{dtype}, {'no' if scaling == 'none' else scaling} scaling"


def _fields(v: Mapping, model) -> dict:
    return {k: v[k] for k in config_specs(model) if k in v}


def phase_config(v: Mapping, **override) -> dict:
    """PhaseConfig fields present in `v` (the focus cell is not an engine field)."""
    return _fields(v, PhaseConfig) | override


def transformer_config(v: Mapping) -> dict:
    """TransformerTrainConfig fields plus the nested stack: Post-LN and Pre-LN (and the learner's, if "none").

    A valid warm-up longer than the run is cut to steps - 1 (the engine needs a step after it); an out-of-range one
    is passed on for the engine to refuse.
    """
    model = _fields(v, TransformerConfig) | {"placements": _with_focus(PLACEMENT_SET, v["placement"])}
    train = _fields(v, TransformerTrainConfig)
    longest = config_specs(TransformerTrainConfig)["warmup_steps"].hi
    if "steps" in train and train["steps"] - 1 < train.get("warmup_steps", 0) <= longest:
        train["warmup_steps"] = train["steps"] - 1
    return {"model": model} | train


def precision_config(v: Mapping) -> dict:
    """PrecisionTrainConfig fields plus the nested PrecisionConfig (every format and scaling runs in it)."""
    model = {k: val for k, val in _fields(v, PrecisionConfig).items() if k != "init_scale"}
    return {"model": model} | _fields(v, PrecisionTrainConfig)


def digits_config(v: Mapping) -> dict:
    """DigitsConfig fields; the baseline and three remedies (plus the learner's variant, if another)."""
    return _fields(v, DigitsConfig) | {"variants": _with_focus(DIGITS_SET, v["variant"])}


def phase_variants(v: Mapping) -> list[tuple[str, dict]]:
    return [(ACT_LABELS[v["activation"]], phase_config(v))]


def transformer_variants(v: Mapping) -> list[tuple[str, dict]]:
    return [("transformer stacks", transformer_config(v))]


def precision_variants(v: Mapping) -> list[tuple[str, dict]]:
    return [("formats", precision_config(v))]


def digits_variants(v: Mapping) -> list[tuple[str, dict]]:
    return [("digits nets", digits_config(v))]
