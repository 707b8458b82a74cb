"""One declared spec per lab page: its controls and defaults, the variants it runs, the focus, the prose, the links.

A lab page = a `LabSpec` here + a view (explainer/views/lab/<name>.py) that draws only what differs: its charts.
Defaults show the problem first (the diagnosis then offers the fix) and stay fast on a shared 2-core server
(bench/bench_pages.py times every page at these values). Titles and icons come from the sitemap. Pure data.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

from explainer.core.sitemap import BY_PATH
from explainer.core.urls import ParamSpec
from explainer.experiments.summary import (
    LEARN_VERDICTS,
    PRECISION_VERDICTS,
    TRAIN_VERDICTS,
    VERDICTS,
    WEIGHT_GROWTH,
)
from explainer.lab import variants as v
from explainer.lab.params import kind_specs

# Which engine runner a page's variants go through (explainer.lab.params.KIND_CONFIGS: the configs it fills).
LabKind = Literal["mlp", "rnn", "train", "phase", "transformer", "precision", "digits"]
Variants = list[tuple[str, dict]]
# The verdicts a page's diagnosis can show, hence its predict-first choices.
KIND_VERDICTS: dict[str, tuple[str, ...]] = {
    "train": TRAIN_VERDICTS, "transformer": LEARN_VERDICTS, "digits": LEARN_VERDICTS, "precision": PRECISION_VERDICTS,
}


@dataclass(frozen=True)
class LabSpec:
    """A lab page: `defaults` keys are its controls in display order (the first `main` shown, the rest under More)."""

    url_path: str
    kind: LabKind
    defaults: dict
    main: int
    variants: Callable[[Mapping], Variants]  # settings -> labelled engine config dicts
    focus: Callable[[Mapping], str]  # settings -> legend label of the learner's own variant
    intro: str
    question: str  # the predict-first question
    seeing: str  # the "what you are seeing" note
    learn: str  # Learn page the note links to
    prefer: tuple[str, ...] = ()  # remedy slugs the diagnosis suggests first

    def __post_init__(self) -> None:
        unknown = set(self.defaults) - set(kind_specs(self.kind))
        if unknown or self.url_path not in BY_PATH or self.learn not in BY_PATH:
            raise ValueError(f"{self.url_path}: not engine settings {sorted(unknown)}, or a page not in the sitemap")

    @property
    def title(self) -> str:
        return BY_PATH[self.url_path].title

    @property
    def choices(self) -> tuple[str, ...]:
        """The predict-first choices: the verdicts this page's diagnosis shows."""
        return KIND_VERDICTS.get(self.kind, VERDICTS)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(self.defaults)

    @property
    def specs(self) -> dict[str, ParamSpec]:
        """The URL parameter of each control (bounds and options from the engine's configs)."""
        all_specs = kind_specs(self.kind)
        return {k: all_specs[k] for k in self.defaults}


MLP_SIZE = {"depth": 20, "width": 64}
TRAIN_SIZE = {"depth": 6, "width": 32, "batch_size": 32, "seeds": 8}
VERDICT_QUESTION = "will the first layer's gradient be vanishing, healthy or exploding vs the last?"

LABS: dict[str, LabSpec] = {
    s.url_path: s
    for s in (
        LabSpec(
            "lab-activations", "mlp", {
                "activation": "sigmoid", **MLP_SIZE, "init": "xavier_normal", "init_scale": None, "batch_size": 64,
                "seeds": 8, "data": "gaussian"},
            main=3, variants=v.activation_variants, focus=lambda s: v.act_label(s["activation"]),
            intro="Each activation multiplies the backward signal by its derivative at every layer. Compare how much "
                  "gradient reaches layer 1 from the top layer, and how many units sit where the derivative is ~0.",
            question=f"For your activation, {VERDICT_QUESTION}",
            seeing="Backpropagation multiplies the gradient by W·f'(z) once per layer. σ' never exceeds 0.25, and both "
                   "σ' and tanh' are near 0 for saturated units, so the product shrinks geometrically with depth "
                   "(Hochreiter 1991; Glorot & Bengio 2010). ReLU-family derivatives are 1 for active units (GELU's "
                   "rises from 0.5 at z = 0 to a peak of 1.13), so with a matched init (He et al. 2015) the gradient "
                   "keeps its size; dead ReLUs pass nothing.",
            learn="remedy-activations", prefer=("activations",)),
        LabSpec(
            "lab-init", "mlp", {
                "init": "small_normal", "activation": "tanh", "depth": 20, "init_scale": None, "width": 64,
                "batch_size": 64, "seeds": 8, "data": "gaussian"},
            main=3, variants=v.init_variants, focus=lambda s: v.INIT_LABELS[s["init"]],
            intro="The scale of the initial weights decides whether the signal shrinks, holds or grows from layer to "
                  "layer, forward (activations) and backward (gradients). Dashed lines: what variance propagation "
                  "predicts.",
            question=f"With your init, {VERDICT_QUESTION}",
            seeing="With Var[w] = σ²/fan_in, each layer multiplies the signal's variance by about σ²·E[f'(z)²] "
                   "(backward) and σ²·E[f(z)²]/q (forward). Xavier/Glorot (Var[w] = 2/(fan_in + fan_out), Glorot & "
                   "Bengio 2010) keeps this near 1 for tanh; He/Kaiming (Var[w] = 2/fan_in, He et al. 2015) for ReLU; "
                   "orthogonal weights preserve norms exactly in linear nets (Saxe et al. 2014). Zeros give every unit "
                   "the same value: all gradients below the top layer are exactly 0 and cannot be drawn on a log axis.",
            learn="remedy-init", prefer=("initialization",)),
        LabSpec(
            "lab-normalization", "mlp", {
                "norm": "none", "residual": False, "activation": "sigmoid", **MLP_SIZE, "init": "xavier_normal",
                "init_scale": None, "batch_size": 64, "seeds": 8, "data": "gaussian"},
            main=4, variants=v.norm_variants, focus=v.norm_label,
            intro="The same deep network four ways: plain, with BatchNorm after every hidden linear layer, with skip "
                  "connections, and with both. Watch how much gradient reaches the first layer.",
            question="With your normalization and skip settings, will the first layer's gradient vanish, stay healthy "
                     "or explode?",
            seeing="BatchNorm (Ioffe & Szegedy 2015) standardises each pre-activation over the batch, so units stay in "
                   "the steep part of the activation and each layer's factor stays near 1. A skip connection h + f(h) "
                   "(He et al. 2016) makes each block's Jacobian I + ∂f/∂h: the identity path carries the gradient "
                   "back unshrunk.",
            learn="remedy-batchnorm", prefer=("batchnorm", "residual")),
        LabSpec(
            "lab-recurrent", "rnn", {
                "cell": "rnn_tanh", "seq_len": 50, "hidden": 32, "init": "pytorch_default", "init_scale": None,
                "batch_size": 32, "seeds": 8},
            main=3, variants=v.cell_variants, focus=lambda s: v.CELL_LABELS[s["cell"]],
            intro="The loss reads only the last time step, so its gradient must travel back through every earlier "
                  "step. A plain RNN multiplies it by the recurrent Jacobian at each step; gated cells add an additive "
                  "path.",
            question="For your cell, will the gradient at the first time step be vanishing, healthy or exploding vs "
                     "the last?",
            seeing="Backpropagation through time multiplies ∂h_t/∂h_{t-1} = diag(f'(·))·W_hh once per step, so a plain "
                   "RNN's gradient decays (or grows) geometrically with distance (Bengio et al. 1994; Pascanu et al. "
                   "2013). The LSTM's cell state c_t = f ⊙ c_{t-1} + i ⊙ g (Hochreiter & Schmidhuber 1997) and the "
                   "GRU's interpolation (Cho et al. 2014) give a path whose factor is the forget/update gate, which "
                   "can stay near 1, so the decay is much slower.",
            learn="remedy-gating", prefer=("gating",)),
        LabSpec(
            "lab-clipping", "train", {
                "clip": "none", "max_norm": 1.0, "clip_value": 1.0, "lr": 0.1, "optimizer": "sgd", "steps": 50,
                "activation": "relu", "init": "he_normal", "init_scale": None, **TRAIN_SIZE, "data": "gaussian"},
            main=5, variants=v.clip_variants, focus=lambda s: v.CLIP_LABELS[s["clip"]],
            intro="A training run that blows up: a high learning rate (or large initial weights) makes one update "
                  "throw the weights so far that the loss and gradient overflow. Clipping caps the update; here all "
                  "three runs share the same seeds and data.",
            question="Without changing anything else, what will your run do: diverge, grow its weights, or train "
                     "stably?",
            seeing="Exploding gradients make single updates huge: the weights jump to where the loss is larger still, "
                   "and within a few steps the numbers overflow (Pascanu et al. 2013). Clipping by norm rescales the "
                   "whole gradient g to max_norm·g/‖g‖ when ‖g‖ > max_norm, keeping its direction; clipping by value "
                   "clamps each entry to ±clip_value, which bounds the update but can change its direction.",
            learn="remedy-clipping"),
        LabSpec(
            "lab-weight-decay", "train", {
                "weight_decay": 0.0, "lr": 0.03, "optimizer": "adam", "steps": 50, "activation": "tanh",
                "init": "xavier_normal", "init_scale": None, "depth": 4, "width": 32, "batch_size": 32, "seeds": 8,
                "data": "spirals"},
            main=4, variants=v.decay_variants, focus=lambda s: v.decay_label(float(s["weight_decay"])),
            intro="L2 weight decay adds λ·w to every gradient, pulling the weights towards 0 at each step. Compare the "
                  "weight norm and the gradient norm over training for λ = 0 and larger strengths.",
            question=f"With your λ, will the run diverge, keep growing its weights (> {WEIGHT_GROWTH - 1:.0%}), "
                     "or stay stable?",
            seeing="With SGD, weight decay shrinks every weight by a factor (1 − lr·λ) per step before the gradient "
                   "step (Krogh & Hertz 1992); with Adam the λ·w term is rescaled like any gradient. Smaller weights "
                   "mean smaller products W·f'(z) along the backward path, so decay guards against slowly growing "
                   "(exploding) gradients — too much of it underfits. In front of BatchNorm the effect reverses: the "
                   "layer is scale-invariant, so shrinking W raises its gradient (van Laarhoven 2017).",
            learn="remedy-weight-decay"),
        LabSpec(
            "lab-compare", "mlp", {
                "activation": "sigmoid", "init": "pytorch_default", "norm": "none", "residual": False, **MLP_SIZE,
                "init_scale": None, "batch_size": 64, "seeds": 8, "data": "gaussian"},
            main=4, variants=v.remedy_variants, focus=lambda s: v.BASELINE,
            intro="An ablation: the baseline network, then each remedy switched on alone. The table ranks the "
                  "remedies by how close their per-layer decay factor is to 1 (no vanishing, no exploding).",
            question=f"For the baseline, {VERDICT_QUESTION}",
            seeing="Each remedy attacks one factor of the per-layer product W·f'(z): a non-saturating activation "
                   "makes f' = 1 for active units, a matched init (Glorot & Bengio 2010; He et al. 2015) sets the "
                   "scale of W, BatchNorm re-standardises z (Ioffe & Szegedy 2015), and skip connections add an "
                   "identity path (He et al. 2016). Note that ReLU alone, without He init, still shrinks the signal "
                   "layer by layer.",
            learn="cheatsheet"),
        LabSpec(
            "lab-phase", "phase", {
                "activation": "tanh", "sigma_w": 1.0, "sigma_b": 0.5, "depth": 30, "width": 64, "batch_size": 4,
                "seeds": 2, "sigma_w_steps": 21, "sigma_b_steps": 21},
            main=4, variants=v.phase_variants, focus=lambda s: v.act_label(s["activation"]),
            intro="The same deep net at every weight scale σ_w and bias scale σ_b of a grid, all in one pass. Colour: "
                  "how much gradient reaches layer 1 compared with the top layer (blue vanishing, red exploding). "
                  "Black line: where mean-field theory puts the edge of chaos, χ₁ = 1. Your cell is ringed.",
            question="At your (σ_w, σ_b), will the first layer's gradient be vanishing, healthy or exploding vs the "
                     "last?",
            seeing="A wide random net's pre-activations have a variance q that settles to a fixed point q* "
                   "(Poole et al. 2016); on the way back each layer multiplies the error's mean square by "
                   "χ₁ = σ_w²·E[φ'(z)²] at q* (Schoenholz et al. 2017). χ₁ < 1 is the ordered phase (vanishing), "
                   "χ₁ > 1 the chaotic one (exploding), and the line χ₁ = 1 between them is computed here from the "
                   "fixed point, not drawn by hand. Raising σ_b pushes the line to larger σ_w: bias noise keeps "
                   "units away from tanh's linear middle. For ReLU χ₁ = σ_w²/2 whatever σ_b: He init is σ_w = √2.",
            learn="signal-propagation", prefer=("edge_of_chaos",)),
        LabSpec(
            "lab-transformer", "transformer", {
                "placement": "post", "warmup": False, "norm_type": "layer", "layers": 6, "lr": 0.01,
                "warmup_steps": 30, "steps": 120, "seq_len": 8, "batch_size": 8, "seeds": 3},
            main=4, variants=v.transformer_variants, focus=lambda s: v.PLACEMENT_LABELS[s["placement"]],
            intro="A stack of transformer blocks (causal self-attention + MLP) learns a rule made from a formula: "
                  "each token's target is the largest token so far. Post-LN normalises after each residual add, "
                  "Pre-LN inside the branch. Both are trained with Adam from the same weights, with and without a "
                  "linear learning-rate warm-up. More blocks widen the gap between them at initialisation.",
            question="Your stack, trained as set: will it learn the task, stall, or diverge?",
            seeing="Post-LN, h = N(h + F(h)), puts a norm on the main path after every block, and at initialisation "
                   "the gradients of the blocks next to the output are the largest (Xiong et al. 2020). Adam's "
                   "first steps have full size while its second-moment estimates are still noisy, so those blocks "
                   "move too far and training stalls; warming the learning rate up fixes it. Pre-LN, h = h + F(N(h)), "
                   "keeps an identity path from the loss to every block: its gradients are about the same at every "
                   "depth and it trains without warm-up. With no norm at all the residual stream grows block by "
                   "block.",
            learn="transformers", prefer=("warmup", "pre_ln")),
        LabSpec(
            "lab-precision", "precision", {
                "scaling": "none", "depth": 10, "activation": "sigmoid", "init": "pytorch_default",
                "fixed_scale": 1024.0, "growth_interval": 15, "steps": 100, "optimizer": "adam", "lr": 0.001,
                "width": 64, "batch_size": 64, "seeds": 3},
            main=4, variants=v.precision_variants, focus=lambda s: v.precision_label("float16", s["scaling"]),
            intro="Mixed-precision training stores activations and gradients in float16, whose smallest positive "
                  "number is 6·10⁻⁸: anything smaller becomes exactly 0. This deep sigmoid net's early-layer "
                  "gradients are that small. Compare float16 without loss scaling, with a fixed scale, with "
                  "GradScaler's dynamic scale, and bfloat16 (float32's range, fewer digits).",
            question="Stored in float16 with your loss scaling, will layer 1's gradient underflow to zero, be kept, or "
                     "overflow?",
            seeing="float16 has 5 exponent bits: normal numbers go down to 6.1·10⁻⁵ and subnormals to 6·10⁻⁸, so "
                   "a gradient entry below that is stored as 0 and its weight never moves. Loss scaling multiplies "
                   "the loss by S before backward, so every gradient is S times larger while stored, and divides by "
                   "S before the update (Micikevicius et al. 2018). A fixed S can be too small (underflow) or too "
                   "large (inf: the step is skipped); GradScaler halves S on overflow and doubles it after "
                   "growth_interval clean steps. bfloat16 has float32's 8 exponent bits, so it needs no scaling. "
                   "Computed in float32 and rounded to float16 or bfloat16 wherever autocast would store a tensor "
                   "(CPU float16 kernels are slow), so the zeros are those real AMP storage produces.",
            learn="mixed-precision", prefer=("loss_scaling",)),
        LabSpec(
            "lab-digits", "digits", {
                "variant": "baseline", "depth": 10, "steps": 200, "lr": 0.02, "width": 32, "batch_size": 64,
                "eval_every": 20, "seeds": 4},
            main=3, variants=v.digits_variants, focus=lambda s: v.DIGITS_LABELS[s["variant"]],
            intro="Does a vanishing gradient actually hurt learning? Deep nets classify real handwritten digits "
                  "(scikit-learn's bundled 8×8 images: 1,437 to train on, 360 held out for testing). The baseline "
                  "is a deep sigmoid net with PyTorch's default init; each remedy changes one thing.",
            question="Trained as set, will your net learn the digits (over 50 % held-out accuracy), stall near "
                     "chance (10 %), or diverge?",
            seeing="The step-0 profile predicts the training curve. In the baseline, layer 1 gets a tiny fraction of "
                   "the top layer's gradient (σ' ≤ 0.25 per layer), so its early layers barely move and the net "
                   "stays near chance. A non-saturating activation with matched init (He et al. 2015), BatchNorm "
                   "(Ioffe & Szegedy 2015) or skip connections (He et al. 2016) give every layer a usable gradient, "
                   "and the same SGD reaches high held-out accuracy in the same number of steps.",
            learn="vanishing", prefer=("activations", "batchnorm", "residual")),
    )
}
