"""Panels several lab pages share: the MLP and training diagnoses and the per-layer gradient-norm chart."""

from __future__ import annotations

import pandas as pd

from explainer.lab.charts import band_spec, level_sentence, profile_sentence
from explainer.lab.diagnosis import suggest, suggest_training, train_facts, training_verdict
from explainer.lab.presets import PRESETS
from explainer.lab.variants import mlp_config
from explainer.views.lab import predict
from explainer.views.lab.chart_panel import chart_panel
from explainer.views.lab.diagnosis_panel import diagnosis_panel
from explainer.views.lab.results import spec, text
from explainer.views.lab.runs import gradient_profile, summarize

LAYER_AXIS = "layer (1 = input side)"


def mlp_subject(values: dict) -> str:
    """One line naming the learner's own network, e.g. "Your network: sigmoid, xavier_normal init, depth 20"."""
    extras = [x for x, on in (("BatchNorm", values.get("norm") == "batch"), ("skips", values.get("residual"))) if on]
    return (f"Your network: {values['activation']}, {values['init']} init, depth {values['depth']}, width "
            f"{values['width']}{''.join(', ' + e for e in extras)}.")


def mlp_diagnosis(url_path: str, values: dict, key: str, prefer: tuple[str, ...] | None = None) -> None:
    """Diagnose the learner's own MLP (summarize_profile) and tell predict-first how it went.

    prefer: remedy slugs to suggest first (default: the page's own, from its preset).
    """
    summary = summarize(gradient_profile(mlp_config(values)))
    predict.verdict_feedback(url_path, key, summary.verdict)
    preset = PRESETS[url_path]
    remedy = suggest(values, summary.verdict, preset.keys, preset.prefer if prefer is None else prefer)
    diagnosis_panel(summary, remedy, what="gradient norm", where="layer", subject=mlp_subject(values))


def gradient_panel(url_path: str, df: pd.DataFrame, key: str, focus: str, theory: pd.DataFrame | None,
                   name: str) -> None:
    """Median ‖∂L/∂W_l‖ per layer for every variant (log scale), with the theory dashed where it exists."""
    has_theory = theory is not None and not theory.empty
    chart_panel(
        "Gradient norm ‖∂L/∂W‖ per layer (log scale" + ("; dashed: mean-field theory)" if has_theory else ")"),
        spec(lambda: band_spec(df, x="layer", y="grad_norm", x_title=LAYER_AXIS, y_title="gradient norm",
                                focus=focus, theory=theory), f"{url_path}:grad:{key}"),
        text(lambda: profile_sentence(df, "layer", "grad_norm", "gradient norm", "layer"), f"{url_path}:grad:{key}"),
        df[[c for c in ("series", "seed", "layer", "grad_norm", "act_mean", "act_std", "saturated_frac") if c in df]],
        f"{name}-gradient-norms",
    )


def saturation_panel(url_path: str, df: pd.DataFrame, key: str, focus: str, name: str) -> None:
    """Median fraction of saturated (sigmoid/tanh) or dead (ReLU) units per layer, on a 0-1 axis."""
    chart_panel(
        "Saturated (sigmoid/tanh) or dead (ReLU) units per layer",
        spec(lambda: band_spec(df, x="layer", y="saturated_frac", x_title=LAYER_AXIS, y_title="fraction of units",
                                focus=focus, log_y=False, y_domain=(0.0, 1.0)), f"{url_path}:sat:{key}"),
        text(lambda: level_sentence(df, "layer", "saturated_frac", "fraction of saturated or dead units", "layer"),
             f"{url_path}:sat:{key}"),
        df[["series", "seed", "layer", "saturated_frac"]],
        f"{name}-saturation",
    )


def train_diagnosis(url_path: str, values: dict, key: str, focus_run: pd.DataFrame) -> None:
    """Diagnose a training page: the model's gradient profile at init plus what its training run did."""
    summary = summarize(gradient_profile(mlp_config(values)))
    facts = train_facts(focus_run)
    predict.verdict_feedback(url_path, key, training_verdict(facts))
    keys = PRESETS[url_path].keys
    remedy = suggest_training(values, facts, keys) or suggest(values, summary.verdict, keys)
    diagnosis_panel(summary, remedy, what="gradient norm", where="layer", facts=facts,
                    subject=mlp_subject(values)[:-1] + f"; trained {values['steps']} steps with {values['optimizer']}, "
                    f"lr {values['lr']:g}. Metrics: its gradient profile at initialisation.")
