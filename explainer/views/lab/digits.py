"""Lab page "Does it hurt learning?" (spec: explainer.lab.specs): test accuracy on digits beside step-0 profiles."""

from __future__ import annotations

import math

import streamlit as st

from explainer.experiments.summary import DIGITS_LEARNED
from explainer.lab.charts import band_spec, profile_sentence, sci
from explainer.lab.charts.onepass import learn_sentence
from explainer.lab.diagnosis_onepass import suggest_digits
from explainer.lab.outcomes import digits_facts
from explainer.lab.specs import LABS
from explainer.lab.variants import DIGITS_LABELS, digits_config
from explainer.views.lab import predict, runs_onepass
from explainer.views.lab.chart_panel import chart_panel
from explainer.views.lab.common import LAYER_AXIS
from explainer.views.lab.diagnosis_panel import outcome_panel
from explainer.views.lab.page import LabRun, render_lab
from explainer.views.lab.results import spec, text
from explainer.views.lab.runs import derived, summarize

SPEC = LABS["lab-digits"]
CHANCE = 0.1  # 10 balanced classes


def trains(values: dict) -> str:
    """What the page trains, in one line."""
    v = values
    return (f"Trains {v['depth']} hidden layers of {v['width']} units (64 pixel inputs, a 10-way softmax) with SGD "
            f"(momentum 0.9, lr {v['lr']:g}) for {v['steps']} steps of {v['batch_size']} images from the 1,437 "
            f"training images, {v['seeds']} seeds per net; loss and accuracy on all 360 held-out images every "
            f"{v['eval_every']} steps.")


def body(run: LabRun) -> None:
    values, df, url = run.values, run.df, SPEC.url_path
    profile = runs_onepass.digits_profile(digits_config(values))
    facts = {label: derived(digits_facts, df, label) for label in df["series"].unique()}
    by_variant = {v: facts[label] for v, label in DIGITS_LABELS.items() if label in facts}
    mine = facts[run.focus]
    predict.verdict_feedback(url, run.key, mine.verdict)
    own = summarize(profile, run.focus)
    outcome_panel(
        [("First / last layer", sci(own.first_last_ratio), "At step 0: median over seeds of layer 1's gradient norm "
          f"divided by the last hidden layer's ({own.verdict})."),
         ("Test accuracy", f"{mine.accuracy:.0%}" if math.isfinite(mine.accuracy) else "n/a",
          "Held-out accuracy after the last step, median over seeds (chance: 10 %).")],
        mine.verdict, f"learns: held-out accuracy ≥ {DIGITS_LEARNED:.0%}; stalls: below; diverged: the loss of most "
        "seeds became inf/NaN.", suggest_digits(values, mine, by_variant, SPEC.keys),
        healthy=mine.verdict == "learns", subject=f"Your net: {run.focus}. " + trains(values))
    test = df[df["split"] == "test"]
    left, right = st.columns(2, gap="medium")
    with left:
        chart_panel(
            "Test accuracy per step (dotted: chance, 10 %)",
            spec(lambda: band_spec(test, x="step", y="accuracy", x_title="step", y_title="held-out accuracy",
                                   focus=run.focus, log_y=False, y_domain=(0.0, 1.0), threshold=CHANCE,
                                   threshold_label="chance", legend_columns=2), f"{url}:acc:{run.key}"),
            text(lambda: learn_sentence(facts.values(), "test accuracy"), f"{url}:acc:{run.key}"),
            df, "digits-training",
        )
    with right:
        chart_panel(
            "Gradient norm per layer at step 0 (log scale)",
            spec(lambda: band_spec(profile, x="layer", y="grad_norm", x_title=LAYER_AXIS, y_title="gradient norm",
                                   focus=run.focus, legend_columns=2), f"{url}:grad:{run.key}"),
            text(lambda: profile_sentence(profile, "layer", "grad_norm", "gradient norm", "layer"),
                 f"{url}:grad:{run.key}"),
            profile, "digits-gradient-profile",
        )
    chart_panel(
        "Test loss per step (log scale)",
        spec(lambda: band_spec(test, x="step", y="loss", x_title="step", y_title="held-out loss (cross-entropy)",
                               focus=run.focus), f"{url}:loss:{run.key}"),
        text(lambda: test_loss_sentence(test), f"{url}:loss:{run.key}"),
        test, "digits-test-loss",
    )


def test_loss_sentence(test) -> str:
    """E.g. "Held-out loss after 200 steps: baseline 2.3 (chance is ln 10 = 2.3), ReLU + He 0.39, ..."."""
    last = test[test["step"] == test["step"].max()]
    parts = [f"{name} {sci(float(grp['loss'].median()))}" for name, grp in last.groupby("series", sort=False)]
    return f"Held-out loss after {int(last['step'].max())} steps: {', '.join(parts)} (guessing uniformly: ln 10 = 2.3)."


def render() -> None:
    render_lab(SPEC, body)
