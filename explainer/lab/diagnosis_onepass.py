"""Remedy rules of the one-pass labs: edge of chaos, Post-LN warm-up, float16 loss scaling, digits remedies.

Same contract as explainer.lab.diagnosis: a Remedy names the page controls to change (URL key -> value), and is only
offered when every one is a control of the page. These labs measure every alternative in the same pass, so a rule
can say what the alternative did in this very run ("with warm-up this stack reaches 95 %") and prefer the one that
worked best. Sources: Poole et al. 2016 and Schoenholz et al. 2017 (critical initialisation); Xiong et al. 2020
(Post-LN needs warm-up, Pre-LN does not); Micikevicius et al. 2018 (loss scaling); the MLP remedies as in
explainer.lab.diagnosis. Pure: no streamlit, no torch.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterator, Mapping

from explainer.lab.diagnosis import Remedy, _usable
from explainer.lab.outcomes import LearnFacts, PhaseCell, PrecisionFacts
from explainer.lab.params import kind_specs
from explainer.lab.variants import DIGITS_LABELS, PLACEMENT_LABELS

SIGMA_W = kind_specs("phase")["sigma_w"]  # the focus cell's bounds


def suggest_phase(values: Mapping, cell: PhaseCell, critical_w: float, page_keys: Collection[str]) -> Remedy | None:
    """Off the critical line: move σ_w onto it at this σ_b (χ₁ = 1 keeps the error's size from layer to layer)."""
    if cell.summary.verdict == "healthy" or not math.isfinite(critical_w):
        return None
    target = round(min(max(critical_w, SIGMA_W.lo), SIGMA_W.hi), 2)
    side = "ordered" if cell.summary.verdict == "vanishing" else "chaotic"
    why = (f"At σ_b = {cell.sigma_b:.3g} the mean-field critical line χ₁ = 1 sits at σ_w ≈ {critical_w:.3g}. Your cell "
           f"is in the {side} phase (χ₁ = {cell.chi1:.3g}): the error's mean square changes by χ₁ per layer, "
           f"so over {cell.summary.n_layers} layers it {'shrinks' if side == 'ordered' else 'grows'} geometrically.")
    return _usable(iter([Remedy("edge_of_chaos", f"Move σ_w to the critical line (σ_w = {target:g})",
                                {"sigma_w": target}, why)]), values, page_keys)


def suggest_transformer(values: Mapping, mine: LearnFacts, others: Mapping[tuple[str, bool], LearnFacts],
                        page_keys: Collection[str]) -> Remedy | None:
    """A Post-LN (or norm-free) stack that stalls: warm-up or Pre-LN, whichever did better in this run.

    others: (placement, warmup) -> facts of every run the page trained.
    """
    if mine.verdict == "learns":
        return None
    placement, warmup = values["placement"], bool(values["warmup"])

    def candidates() -> Iterator[tuple[LearnFacts, Remedy]]:
        if not warmup and (placement, True) in others:
            got = others[(placement, True)]
            yield got, Remedy(
                "warmup", "Add learning-rate warm-up", {"warmup": True},
                f"With warm-up this {PLACEMENT_LABELS[placement]} stack reaches {got.accuracy:.0%} token accuracy. "
                "Early in training Adam's steps are full-size while its second-moment estimates are still noisy, "
                "and in Post-LN the blocks next to the output get the largest gradients: a linear ramp keeps those "
                "first updates small (Xiong et al. 2020).")
        if placement != "pre" and ("pre", warmup) in others:
            got = others[("pre", warmup)]
            yield got, Remedy(
                "pre_ln", "Switch to Pre-LN", {"placement": "pre"},
                f"Pre-LN reaches {got.accuracy:.0%} here. With the norm inside each residual branch, h = h + F(N(h)), "
                "the identity path carries the gradient to every block unnormalised, so gradients are about the same "
                "size at every depth and full-size steps are safe from the start.")

    # the smallest change that works first (warm-up keeps the architecture), else the best accuracy measured
    ranked = sorted(candidates(), key=lambda pair: (pair[0].verdict != "learns",
                                                    0.0 if pair[0].verdict == "learns" else -_finite(pair[0].accuracy)))
    return _usable(iter(r for _, r in ranked), values, page_keys)


def suggest_precision(values: Mapping, facts: PrecisionFacts, page_keys: Collection[str]) -> Remedy | None:
    """float16 losing (or overflowing) its gradient: GradScaler's dynamic loss scaling."""
    if facts.verdict == "kept" or values.get("scaling") == "dynamic":
        return None  # dynamic scaling that still underflows: the gradient itself vanishes (see float32's line)
    why = ("Multiplying the loss by S multiplies every gradient by S, lifting entries below float16's smallest "
           "subnormal (6e-8) into range; the optimizer divides by S again. GradScaler starts at 2^16, halves S "
           "and skips the step on any inf/NaN, and doubles it after a run of clean steps, so S tracks the largest "
           "value that does not overflow (Micikevicius et al. 2018).")
    if facts.verdict == "overflows":
        why = (f"A fixed scale of {facts.scale:g} pushes some gradients past float16's maximum (65504), so every "
               "step is skipped. " + why)
    return _usable(iter([Remedy("loss_scaling", "Use dynamic loss scaling", {"scaling": "dynamic"}, why)]),
                   values, page_keys)


REMEDY_OF_VARIANT = {"relu_he": "activations", "batchnorm": "batchnorm", "residual": "residual",
                     "tanh_xavier": "initialization"}
WHY_VARIANT = {
    "relu_he": "ReLU' is 1 for active units and He init keeps the signal's scale, so every layer passes the "
               "gradient on at about full size.",
    "batchnorm": "BatchNorm re-standardises every pre-activation, so sigmoid units stay in their steep middle "
                 "instead of saturating.",
    "residual": "Skip connections give the gradient an identity path past every layer, so it is not multiplied by "
                "σ' ≤ 0.25 once per layer.",
    "tanh_xavier": "tanh' is 1 at 0 (σ' at most 0.25) and Glorot init matches the weights' scale to it.",
}


def suggest_digits(values: Mapping, mine: LearnFacts, others: Mapping[str, LearnFacts],
                   page_keys: Collection[str]) -> Remedy | None:
    """A net that stalls on the digits: the variant with the best held-out accuracy in this run."""
    if mine.verdict == "learns":
        return None
    ranked = sorted(((f.accuracy, v) for v, f in others.items() if v in REMEDY_OF_VARIANT and f.verdict == "learns"),
                    key=lambda pair: -_finite(pair[0]))
    remedies = (Remedy(REMEDY_OF_VARIANT[v], f"Switch to {DIGITS_LABELS[v]}", {"variant": v},
                       f"{DIGITS_LABELS[v]} reaches {acc:.0%} test accuracy in this run. {WHY_VARIANT[v]}")
                for acc, v in ranked)
    return _usable(remedies, values, page_keys)


def _finite(x: float) -> float:
    return x if math.isfinite(x) else -1.0
