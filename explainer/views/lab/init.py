"""Lab page "Initialization": activation std and gradient norm per layer for six inits, with theory overlaid.

URL keys: init (the highlighted, diagnosed network), activation, depth, init_scale (applies to the highlighted
init only), width, batch_size, seeds, data; lab-specific: predict (true = predict-first mode).
"""

from __future__ import annotations

from explainer.lab.charts import band_spec, level_sentence
from explainer.lab.variants import INIT_LABELS, init_variants
from explainer.views.lab import page, predict
from explainer.views.lab.chart_panel import chart_panel
from explainer.views.lab.common import LAYER_AXIS, gradient_panel, mlp_diagnosis
from explainer.views.lab.results import run_variants, spec, text, theory_for

URL_PATH = "lab-init"
INTRO = ("The scale of the initial weights decides whether the signal shrinks, holds or grows from layer to "
         "layer, forward (activations) and backward (gradients). Dashed lines: what variance propagation predicts.")
QUESTION = "With your init, will the first layer's gradient be vanishing, healthy or exploding vs the last?"


def render() -> None:
    values, main = page.start(URL_PATH, INTRO)
    variants = init_variants(values)
    key = page.config_key(values)
    with main:
        if not page.check_configs("mlp", variants) or predict.gate(URL_PATH, key, QUESTION):
            return
        df = run_variants("mlp", variants, "networks")
        focus = INIT_LABELS[values["init"]]
        mlp_diagnosis(URL_PATH, values, key)
        chart_panel(
            "Activation std per layer (log scale; dashed: variance-propagation prediction)",
            spec(lambda: band_spec(df, x="layer", y="act_std", x_title=LAYER_AXIS, y_title="std of activations",
                                    focus=focus, theory=theory_for(variants, "act_std")), f"{URL_PATH}:std:{key}"),
            text(lambda: level_sentence(df, "layer", "act_std", "activation std", "layer"), f"{URL_PATH}:std:{key}"),
            df[["series", "seed", "layer", "act_mean", "act_std"]],
            "init-activation-std",
        )
        gradient_panel(URL_PATH, df, key, focus, theory_for(variants, "grad_norm"), "init")
        page.seeing_note(
            "With Var[w] = σ²/fan_in, each layer multiplies the signal's variance by about σ²·E[f'(z)²] "
            "(backward) and σ²·E[f(z)²]/q (forward). Xavier/Glorot (Var[w] = 2/(fan_in + fan_out), Glorot & "
            "Bengio 2010) keeps this near 1 for tanh; He/Kaiming (Var[w] = 2/fan_in, He et al. 2015) for ReLU; "
            "orthogonal weights preserve norms exactly in linear nets (Saxe et al. 2014). Zeros give every unit "
            "the same value: all gradients below the top layer are exactly 0 and cannot be drawn on a log axis.",
            "remedy-init")
