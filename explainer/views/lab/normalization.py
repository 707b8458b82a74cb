"""Lab page "BatchNorm & residual": one deep net plain, with BatchNorm, with skip connections, and with both.

URL keys: norm and residual (together they pick the highlighted, diagnosed variant), activation, depth, width,
init, init_scale, batch_size, seeds, data; lab-specific: predict (true = predict-first mode).
"""

from __future__ import annotations

from explainer.lab.variants import focus_label, norm_variants
from explainer.views.lab import page, predict
from explainer.views.lab.common import gradient_panel, mlp_diagnosis, saturation_panel
from explainer.views.lab.results import run_variants, theory_for

URL_PATH = "lab-normalization"
INTRO = ("The same deep network four ways: plain, with BatchNorm after every hidden linear layer, with skip "
         "connections, and with both. Watch how much gradient reaches the first layer.")
QUESTION = "With your normalization and skip settings, will the first layer's gradient vanish, stay healthy or explode?"


def render() -> None:
    values, main = page.start(URL_PATH, INTRO)
    variants = norm_variants(values)
    key = page.config_key(values)
    with main:
        if not page.check_configs("mlp", variants) or predict.gate(URL_PATH, key, QUESTION):
            return
        df = run_variants("mlp", variants, "networks")
        focus = focus_label(URL_PATH, values)
        mlp_diagnosis(URL_PATH, values, key)
        gradient_panel(URL_PATH, df, key, focus, theory_for(variants, "grad_norm"), "normalization")
        saturation_panel(URL_PATH, df, key, focus, "normalization")
        page.seeing_note(
            "BatchNorm (Ioffe & Szegedy 2015) standardises each pre-activation over the batch, so units stay in the "
            "steep part of the activation and each layer's factor stays near 1. A skip connection h + f(h) (He et al. "
            "2016) makes each block's Jacobian I + ∂f/∂h: the identity path carries the gradient back unshrunk.",
            "remedy-batchnorm")
