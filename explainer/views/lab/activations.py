"""Lab page "Activations" (spec: explainer.lab.specs): per-layer gradient norm and saturated/dead fraction."""

from __future__ import annotations

import functools

import pandas as pd
import streamlit as st

from explainer.lab.specs import LABS
from explainer.views.lab.chart_panel import chart_panel
from explainer.views.lab.common import gradient_panel, mlp_diagnosis, saturation_panel
from explainer.views.lab.page import LabRun, render_lab
from explainer.views.lab.results import theory_for
from explainer.views.wire import altair_spec

SPEC = LABS["lab-activations"]
CURVE_NAMES = SPEC.specs["activation"].choices
CURVE_LABEL = {"f": "f(z)", "f'": "f'(z)"}  # the table's column suffix per curve kind


def body(run: LabRun) -> None:
    mlp_diagnosis(run)
    own = [(label, cfg) for label, cfg in run.variants if label == run.focus]  # theory for the learner's net only
    gradient_panel(run, theory_for(own, "grad_norm"))
    saturation_panel(run)


def render() -> None:
    render_lab(SPEC, body, always=curves_panel)


@st.fragment
def curves_panel() -> None:
    """σ' and tanh' (and any other activation picked here): a fragment, so its picker reruns only this panel."""
    names = st.multiselect("Curves to show", CURVE_NAMES, default=list(CURVE_NAMES[:3]), key="curve_names",
                           help="Solid: f(z); dashed: f'(z). Not part of the URL.")
    if not names:
        st.caption("Pick at least one activation to draw its curve.")
        return
    chart_panel("Activation f(z) and derivative f'(z)", curves_spec(tuple(names)),
                "Solid: f(z), dashed: f'(z), for z in [-6, 6]. Sigmoid's derivative peaks at 0.25 and tanh's at 1, "
                "both at z = 0, and fall to ~0 where the curve flattens; ReLU's derivative is 1 for z > 0 and 0 below; "
                "GELU's is 0.5 at z = 0 and peaks at 1.13.", curves_table(tuple(names)), "activation_curves")


@functools.lru_cache(maxsize=64)
def curves_spec(names: tuple[str, ...]) -> dict:
    """The Learn pages' curve figure as a Vega-Lite dict with its data as Arrow bytes (explainer.views.wire): static
    data, so computed once per process."""
    from explainer.learn.figures import activation_curves_chart

    return altair_spec(activation_curves_chart(list(names)))


@functools.lru_cache(maxsize=64)
def curves_table(names: tuple[str, ...]) -> pd.DataFrame:
    """The same curves as a table a screen reader can walk: one row per z, f(z) and f'(z) per activation."""
    from explainer.learn.figure_data import activation_curves_frame

    long = activation_curves_frame(list(names))
    wide = long.pivot_table(index="x", columns=["function", "kind"], values="value", sort=False)
    wide.columns = [f"{function} {CURVE_LABEL[kind]}" for function, kind in wide.columns]
    return wide.round(4).reset_index().rename(columns={"x": "z"})
