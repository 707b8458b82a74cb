"""Chart specs ready for the wire: their data as Arrow IPC bytes, converted once when the spec is cached.

st.vega_lite_chart turns every named dataset and top-level `data.values` into Arrow on every call unless it is
bytes already (streamlit/elements/vega_charts.py, _marshall_chart_data). A cached spec that carries the bytes
pays that conversion once instead of on every rerun of every session: a third of a lab page's server time under
load went to it. The bytes are what Streamlit would have sent: the same function of the same rows.
"""

from __future__ import annotations

from typing import Any

from streamlit import dataframe_util

VALUES = "_values"  # the name a top-level `data.values` gets as a named dataset


def arrow_ready(spec: dict[str, Any]) -> dict[str, Any]:
    """A copy of a Vega-Lite spec whose named datasets (and top-level inline values, moved to a named dataset) are
    Arrow bytes; layers' own inline values stay in the spec, as Streamlit sends them."""
    out = dict(spec)
    datasets = dict(out.get("datasets") or {})
    data = out.get("data")
    if isinstance(data, dict) and set(data) == {"values"} and isinstance(data["values"], list):
        datasets[VALUES] = data["values"]
        out["data"] = {"name": VALUES}
    for name, rows in datasets.items():
        if isinstance(rows, list):
            datasets[name] = dataframe_util.convert_anything_to_arrow_bytes(rows)
    if datasets:
        out["datasets"] = datasets
    return out


def altair_spec(chart) -> dict[str, Any]:
    """An Altair chart's Vega-Lite dict, with no row limit (st.altair_chart sets none either), ready for the wire."""
    import altair as alt

    with alt.data_transformers.enable("default", max_rows=None):
        return arrow_ready(chart.to_dict(validate=False))
