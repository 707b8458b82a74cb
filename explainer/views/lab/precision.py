"""Lab page "Mixed precision" (spec: explainer.lab.specs): float16 underflow per layer, loss scaling over training."""

from __future__ import annotations

import streamlit as st

from explainer.experiments.summary import UNDERFLOW_SHARE
from explainer.lab.charts import band_spec, sci, training_sentence
from explainer.lab.charts.onepass import scale_sentence, scale_spec, zero_share_sentence
from explainer.lab.diagnosis_onepass import suggest_precision
from explainer.lab.outcomes import precision_facts
from explainer.lab.specs import LABS
from explainer.lab.variants import precision_config
from explainer.views.lab import predict, runs_onepass
from explainer.views.lab.chart_panel import chart_panel
from explainer.views.lab.common import LAYER_AXIS
from explainer.views.lab.diagnosis_panel import outcome_panel
from explainer.views.lab.page import LabRun, render_lab
from explainer.views.lab.results import spec, text
from explainer.views.lab.runs import derived

SPEC = LABS["lab-precision"]
SIMULATED = ("Computed in float32, then rounded to float16 or bfloat16 wherever autocast would store a tensor "
             "(weights' half copies, every layer's output, the scaled output gradient, each backpropagated error and "
             "weight gradient): CPU float16 kernels are slow, and a float16 matmul accumulates in float32 and rounds "
             "its result, as here. The loss and the master weights stay float32, as under autocast + GradScaler.")


def body(run: LabRun) -> None:
    values, df, url = run.values, run.df, SPEC.url_path
    profile = runs_onepass.precision_profile(precision_config(values)["model"])
    facts = derived(precision_facts, profile, values["scaling"])
    predict.verdict_feedback(url, run.key, facts.verdict)
    outcome_panel(
        [("Layer 1 entries lost", f"{facts.lost_first:.0%}", "Median over seeds: share of layer 1's weight-gradient "
          "entries that are exactly 0 when stored in float16 but not in float32 (at initialisation)."),
         ("Loss scale", sci(facts.scale), "The scale your run uses at step 0 (dynamic: after halving on overflow).")],
        facts.verdict, f"underflows: more than {UNDERFLOW_SHARE:.0%} of layer 1's entries lost; overflows: the "
        "stored gradient holds inf/NaN (the step is skipped); kept: otherwise.",
        suggest_precision(values, facts, SPEC.keys), healthy=facts.verdict == "kept",
        subject=f"Your run: {facts.series}; a {values['depth']}-layer {values['activation']} MLP, width "
                f"{values['width']}, {values['init']} init, batch {values['batch_size']}, {values['seeds']} seeds.")
    chart_panel(
        "Share of each layer's gradient entries stored as exactly 0, at initialisation",
        spec(lambda: band_spec(profile, x="layer", y="zero_frac", x_title=LAYER_AXIS, y_title="share stored as 0",
                               focus=run.focus, log_y=False, y_domain=(0.0, 1.0), legend_columns=3),
             f"{url}:zero:{run.key}"),
        text(lambda: zero_share_sentence(profile), f"{url}:zero:{run.key}"),
        profile, "precision-zero-share",
    )
    chart_panel(
        "Loss scale per step (log scale; ×: a skipped step, the stored gradient held inf/NaN)",
        spec(lambda: scale_spec(df, run.focus), f"{url}:scale:{run.key}"),
        text(lambda: scale_sentence(df), f"{url}:scale:{run.key}"),
        df[["series", "seed", "step", "scale", "skipped"]], "precision-scale",
    )
    chart_panel(
        "How far layer 1 has moved from its initial weights, ‖W₁ − W₁(0)‖ / ‖W₁(0)‖",
        spec(lambda: band_spec(df, x="step", y="first_layer_moved", x_title="step", y_title="relative change",
                               focus=run.focus, log_y=False, legend_columns=3), f"{url}:moved:{run.key}"),
        text(lambda: training_sentence(df, "first_layer_moved", "change of layer 1"), f"{url}:moved:{run.key}"),
        df[["series", "seed", "step", "loss", "zero_frac_first", "zero_frac", "first_layer_moved"]],
        "precision-training",
    )
    st.caption(f"Trains {values['steps']} steps of {values['optimizer']} at lr {values['lr']:g} on a fixed batch. "
               + SIMULATED)


def render() -> None:
    render_lab(SPEC, body)
