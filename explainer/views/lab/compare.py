"""Lab page "Compare remedies": one baseline network and each remedy switched on alone, on one chart.

URL keys: activation, init, norm, residual (the baseline's own settings), depth, width, init_scale, batch_size,
seeds, data; lab-specific: predict (true = predict-first mode).
"""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from explainer.lab.charts import sci
from explainer.lab.variants import REMEDY_SLUGS, remedy_variants
from explainer.views.lab import page, predict
from explainer.views.lab.common import gradient_panel, mlp_diagnosis
from explainer.views.lab.results import run_variants, theory_for
from explainer.views.lab.runs import gradient_profile, memo, summarize

URL_PATH = "lab-compare"
INTRO = ("An ablation: the baseline network, then each remedy switched on alone. The table ranks the remedies by "
         "how close their per-layer decay factor is to 1 (no vanishing, no exploding).")
QUESTION = "Will the baseline's first-layer gradient be vanishing, healthy or exploding relative to its last layer?"


def ranking(variants: list[tuple[str, dict]]) -> pd.DataFrame:
    """One row per variant: decay per layer, first/last ratio and verdict, sorted by |log10(decay)|."""
    rows = []
    for label, cfg in variants:
        s = summarize(gradient_profile(cfg))
        distance = abs(math.log10(s.decay_per_layer)) if s.decay_per_layer > 0 else math.inf
        rows.append({"remedy": label, "decay per layer": s.decay_per_layer, "first/last ratio": s.first_last_ratio,
                     "verdict": s.verdict, "|log10 decay|": distance})
    return pd.DataFrame(rows).sort_values("|log10 decay|", kind="stable").reset_index(drop=True)


def render() -> None:
    values, main = page.start(URL_PATH, INTRO)
    variants = remedy_variants(values)
    key = page.config_key(values)
    with main:
        if not page.check_configs("mlp", variants) or predict.gate(URL_PATH, key, QUESTION):
            return
        df = run_variants("mlp", variants, "networks")
        table = memo(lambda: ranking(variants), f"{URL_PATH}:rank:{key}")
        # The suggestion follows the measured ranking: the best remedy that this baseline can switch on.
        ranked = tuple(REMEDY_SLUGS[r] for r in table["remedy"] if r in REMEDY_SLUGS)
        mlp_diagnosis(URL_PATH, values, key, prefer=ranked)
        gradient_panel(URL_PATH, df, key, "baseline", theory_for(variants[:1], "grad_norm"), "compare")
        ranking_panel(table)
        page.seeing_note(
            "Each remedy attacks one factor of the per-layer product W·f'(z): a non-saturating activation makes "
            "f' = 1 for active units, a matched init (Glorot & Bengio 2010; He et al. 2015) sets the scale of W, "
            "BatchNorm re-standardises z (Ioffe & Szegedy 2015), and skip connections add an identity path (He et "
            "al. 2016). Note that ReLU alone, without He init, still shrinks the signal layer by layer.",
            "cheatsheet")


def ranking_panel(table: pd.DataFrame) -> None:
    """The sorted decay table with a one-sentence summary and CSV download."""
    st.markdown("**Remedies ranked by decay per layer (closest to ×1 first)**")
    best = table.iloc[0]
    st.caption(f"Best here: {best['remedy']} (×{sci(best['decay per layer'])} per layer, {best['verdict']}); "
               f"worst: {table.iloc[-1]['remedy']} (×{sci(table.iloc[-1]['decay per layer'])} per layer).")
    st.dataframe(table, hide_index=True, width="stretch", column_config={
        "decay per layer": st.column_config.NumberColumn(format="%.3g"),
        "first/last ratio": st.column_config.NumberColumn(format="%.2e"),
        "|log10 decay|": st.column_config.NumberColumn(format="%.3f"),
    })
    st.download_button("Download CSV", data=lambda: table.to_csv(index=False).encode(), file_name="compare-ranking.csv",
                       mime="text/csv", key="csv_compare_ranking", on_click="ignore", icon=":material/download:")
