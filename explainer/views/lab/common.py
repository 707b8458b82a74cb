"""Panels several lab pages share: the MLP and training diagnoses and the per-layer gradient-norm chart."""

from __future__ import annotations

import pandas as pd

from explainer.lab.charts import band_spec, level_sentence, profile_sentence
from explainer.lab.diagnosis import suggest, suggest_training, train_facts, training_verdict
from explainer.lab.variants import mlp_config
from explainer.views.lab import predict
from explainer.views.lab.chart_panel import chart_panel
from explainer.views.lab.diagnosis_panel import diagnosis_panel
from explainer.views.lab.page import LabRun
from explainer.views.lab.results import spec, text
from explainer.views.lab.runs import derived, gradient_profile, summarize

LAYER_AXIS = "layer (1 = input side)"


def mlp_subject(values: dict) -> str:
    """One line naming the learner's own network, e.g. "Your network: sigmoid, xavier_normal init, depth 20"."""
    extras = [x for x, on in (("BatchNorm", values.get("norm") == "batch"), ("skips", values.get("residual"))) if on]
    return (f"Your network: {values['activation']}, {values['init']} init, depth {values['depth']}, width "
            f"{values['width']}{''.join(', ' + e for e in extras)}.")


def mlp_diagnosis(run: LabRun, prefer: tuple[str, ...] | None = None) -> None:
    """Diagnose the learner's own MLP (summarize_profile) and tell predict-first how it went.

    prefer: remedy slugs to suggest first (default: the page's own, from its spec).
    """
    summary = summarize(gradient_profile(mlp_config(run.values)))
    predict.verdict_feedback(run.spec.url_path, run.key, summary.verdict)
    remedy = suggest(run.values, summary.verdict, run.spec.keys, run.spec.prefer if prefer is None else prefer)
    diagnosis_panel(summary, remedy, what="gradient norm", where="layer", subject=mlp_subject(run.values))


def gradient_panel(run: LabRun, theory: pd.DataFrame | None, df: pd.DataFrame | None = None,
                   focus: str | None = None) -> None:
    """Median ‖∂L/∂W_l‖ per layer for every variant (log scale), with the theory dashed where it exists."""
    df = run.df if df is None else df
    focus = run.focus if focus is None else focus
    has_theory = theory is not None and not theory.empty
    name = run.spec.url_path
    chart_panel(
        "Gradient norm ‖∂L/∂W‖ per layer (log scale" + ("; dashed: mean-field theory)" if has_theory else ")"),
        spec(lambda: band_spec(df, x="layer", y="grad_norm", x_title=LAYER_AXIS, y_title="gradient norm",
                                focus=focus, theory=theory), f"{name}:grad:{run.key}"),
        text(lambda: profile_sentence(df, "layer", "grad_norm", "gradient norm", "layer"), f"{name}:grad:{run.key}"),
        df[[c for c in ("series", "seed", "layer", "grad_norm", "act_mean", "act_std", "saturated_frac") if c in df]],
        f"{name.removeprefix('lab-')}-gradient-norms",
    )


def saturation_panel(run: LabRun) -> None:
    """Median fraction of saturated (sigmoid/tanh) or dead (ReLU) units per layer, on a 0-1 axis."""
    df, name = run.df, run.spec.url_path
    chart_panel(
        "Saturated (sigmoid/tanh) or dead (ReLU) units per layer",
        spec(lambda: band_spec(df, x="layer", y="saturated_frac", x_title=LAYER_AXIS, y_title="fraction of units",
                                focus=run.focus, log_y=False, y_domain=(0.0, 1.0)), f"{name}:sat:{run.key}"),
        text(lambda: level_sentence(df, "layer", "saturated_frac", "fraction of saturated or dead units", "layer"),
             f"{name}:sat:{run.key}"),
        df[["series", "seed", "layer", "saturated_frac"]],
        f"{name.removeprefix('lab-')}-saturation",
    )


def _own_facts(df: pd.DataFrame, focus: str):
    return train_facts(df[df["series"] == focus])


def train_diagnosis(run: LabRun) -> None:
    """Diagnose a training page: the model's gradient profile at init plus what its training run did."""
    values = run.values
    summary = summarize(gradient_profile(mlp_config(values)))
    facts = derived(_own_facts, run.df, run.focus)
    predict.verdict_feedback(run.spec.url_path, run.key, training_verdict(facts))
    keys = run.spec.keys
    remedy = suggest_training(values, facts, keys) or suggest(values, summary.verdict, keys)
    diagnosis_panel(summary, remedy, what="gradient norm", where="layer", facts=facts,
                    subject=mlp_subject(values)[:-1] + f"; trained {values['steps']} steps with {values['optimizer']}, "
                    f"lr {values['lr']:g}. Metrics: its gradient profile at initialisation.")
