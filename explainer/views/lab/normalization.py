"""Lab page "BatchNorm & residual" (spec: explainer.lab.specs): one deep net plain, with BN, skips, and both."""

from __future__ import annotations

from explainer.lab.specs import LABS
from explainer.views.lab.common import gradient_panel, mlp_diagnosis, saturation_panel
from explainer.views.lab.page import LabRun, render_lab
from explainer.views.lab.results import theory_for

SPEC = LABS["lab-normalization"]


def body(run: LabRun) -> None:
    mlp_diagnosis(run)
    gradient_panel(run, theory_for(run.variants, "grad_norm"))
    saturation_panel(run)


def render() -> None:
    render_lab(SPEC, body)
