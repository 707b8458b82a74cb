"""Lab page "Weight decay" (spec: explainer.lab.specs): weight and gradient norm over training for several λ."""

from __future__ import annotations

from explainer.core.palette import ordinal_colors
from explainer.lab.charts import band_spec, training_sentence
from explainer.lab.specs import LABS
from explainer.views.lab.chart_panel import chart_panel
from explainer.views.lab.common import train_diagnosis
from explainer.views.lab.page import LabRun, render_lab
from explainer.views.lab.results import spec, text

SPEC = LABS["lab-weight-decay"]


def body(run: LabRun) -> None:
    df, focus, url = run.df, run.focus, SPEC.url_path
    colors = ordinal_colors([label for label, _ in run.variants])
    train_diagnosis(run)
    chart_panel(
        "Weight norm ‖w‖ per step",
        spec(lambda: band_spec(df, x="step", y="weight_norm", x_title="step", y_title="weight norm", focus=focus,
                                colors=colors, log_y=False, divergence=True), f"{url}:w:{run.key}"),
        text(lambda: training_sentence(df, "weight_norm", "weight norm"), f"{url}:w:{run.key}"),
        df, "weight-decay-runs",
    )
    chart_panel(
        "Gradient norm per step (log scale)",
        spec(lambda: band_spec(df, x="step", y="grad_norm", x_title="step", y_title="gradient norm", focus=focus,
                                colors=colors, divergence=True), f"{url}:g:{run.key}"),
        text(lambda: training_sentence(df, "grad_norm", "gradient norm"), f"{url}:g:{run.key}"),
        df[["series", "seed", "step", "grad_norm", "loss", "diverged"]], "weight-decay-gradient-norms",
    )


def render() -> None:
    render_lab(SPEC, body)
