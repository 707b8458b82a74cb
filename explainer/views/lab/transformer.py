"""Lab page "Transformer norms & warm-up" (spec: explainer.lab.specs): init gradients per block, warm-up training."""

from __future__ import annotations

import math

import streamlit as st

from explainer.experiments.configs import TransformerConfig
from explainer.experiments.summary import TRANSFORMER_LEARNED
from explainer.lab.charts import band_spec, sci
from explainer.lab.charts.onepass import last_over_first, learn_sentence, transformer_init_sentence
from explainer.lab.diagnosis_onepass import suggest_transformer
from explainer.lab.outcomes import transformer_facts
from explainer.lab.specs import LABS
from explainer.lab.variants import PLACEMENT_LABELS, transformer_config
from explainer.views.lab import predict, runs_onepass
from explainer.views.lab.chart_panel import chart_panel
from explainer.views.lab.diagnosis_panel import outcome_panel
from explainer.views.lab.page import LabRun, render_lab
from explainer.views.lab.results import spec, text
from explainer.views.lab.runs import derived

SPEC = LABS["lab-transformer"]
SCHEDULES = runs_onepass.SCHEDULES
BLOCK_AXIS = "block (1 = next to the embedding)"


def trains(values: dict) -> str:
    """What the page trains, in one line."""
    v, fixed = values, TransformerConfig.model_fields
    return (f"Trains {v['layers']} blocks (d_model {fixed['d_model'].default}, {fixed['heads'].default} heads, MLP "
            f"{fixed['ff_mult'].default}×, {fixed['vocab'].default} token values) with Adam (β = 0.9, 0.98) at "
            f"lr {v['lr']:g} for {v['steps']} steps, a fresh batch of {v['batch_size']} sequences of {v['seq_len']} "
            f"tokens each step, {v['seeds']} seeds; warm-up runs ramp the rate over the first "
            f"{transformer_config(v)['warmup_steps']} "
            "steps. Final numbers: the mean of the last 10 steps.")


def body(run: LabRun) -> None:
    values, df, url = run.values, run.df, SPEC.url_path
    profile = runs_onepass.transformer_profile(transformer_config(values)["model"])
    facts = {(p, w): derived(transformer_facts, df, PLACEMENT_LABELS[p], SCHEDULES[w])
             for p in df["placement"].unique() for w in (False, True)}
    mine = facts[(values["placement"], bool(values["warmup"]))]
    predict.verdict_feedback(url, run.key, mine.verdict)
    ratio = float(derived(last_over_first, profile).get(run.focus, float("nan")))
    outcome_panel(
        [("Last / first block at init", f"×{sci(ratio)}", "Median over seeds of the gradient norm of the last "
          "block's weights divided by the first block's, before training."),
         ("Final accuracy", f"{mine.accuracy:.0%}" if math.isfinite(mine.accuracy) else "n/a",
          "Share of tokens whose predicted running maximum is right, mean of the last 10 steps, median over seeds.")],
        mine.verdict, f"learns: final accuracy ≥ {TRANSFORMER_LEARNED:.0%}; stalls: below; diverged: the loss of "
        "most seeds became inf/NaN.", suggest_transformer(values, mine, facts, SPEC.keys),
        healthy=mine.verdict == "learns",
        subject=f"Your stack: {mine.series}, {values['norm_type']} norm. " + trains(values))
    chart_panel(
        "Gradient norm of each block's weights at initialisation (log scale)",
        spec(lambda: band_spec(profile, x="layer", y="grad_norm", x_title=BLOCK_AXIS, y_title="gradient norm",
                               focus=run.focus), f"{url}:init:{run.key}"),
        text(lambda: transformer_init_sentence(profile), f"{url}:init:{run.key}"),
        profile, "transformer-init-gradients",
    )
    sentence = text(lambda: learn_sentence(facts.values(), "accuracy"), f"{url}:fin:{run.key}")
    chart_panel(
        "Training loss per step (log scale; solid: no warm-up, dashed: warm-up)",
        spec(lambda: band_spec(df, x="step", y="loss", x_title="step", y_title="loss (cross-entropy)",
                               focus=run.focus, dash="schedule"), f"{url}:loss:{run.key}"),
        sentence, df, "transformer-training",
    )
    chart_panel(
        "Token accuracy per step (solid: no warm-up, dashed: warm-up)",
        spec(lambda: band_spec(df, x="step", y="accuracy", x_title="step", y_title="accuracy", focus=run.focus,
                               dash="schedule", log_y=False, y_domain=(0.0, 1.0)), f"{url}:acc:{run.key}"),
        sentence, df[["series", "schedule", "seed", "step", "lr", "accuracy"]], "transformer-accuracy",
    )
    top = TransformerConfig.model_fields["vocab"].default - 1
    st.caption(f"Task: tokens are uniform in 0..{top} and each position's target is the largest token so far, so "
               "attention has to look back over the whole prefix; a fresh batch every step makes the training loss a "
               "held-out loss too.")


def render() -> None:
    render_lab(SPEC, body)
