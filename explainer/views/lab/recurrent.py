"""Lab page "Recurrent nets" (spec: explainer.lab.specs): ‖∂L/∂h_t‖ against steps back for RNN, LSTM and GRU."""

from __future__ import annotations

from explainer.lab.charts import band_spec, profile_sentence
from explainer.lab.diagnosis import suggest
from explainer.lab.specs import LABS
from explainer.lab.variants import rnn_config
from explainer.views.lab import predict
from explainer.views.lab.chart_panel import chart_panel
from explainer.views.lab.diagnosis_panel import diagnosis_panel
from explainer.views.lab.page import LabRun, render_lab
from explainer.views.lab.results import spec, text
from explainer.views.lab.runs import bptt_profile, summarize

SPEC = LABS["lab-recurrent"]


def body(run: LabRun) -> None:
    values, df, key = run.values, run.df, f"{SPEC.url_path}:bptt:{run.key}"
    summary = summarize(bptt_profile(rnn_config(values)))
    predict.verdict_feedback(SPEC.url_path, run.key, summary.verdict)
    diagnosis_panel(summary, suggest(values, summary.verdict, SPEC.keys, SPEC.prefer), what="‖∂L/∂h_t‖",
                    where="step", subject=f"Your network: {run.focus}, {values['init']} init, {values['seq_len']} "
                    f"steps, hidden size {values['hidden']}.")
    chart_panel(
        "Gradient ‖∂L/∂h_t‖ against steps back in time (log scale)",
        spec(lambda: band_spec(df, x="steps_back", y="grad_norm", x_title="steps back in time (0 = last step)",
                                y_title="‖∂L/∂h_t‖", focus=run.focus), key),
        text(lambda: profile_sentence(df, "steps_back", "grad_norm", "‖∂L/∂h_t‖", "step", reverse=True), key),
        df[["series", "seed", "steps_back", "grad_norm"]],
        "recurrent-bptt",
    )


def render() -> None:
    render_lab(SPEC, body)
