"""Lab page "Phase diagram" (spec: explainer.lab.specs): heatmap over (σ_w, σ_b), critical line, the learner's cell."""

from __future__ import annotations

import math

import streamlit as st

from explainer.core.sitemap import BY_PATH
from explainer.experiments.summary import CRITICAL_MARGIN, phase_agreement
from explainer.lab.charts import band_spec
from explainer.lab.charts.phase import CELL, cell_frame, phase_sentence, phase_spec
from explainer.lab.charts.summaries import sci
from explainer.lab.diagnosis_onepass import suggest_phase
from explainer.lab.outcomes import critical_sigma_w, phase_cell
from explainer.lab.phase_link import init_lab_params
from explainer.lab.specs import LABS
from explainer.lab.variants import phase_config
from explainer.views.lab import predict, runs_onepass
from explainer.views.lab.chart_panel import chart_panel
from explainer.views.lab.diagnosis_panel import diagnosis_panel
from explainer.views.lab.page import LabRun, render_lab
from explainer.views.lab.results import spec, text
from explainer.views.lab.runs import derived
from explainer.views.nav import link_to

SPEC = LABS["lab-phase"]
NEAR_CRITICAL = 0.05  # |ln χ₁| below this is called "on the critical line" in the text
MAP = "phase-map"  # the heatmap panel's name (its chart is keyed chart_phase-map)


def pick_cell() -> None:
    """on_select of the heatmap: a clicked cell becomes the learner's (σ_w, σ_b) before the widgets are drawn."""
    state = st.session_state.get(f"chart_{MAP}")
    points = state.selection.get(CELL, []) if state is not None else []
    if points and "sigma_w" in points[0] and "sigma_b" in points[0]:
        st.session_state["sigma_w"] = round(float(points[0]["sigma_w"]), 3)
        st.session_state["sigma_b"] = round(float(points[0]["sigma_b"]), 3)


def _phase_words(chi1: float) -> str:
    if abs(math.log(chi1)) < NEAR_CRITICAL:
        return f"on the critical line (χ₁ = {chi1:.3f})"
    return f"{'ordered' if chi1 < 1 else 'chaotic'} phase (χ₁ = {chi1:.3g})"


def body(run: LabRun) -> None:
    values, df, url = run.values, run.df, SPEC.url_path
    cfg = phase_config(values)
    line = runs_onepass.critical_line(cfg)
    cell = phase_cell(df, float(values["sigma_w"]), float(values["sigma_b"]), int(values["depth"]))
    critical = critical_sigma_w(line, cell.sigma_b)
    predict.verdict_feedback(url, run.key, cell.summary.verdict)
    diagnosis_panel(
        cell.summary, suggest_phase(values, cell, critical, SPEC.keys), what="error gradient ‖∂L/∂z‖",
        where="layer",
        subject=f"Your cell: σ_w = {cell.sigma_w:.3g}, σ_b = {cell.sigma_b:.3g} (nearest grid point), "
                f"{values['activation']}, depth {values['depth']}, width {values['width']}: "
                f"{_phase_words(cell.chi1)}; theory predicts first/last = ×{sci(10 ** cell.predicted)}.")
    chart_panel(
        "Measured log₁₀(first / last layer gradient) over the grid; dashed: critical line χ₁ = 1; ringed: your cell "
        "(click a cell to choose it)",
        spec(lambda: phase_spec(df, line, (cell.sigma_w, cell.sigma_b)), f"{url}:map:{run.key}"),
        text(lambda: phase_sentence(df, phase_agreement(df), CRITICAL_MARGIN),
             f"{url}:map:{run.key}"),
        derived(cell_frame, df).drop(columns=["sigma_w_lo", "sigma_w_hi", "sigma_b_lo", "sigma_b_hi"]),
        MAP, on_select=pick_cell, selection=CELL,
    )
    init_link(values, cell.sigma_w, cell.sigma_b)
    row = df[df["sigma_b"] == cell.sigma_b].assign(series=run.focus)
    theory = row.drop_duplicates("sigma_w")[["sigma_w", "predicted_log10_ratio"]].rename(
        columns={"sigma_w": "x", "predicted_log10_ratio": "predicted"}).assign(series=run.focus)
    chart_panel(
        f"Along your row σ_b = {cell.sigma_b:.3g}: measured log₁₀(first / last) per σ_w, median and band over seeds "
        "(dashed: mean-field prediction)",
        spec(lambda: band_spec(row, x="sigma_w", y="log10_ratio", x_title="σ_w (weight scale)",
                               y_title="log₁₀(first / last)", focus=run.focus, log_y=False, theory=theory,
                               threshold=0.0, threshold_label="no change"), f"{url}:row:{run.key}"),
        text(lambda: row_sentence(row, critical, cell.sigma_b), f"{url}:row:{run.key}"),
        row[["sigma_w", "sigma_b", "seed", "log10_ratio", "log10_weight_ratio", "predicted_log10_ratio", "chi1",
             "q_star", "phase"]],
        "phase-row",
    )


def row_sentence(row, critical: float, sigma_b: float) -> str:
    """Where the measured row crosses 0, against the theory's critical σ_w."""
    med = row.groupby("sigma_w")["log10_ratio"].median()
    below, above = med[med < 0], med[med >= 0]
    where = (f"the measured ratio turns from vanishing to exploding between σ_w = {below.index.max():.3g} and "
             f"{above.index.min():.3g}" if len(below) and len(above) and below.index.max() < above.index.min()
             else f"the measured ratio runs from ×{sci(10 ** med.iloc[0])} to ×{sci(10 ** med.iloc[-1])}")
    theory = f"theory puts χ₁ = 1 at σ_w = {critical:.3g}" if math.isfinite(critical) else "theory finds no χ₁ = 1 here"
    return f"At σ_b = {sigma_b:.3g} {where}; {theory} ({row['seed'].nunique()} seeds)."


def init_link(values: dict, sigma_w: float, sigma_b: float) -> None:
    """Open the learner's cell in the Initialization lab, saying what the translation leaves out."""
    params, notes = init_lab_params(values, sigma_w, sigma_b)
    st.page_link(link_to("lab-init"), label=f"Open σ_w = {sigma_w:.3g} in the {BY_PATH['lab-init'].title} lab",
                 icon=":material/open_in_new:", query_params={k: str(v) for k, v in params.items()})
    st.caption(" ".join(notes))


def render() -> None:
    render_lab(SPEC, body)
