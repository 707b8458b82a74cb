"""Lab page "Weight decay": weight norm and gradient norm over training for several L2 strengths λ.

URL keys: weight_decay (the highlighted, diagnosed λ; the page also runs 0 and 10λ, or 1e-3 and 1e-2 when λ = 0),
lr, optimizer, steps, activation, init, init_scale, depth, width, batch_size, seeds, data; lab-specific: predict
(true = predict-first mode).
"""

from __future__ import annotations

from explainer.core.palette import ordinal_colors
from explainer.lab.charts import band_spec, training_sentence
from explainer.lab.variants import decay_label, decay_variants
from explainer.views.lab import page, predict
from explainer.views.lab.chart_panel import chart_panel
from explainer.views.lab.common import train_diagnosis
from explainer.views.lab.results import run_variants, spec, text

URL_PATH = "lab-weight-decay"
INTRO = ("L2 weight decay adds λ·w to every gradient, pulling the weights towards 0 at each step. Compare the "
         "weight norm and the gradient norm over training for λ = 0 and larger strengths.")
QUESTION = "With your λ, will the run diverge, keep growing its weights (> 20 %), or stay stable?"


def render() -> None:
    values, main = page.start(URL_PATH, INTRO)
    variants = decay_variants(values)
    key = page.config_key(values)
    with main:
        if not page.check_configs("train", variants) or predict.gate(URL_PATH, key, QUESTION, predict.TRAIN_CHOICES):
            return
        df = run_variants("train", variants, "training runs")
        focus = decay_label(float(values["weight_decay"]))
        colors = ordinal_colors([label for label, _ in variants])
        train_diagnosis(URL_PATH, values, key, df[df["series"] == focus])
        chart_panel(
            "Weight norm ‖w‖ per step",
            spec(lambda: band_spec(df, x="step", y="weight_norm", x_title="step", y_title="weight norm", focus=focus,
                                    colors=colors, log_y=False, divergence=True), f"{URL_PATH}:w:{key}"),
            text(lambda: training_sentence(df, "weight_norm", "weight norm"), f"{URL_PATH}:w:{key}"),
            df, "weight-decay-runs",
        )
        chart_panel(
            "Gradient norm per step (log scale)",
            spec(lambda: band_spec(df, x="step", y="grad_norm", x_title="step", y_title="gradient norm", focus=focus,
                                    colors=colors, divergence=True), f"{URL_PATH}:g:{key}"),
            text(lambda: training_sentence(df, "grad_norm", "gradient norm"), f"{URL_PATH}:g:{key}"),
            df[["series", "seed", "step", "grad_norm", "loss", "diverged"]], "weight-decay-gradient-norms",
        )
        page.seeing_note(
            "With SGD, weight decay shrinks every weight by a factor (1 − lr·λ) per step before the gradient step "
            "(Krogh & Hertz 1992); with Adam the λ·w term is rescaled like any gradient. Smaller weights mean smaller "
            "products W·f'(z) along the backward path, so decay guards against slowly growing (exploding) "
            "gradients — too much of it underfits.", "remedy-weight-decay")
