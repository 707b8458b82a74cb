"""Lab page "Activations": per-layer gradient norm and saturated/dead fraction for six activations.

URL keys: activation (the highlighted, diagnosed network), depth, width, init, init_scale, batch_size, seeds,
data; lab-specific: predict (true = predict-first mode).
"""

from __future__ import annotations

import functools

import streamlit as st

from explainer.lab.variants import ACT_LABELS, activation_variants
from explainer.views.lab import page, predict
from explainer.views.lab.common import gradient_panel, mlp_diagnosis, saturation_panel
from explainer.views.lab.results import run_variants, theory_for

URL_PATH = "lab-activations"
INTRO = ("Each activation multiplies the backward signal by its derivative at every layer. Compare how much "
         "gradient reaches layer 1 from the top layer, and how many units sit where the derivative is ~0.")
QUESTION = "For your activation, will the first layer's gradient be vanishing, healthy or exploding vs the last?"
CURVE_NAMES = ("sigmoid", "tanh", "relu", "leaky_relu", "elu", "gelu")


def render() -> None:
    values, main = page.start(URL_PATH, INTRO)
    variants = activation_variants(values)
    key = page.config_key(values)
    with main:
        if not page.check_configs("mlp", variants) or predict.gate(URL_PATH, key, QUESTION):
            curves_panel()
            return
        df = run_variants("mlp", variants, "networks")
        focus = ACT_LABELS[values["activation"]]
        mlp_diagnosis(URL_PATH, values, key)
        own = [(label, cfg) for label, cfg in variants if label == focus]  # theory for the learner's net only
        gradient_panel(URL_PATH, df, key, focus, theory_for(own, "grad_norm"), "activations")
        saturation_panel(URL_PATH, df, key, focus, "activations")
        curves_panel()
        page.seeing_note(
            "Backpropagation multiplies the gradient by W·f'(z) once per layer. σ' never exceeds 0.25, and both σ' "
            "and tanh' are near 0 for saturated units, so the product shrinks geometrically with depth (Hochreiter "
            "1991; Glorot & Bengio 2010). ReLU-family derivatives are 1 for active units, so with a matched init "
            "(He et al. 2015) the gradient keeps its size; dead ReLUs pass nothing.", "remedy-activations")


@st.fragment
def curves_panel() -> None:
    """σ' and tanh' (and any other activation picked here): a fragment, so its picker reruns only this panel."""
    names = st.multiselect("Curves to show", CURVE_NAMES, default=["sigmoid", "tanh", "relu"], key="curve_names",
                           help="Solid: f(z); dashed: f'(z). Not part of the URL.")
    if not names:
        st.caption("Pick at least one activation to draw its curve.")
        return
    st.markdown("**Activation f(z) and derivative f'(z)**")
    st.vega_lite_chart(spec=curves_spec(tuple(names)), width="stretch",
                       alt="Activations (solid) and their derivatives (dashed), z in [-6, 6].")
    peak = ", ".join(f"{n}' ≤ {1 if n != 'sigmoid' else 0.25:g}" for n in names if n in ("sigmoid", "tanh"))
    st.caption("Derivatives peak at z = 0" + (f" ({peak})" if peak else "") + " and fall to ~0 where the curve "
               "flattens; ReLU's derivative is 1 for z > 0 and 0 below.")


@functools.lru_cache(maxsize=64)
def curves_spec(names: tuple[str, ...]) -> dict:
    """The Learn pages' curve figure as a Vega-Lite dict: static data, so computed once per process."""
    from explainer.learn.figures import activation_curves_chart

    return activation_curves_chart(list(names)).to_dict(validate=False)
