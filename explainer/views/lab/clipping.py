"""Lab page "Exploding & clipping": one training run without clipping, clipped by norm and clipped by value.

URL keys: clip (the highlighted, diagnosed run), max_norm, clip_value, lr, optimizer, steps, activation, init,
init_scale, depth, width, batch_size, seeds, data; lab-specific: predict (true = predict-first mode).
"""

from __future__ import annotations

import pandas as pd

from explainer.lab.charts import band_spec, training_sentence
from explainer.lab.variants import CLIP_LABELS, clip_variants
from explainer.views.lab import page, predict
from explainer.views.lab.chart_panel import chart_panel
from explainer.views.lab.common import train_diagnosis
from explainer.views.lab.results import run_variants, spec, text

URL_PATH = "lab-clipping"
INTRO = ("A training run that blows up: a high learning rate (or large initial weights) makes one update throw "
         "the weights so far that the loss and gradient overflow. Clipping caps the update; here all three runs "
         "share the same seeds and data.")
QUESTION = "Without changing anything else, what will your run do: diverge, grow its weights, or train stably?"
STAGE = "stage"


def norms_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Long frame of the gradient norm before and after clipping (runs without clipping: before only)."""
    cols = ["series", "seed", "step", "diverged"]
    before = df[cols].assign(**{STAGE: "before clipping", "norm": df["grad_norm"]})
    clipped = df[df["series"] != CLIP_LABELS["none"]]
    after = clipped[cols].assign(**{STAGE: "after clipping", "norm": clipped["grad_norm_clipped"]})
    return pd.concat([before, after], ignore_index=True)


def render() -> None:
    values, main = page.start(URL_PATH, INTRO)
    variants = clip_variants(values)
    key = page.config_key(values)
    with main:
        if not page.check_configs("train", variants) or predict.gate(URL_PATH, key, QUESTION, predict.TRAIN_CHOICES):
            return
        df = run_variants("train", variants, "training runs")
        focus = CLIP_LABELS[values["clip"]]
        train_diagnosis(URL_PATH, values, key, df[df["series"] == focus])
        chart_panel(
            "Training loss per step (log scale; dotted rule: first divergent step)",
            spec(lambda: band_spec(df, x="step", y="loss", x_title="step", y_title="loss (MSE)", focus=focus,
                                    divergence=True), f"{URL_PATH}:loss:{key}"),
            text(lambda: training_sentence(df, "loss", "loss"), f"{URL_PATH}:loss:{key}"),
            df, "clipping-runs",
        )
        norms = norms_frame(df)
        chart_panel(
            "Gradient norm before (solid) and after (dashed) clipping, against max_norm",
            spec(lambda: band_spec(norms, x="step", y="norm", x_title="step", y_title="gradient norm", focus=focus,
                                    dash=STAGE, threshold=float(values["max_norm"]), threshold_label="max_norm",
                                    divergence=True), f"{URL_PATH}:norm:{key}"),
            text(lambda: training_sentence(norms[norms[STAGE] == "after clipping"], "norm",
                                           "gradient norm after clipping"), f"{URL_PATH}:norm:{key}"),
            norms, "clipping-gradient-norms",
        )
        page.seeing_note(
            "Exploding gradients make single updates huge: the weights jump to where the loss is larger still, and "
            "within a few steps the numbers overflow (Pascanu et al. 2013). Clipping by norm rescales the whole "
            "gradient g to max_norm·g/‖g‖ when ‖g‖ > max_norm, keeping its direction; clipping by value clamps each "
            "entry to ±clip_value, which bounds the update but can change its direction.", "remedy-clipping")
