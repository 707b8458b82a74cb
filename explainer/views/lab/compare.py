"""Lab page "Compare remedies" (spec: explainer.lab.specs): a baseline and each remedy switched on alone."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from explainer.lab.charts import sci
from explainer.lab.ranking import ranking
from explainer.lab.specs import LABS
from explainer.lab.variants import REMEDY_SLUGS
from explainer.views.lab.common import gradient_panel, mlp_diagnosis
from explainer.views.lab.page import LabRun, render_lab
from explainer.views.lab.results import theory_for
from explainer.views.lab.runs import gradient_profile, memo, summarize

SPEC = LABS["lab-compare"]


def body(run: LabRun) -> None:
    table = memo(lambda: ranking([(label, summarize(gradient_profile(cfg))) for label, cfg in run.variants]),
                 f"{SPEC.url_path}:rank:{run.key}")
    # The suggestion follows the measured ranking: the best remedy that this baseline can switch on.
    ranked = tuple(REMEDY_SLUGS[r] for r in table["remedy"] if r in REMEDY_SLUGS)
    mlp_diagnosis(run, prefer=ranked)
    gradient_panel(run, theory_for(run.variants[:1], "grad_norm"))
    ranking_panel(table)


def render() -> None:
    render_lab(SPEC, body)


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
