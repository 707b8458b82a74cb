"""A chart with what every reader needs: the chart, a one-sentence summary, the data table and a CSV download."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st


def chart_panel(title: str, spec: dict, sentence: str, table: pd.DataFrame, name: str,
                on_select: Callable[[], None] | None = None, selection: str | None = None) -> None:
    """Render a cached Vega-Lite spec with its summary sentence (also the alt text), table and CSV download.

    `name` identifies the panel: it keys the widgets and names the downloaded file. `on_select` (a callback) and
    `selection` (a selection parameter of the spec) make clicks on the chart call back; the chart is then keyed
    `chart_<name>` and the callback reads st.session_state["chart_<name>"].selection.
    """
    st.markdown(f"**{title}**")
    if on_select is None:
        st.vega_lite_chart(spec=spec, width="stretch", alt=f"{title}. {sentence}")
    else:
        st.vega_lite_chart(spec=spec, width="stretch", alt=f"{title}. {sentence}", key=f"chart_{name}",
                           on_select=on_select, selection_mode=selection)
    st.caption(sentence)
    data_table(table, name)


@st.fragment
def data_table(table: pd.DataFrame, name: str) -> None:
    """The per-seed data behind a chart, built only when opened (a fragment: opening it reruns just this panel)."""
    box = st.expander("Data table and CSV", icon=":material/table_view:", key=f"table_{name}", on_change="rerun")
    if box.open:
        box.dataframe(table, hide_index=True, width="stretch", height=240)
    box.download_button("Download CSV", data=lambda: table.to_csv(index=False).encode(), file_name=f"{name}.csv",
                        mime="text/csv", key=f"csv_{name}", on_click="ignore", icon=":material/download:")
