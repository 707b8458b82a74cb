"""A chart with what every reader needs: the chart, a one-sentence summary, the data table and a CSV download."""

from __future__ import annotations

import pandas as pd
import streamlit as st


def chart_panel(title: str, spec: dict, sentence: str, table: pd.DataFrame, name: str) -> None:
    """Render a cached Vega-Lite spec (built from an Altair chart) with its summary, table and CSV download.

    `name` identifies the panel: it keys the widgets and names the downloaded file.
    """
    st.markdown(f"**{title}**")
    st.vega_lite_chart(spec=spec, width="stretch", alt=f"{title}. {sentence}")
    st.caption(sentence)
    with st.expander("Data table", icon=":material/table_view:"):
        st.dataframe(table, hide_index=True, width="stretch", height=240)
        st.download_button("Download CSV", data=lambda: table.to_csv(index=False).encode(),
                           file_name=f"{name}.csv", mime="text/csv", key=f"csv_{name}", on_click="ignore",
                           icon=":material/download:")
