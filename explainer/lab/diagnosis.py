"""From an experiment's settings and its measured summary to one suggested remedy: what to change and why.

Pure (no streamlit, no torch). Settings are a flat mapping of URL keys (depth, activation, init, cell, lr, clip,
...), as the lab pages hold them. A remedy is only offered if every key it changes is a control of the page
(`page_keys`), so its "apply & re-run" button can set those controls. Rules follow the standard diagnosis:
saturating activations -> ReLU with He init (Glorot et al. 2011; He et al. 2015); bad init scale -> Xavier/He
(Glorot & Bengio 2010); BatchNorm (Ioffe & Szegedy 2015); skip connections (He et al. 2016); LSTM/GRU gating
for recurrent nets (Hochreiter & Schmidhuber 1997; Cho et al. 2014); clipping by norm for exploding updates
(Pascanu et al. 2013); L2 weight decay for growing weights (Krogh & Hertz 1992).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from explainer.experiments.activations import ACTIVATIONS, RELU, RELU_FAMILY, SATURATING
from explainer.experiments.configs import MLPConfig
from explainer.experiments.summary import WEIGHT_GROWTH, TrainVerdict, Verdict
from explainer.lab.params import kind_specs

LEARN: dict[str, str] = {  # remedy slug -> Learn page url_path
    "activations": "remedy-activations",
    "initialization": "remedy-init",
    "batchnorm": "remedy-batchnorm",
    "residual": "remedy-residual",
    "gating": "remedy-gating",
    "clipping": "remedy-clipping",
    "weight_decay": "remedy-weight-decay",
    "learning_rate": "exploding",
    # the one-pass labs (explainer.lab.diagnosis_onepass)
    "edge_of_chaos": "signal-propagation",
    "warmup": "warmup",
    "pre_ln": "transformers",
    "loss_scaling": "mixed-precision",
}
DEFAULT_ACTIVATION = MLPConfig.model_fields["activation"].default


@dataclass(frozen=True)
class Remedy:
    """A suggested fix: the controls to change (URL key -> value), the Learn page, and a one-sentence reason."""

    slug: str
    label: str
    changes: dict = field(default_factory=dict)
    why: str = ""

    @property
    def learn(self) -> str:
        return LEARN[self.slug]


def matched_init(activation: str) -> str:
    """The textbook init for an activation: He for the ReLU family, Xavier (Glorot) otherwise."""
    return ACTIVATIONS[activation].matched_init


def _mlp_candidates(v: Mapping, verdict: Verdict) -> Iterator[Remedy]:
    act, init, scale = v.get("activation", DEFAULT_ACTIVATION), v.get("init", "pytorch_default"), v.get("init_scale")
    good_init = matched_init(act)
    if verdict == "vanishing":
        if act in SATURATING:
            yield Remedy("activations", "Switch to ReLU with He init", {"activation": RELU.name,
                         "init": RELU.matched_init, "init_scale": None},
                         f"{act}' is at most {ACTIVATIONS[act].peak:g} and near 0 once "
                         "units saturate, so each layer multiplies the gradient by a small factor; ReLU' is 1 "
                         "for active units.")
        if init in ("zeros", "small_normal") or (scale is not None and scale < 0.5) or (
            act in RELU_FAMILY and init not in ("he_normal", "he_uniform", "orthogonal")
        ) or (act in SATURATING and init == "pytorch_default"):
            yield Remedy("initialization", f"Use {_init_name(good_init)} init", {"init": good_init, "init_scale": None},
                         "Weights that are too small shrink the signal by a constant factor per layer; "
                         f"{_init_name(good_init)} init sets Var[w] so that the scale is kept.")
        if v.get("norm", "none") == "none":
            yield Remedy("batchnorm", "Add BatchNorm", {"norm": "batch"},
                         "BatchNorm re-centres and re-scales every pre-activation, so units leave the flat "
                         "(saturated) region and the per-layer factor stays near 1.")
        if not v.get("residual", False):
            yield Remedy("residual", "Add skip connections", {"residual": True},
                         "With h = h + f(h), the Jacobian of each block is I + ∂f/∂h, so the gradient has a path "
                         "that is not multiplied down.")
    elif verdict == "exploding":
        if init == "large_normal" or (scale is not None and scale > 2):
            yield Remedy("initialization", f"Use {_init_name(good_init)} init", {"init": good_init, "init_scale": None},
                         "Weights that are too large multiply the gradient by more than 1 per layer; "
                         f"{_init_name(good_init)} init keeps the per-layer factor near 1.")
        if v.get("norm", "none") == "none":
            yield Remedy("batchnorm", "Add BatchNorm", {"norm": "batch"},
                         "BatchNorm divides each pre-activation by its batch std, which caps the growth per layer.")
        if init not in (good_init, "orthogonal"):
            yield Remedy("initialization", f"Use {_init_name(good_init)} init", {"init": good_init, "init_scale": None},
                         f"{_init_name(good_init)} init matches Var[w] to the activation so the scale is kept.")


def _rnn_candidates(v: Mapping, verdict: Verdict) -> Iterator[Remedy]:
    cell, init, scale = v.get("cell", "rnn_tanh"), v.get("init", "pytorch_default"), v.get("init_scale")
    if verdict == "vanishing" and cell in ("rnn_tanh", "rnn_relu"):
        yield Remedy("gating", "Switch to an LSTM", {"cell": "lstm"},
                     "The LSTM's cell state is updated additively (c_t = f ⊙ c_{t-1} + i ⊙ g), so with forget "
                     "gates near 1 the gradient flows back through time without repeated squashing.")
    if verdict == "vanishing" and (init != "orthogonal" or scale is not None):
        yield Remedy("initialization", "Use orthogonal init", {"init": "orthogonal", "init_scale": None},
                     "Orthogonal recurrent weights have all singular values 1, so the recurrent matrix itself "
                     "neither shrinks nor grows the gradient (Saxe et al. 2014).")
    if verdict == "exploding":
        if init == "large_normal" or (scale is not None and scale > 1):
            yield Remedy("initialization", "Use orthogonal init", {"init": "orthogonal", "init_scale": None},
                         "Recurrent weights with singular values above 1 multiply the gradient at every step; "
                         "orthogonal weights have them all equal to 1.")
        if cell in ("rnn_tanh", "rnn_relu"):
            yield Remedy("gating", "Switch to a GRU", {"cell": "gru"},
                         "A GRU interpolates h_t = (1 − z) ⊙ h_{t-1} + z ⊙ h̃ with bounded gates, which keeps "
                         "the state and its gradient from compounding.")


def _init_name(init: str) -> str:
    return {"he_normal": "He", "xavier_normal": "Xavier"}.get(init, init)


def _usable(candidates: Iterator[Remedy], v: Mapping, page_keys: Collection[str]) -> Remedy | None:
    """First candidate whose keys are all controls of the page and which changes at least one value.

    A change back to None (e.g. init_scale: the init's own value) is dropped when the page has no such control.
    """
    for remedy in candidates:
        changes = {k: val for k, val in remedy.changes.items() if k in page_keys or val is not None}
        if not set(changes) <= set(page_keys):
            continue
        if any(v.get(k) != val for k, val in changes.items()):
            return Remedy(remedy.slug, remedy.label, changes, remedy.why)
    return None


def suggest(values: Mapping, verdict: Verdict, page_keys: Collection[str],
            prefer: tuple[str, ...] = ()) -> Remedy | None:
    """The remedy for a gradient or BPTT profile's verdict (None when healthy or nothing on the page helps).

    `prefer`: remedy slugs the page is about; applicable ones come first (stable order otherwise).
    """
    if verdict == "healthy":
        return None
    candidates = _rnn_candidates(values, verdict) if "cell" in values else _mlp_candidates(values, verdict)
    ranked = sorted(candidates, key=lambda r: prefer.index(r.slug) if r.slug in prefer else len(prefer))
    return _usable(iter(ranked), values, page_keys)


@dataclass(frozen=True)
class TrainFacts:
    """What a training run did: divergence, gradient growth and weight growth (medians across seeds)."""

    n_seeds: int
    n_diverged: int
    first_divergent_step: int | None
    grad_growth: float  # median over non-diverged seeds of max(grad_norm) / grad_norm at the first step (NaN: none)
    weight_growth: float  # median over non-diverged seeds of weight_norm at the last step / at the first step

    @property
    def diverged(self) -> bool:
        return self.n_diverged > 0


def train_facts(df: pd.DataFrame) -> TrainFacts:
    """Summarise a train_run frame (seed, step, loss, grad_norm, grad_norm_clipped, weight_norm, diverged)."""
    seeds = df["seed"].unique()
    hit = df[df["diverged"].astype(bool)]
    ok = df[~df["seed"].isin(hit["seed"])].sort_values("step")  # growth: only seeds that never diverged
    grad, weight = [], []
    for _, g in ok.groupby("seed"):
        g0 = g["grad_norm"].iloc[0]
        grad.append(g["grad_norm"].max() / g0 if g0 > 0 else np.inf)
        w0 = g["weight_norm"].iloc[0]
        weight.append(g["weight_norm"].iloc[-1] / w0 if w0 > 0 else np.nan)
    return TrainFacts(
        n_seeds=len(seeds),
        n_diverged=int(hit["seed"].nunique()),
        first_divergent_step=None if hit.empty else int(hit["step"].min()),
        grad_growth=float(np.median(grad)) if grad else float("nan"),
        weight_growth=float(np.nanmedian(weight)) if weight and not np.all(np.isnan(weight)) else float("nan"),
    )


def training_verdict(facts: TrainFacts) -> TrainVerdict:
    """ "diverged" if any seed hit NaN/inf, "growing" if weights keep growing, else "stable"."""
    if facts.diverged:
        return "diverged"
    if facts.weight_growth > WEIGHT_GROWTH:
        return "growing"
    return "stable"


def suggest_training(values: Mapping, facts: TrainFacts, page_keys: Collection[str]) -> Remedy | None:
    """The remedy for a training run: clip when it diverges, lower the rate if clipping is on, decay growing weights."""

    def candidates() -> Iterator[Remedy]:
        lr = float(values.get("lr", 0.01))
        if facts.diverged and values.get("clip", "none") == "none":
            yield Remedy("clipping", "Clip gradients by norm (max_norm = 1)", {"clip": "norm", "max_norm": 1.0},
                         "Rescaling the whole gradient to norm ≤ max_norm bounds every update, so one huge "
                         "gradient can no longer throw the weights to infinity.")
        if facts.diverged:
            lower = max(lr / 10, kind_specs("train")["lr"].lo)
            yield Remedy("learning_rate", f"Lower the learning rate to {lower:g}", {"lr": lower},
                         "The updates overshoot: a 10x smaller step keeps lr × gradient within the region where "
                         "the loss still decreases.")
        if facts.weight_growth > WEIGHT_GROWTH and float(values.get("weight_decay", 0.0)) < 1e-2:
            yield Remedy("weight_decay", "Add L2 weight decay (λ = 0.01)", {"weight_decay": 1e-2},
                         "The weights keep growing; L2 adds λ·w to each gradient, which pulls them back and "
                         "keeps later gradients from scaling up with them.")

    return _usable(candidates(), values, page_keys)
