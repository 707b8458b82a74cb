"""Lab page "Recurrent nets": ‖∂L/∂h_t‖ against steps back in time for a tanh RNN, an LSTM and a GRU.

URL keys: cell (the highlighted, diagnosed network; rnn_relu is added to the chart when chosen), seq_len,
hidden, init, init_scale, batch_size, seeds; lab-specific: predict (true = predict-first mode).
"""

from __future__ import annotations

from explainer.lab.charts import band_spec, profile_sentence
from explainer.lab.diagnosis import suggest
from explainer.lab.presets import PRESETS
from explainer.lab.variants import CELL_LABELS, cell_variants, rnn_config
from explainer.views.lab import page, predict
from explainer.views.lab.chart_panel import chart_panel
from explainer.views.lab.diagnosis_panel import diagnosis_panel
from explainer.views.lab.results import run_variants, spec, text
from explainer.views.lab.runs import bptt_profile, summarize

URL_PATH = "lab-recurrent"
INTRO = ("The loss reads only the last time step, so its gradient must travel back through every earlier step. "
         "A plain RNN multiplies it by the recurrent Jacobian at each step; gated cells add an additive path.")
QUESTION = "For your cell, will the gradient at the first time step be vanishing, healthy or exploding vs the last?"


def render() -> None:
    values, main = page.start(URL_PATH, INTRO)
    variants = cell_variants(values)
    key = page.config_key(values)
    with main:
        if not page.check_configs("rnn", variants) or predict.gate(URL_PATH, key, QUESTION):
            return
        df = run_variants("rnn", variants, "recurrent nets")
        focus = CELL_LABELS[values["cell"]]
        summary = summarize(bptt_profile(rnn_config(values)))
        predict.verdict_feedback(URL_PATH, key, summary.verdict)
        preset = PRESETS[URL_PATH]
        diagnosis_panel(summary, suggest(values, summary.verdict, preset.keys, preset.prefer), what="‖∂L/∂h_t‖",
                        where="step", subject=f"Your network: {focus}, {values['init']} init, {values['seq_len']} "
                        f"steps, hidden size {values['hidden']}.")
        chart_panel(
            "Gradient ‖∂L/∂h_t‖ against steps back in time (log scale)",
            spec(lambda: band_spec(df, x="steps_back", y="grad_norm", x_title="steps back in time (0 = last step)",
                                    y_title="‖∂L/∂h_t‖", focus=focus), f"{URL_PATH}:bptt:{key}"),
            text(lambda: profile_sentence(df, "steps_back", "grad_norm", "‖∂L/∂h_t‖", "step", reverse=True),
                 f"{URL_PATH}:bptt:{key}"),
            df[["series", "seed", "steps_back", "grad_norm"]],
            "recurrent-bptt",
        )
        page.seeing_note(
            "Backpropagation through time multiplies ∂h_t/∂h_{t-1} = diag(f'(·))·W_hh once per step, so a plain "
            "RNN's gradient decays (or grows) geometrically with distance (Bengio et al. 1994; Pascanu et al. "
            "2013). The LSTM's cell state c_t = f ⊙ c_{t-1} + i ⊙ g (Hochreiter & Schmidhuber 1997) and the GRU's "
            "interpolation (Cho et al. 2014) give a path whose factor is the forget/update gate, which can stay "
            "near 1, so the decay is much slower.", "remedy-gating")
