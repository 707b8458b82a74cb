"""Lab page "Exploding & clipping" (spec: explainer.lab.specs): one run unclipped, clipped by norm and by value."""

from __future__ import annotations

import pandas as pd

from explainer.lab.charts import band_spec, training_sentence
from explainer.lab.specs import LABS
from explainer.lab.variants import CLIP_LABELS
from explainer.views.lab.chart_panel import chart_panel
from explainer.views.lab.common import train_diagnosis
from explainer.views.lab.page import LabRun, render_lab
from explainer.views.lab.results import spec, text
from explainer.views.lab.runs import derived

SPEC = LABS["lab-clipping"]
STAGE = "stage"


def norms_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Long frame of the gradient norm before and after clipping (runs without clipping: before only)."""
    cols = ["series", "seed", "step", "diverged"]
    before = df[cols].assign(**{STAGE: "before clipping", "norm": df["grad_norm"]})
    clipped = df[df["series"] != CLIP_LABELS["none"]]
    after = clipped[cols].assign(**{STAGE: "after clipping", "norm": clipped["grad_norm_clipped"]})
    return pd.concat([before, after], ignore_index=True)


def body(run: LabRun) -> None:
    df, focus, url = run.df, run.focus, SPEC.url_path
    train_diagnosis(run)
    chart_panel(
        "Training loss per step (log scale; dotted rule: first divergent step)",
        spec(lambda: band_spec(df, x="step", y="loss", x_title="step", y_title="loss (MSE)", focus=focus,
                                divergence=True), f"{url}:loss:{run.key}"),
        text(lambda: training_sentence(df, "loss", "loss"), f"{url}:loss:{run.key}"),
        df, "clipping-runs",
    )
    norms = derived(norms_frame, df)
    chart_panel(
        "Gradient norm before (solid) and after (dashed) clipping, against max_norm",
        spec(lambda: band_spec(norms, x="step", y="norm", x_title="step", y_title="gradient norm", focus=focus,
                                dash=STAGE, threshold=float(run.values["max_norm"]), threshold_label="max_norm",
                                divergence=True), f"{url}:norm:{run.key}"),
        text(lambda: training_sentence(norms[norms[STAGE] == "after clipping"], "norm",
                                       "gradient norm after clipping"), f"{url}:norm:{run.key}"),
        norms, "clipping-gradient-norms",
    )


def render() -> None:
    render_lab(SPEC, body)
