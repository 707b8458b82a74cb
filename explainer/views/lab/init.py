"""Lab page "Initialization" (spec: explainer.lab.specs): activation std and gradient norm per layer, with theory."""

from __future__ import annotations

from explainer.lab.charts import band_spec, level_sentence
from explainer.lab.specs import LABS
from explainer.views.lab.chart_panel import chart_panel
from explainer.views.lab.common import LAYER_AXIS, gradient_panel, mlp_diagnosis
from explainer.views.lab.page import LabRun, render_lab
from explainer.views.lab.results import spec, text, theory_for

SPEC = LABS["lab-init"]


def body(run: LabRun) -> None:
    df, key = run.df, f"{SPEC.url_path}:std:{run.key}"
    mlp_diagnosis(run)
    chart_panel(
        "Activation std per layer (log scale; dashed: variance-propagation prediction)",
        spec(lambda: band_spec(df, x="layer", y="act_std", x_title=LAYER_AXIS, y_title="std of activations",
                                focus=run.focus, theory=theory_for(run.variants, "act_std")), key),
        text(lambda: level_sentence(df, "layer", "act_std", "activation std", "layer"), key),
        df[["series", "seed", "layer", "act_mean", "act_std"]],
        "init-activation-std",
    )
    gradient_panel(run, theory_for(run.variants, "grad_norm"))


def render() -> None:
    render_lab(SPEC, body)
