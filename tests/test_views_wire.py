"""Chart specs carry their data as Arrow bytes once cached (explainer.views.wire): same rows, no per-run conversion."""

import pyarrow as pa

from explainer.views.wire import VALUES, altair_spec, arrow_ready


def rows_of(data: bytes) -> list[dict]:
    return pa.ipc.open_stream(data).read_all().to_pylist()


def test_named_datasets_and_top_level_values_become_arrow_bytes_with_the_same_rows():
    bands = [{"series": "ReLU", "x": 1, "median": 0.5}, {"series": "ReLU", "x": 2, "median": None}]
    values = [{"x": 1, "predicted": 2.0}]
    layer = {"data": {"values": [{"x": 3}]}, "mark": "rule"}
    spec = {"datasets": {"bands": bands}, "data": {"values": values}, "layer": [layer]}
    out = arrow_ready(spec)
    assert rows_of(out["datasets"]["bands"]) == bands
    assert out["data"] == {"name": VALUES} and rows_of(out["datasets"][VALUES]) == values
    assert out["layer"] == [layer]  # a layer's own values stay inline, as Streamlit sends them
    assert spec["datasets"]["bands"] is bands and spec["data"] == {"values": values}  # the input is untouched


def test_a_spec_already_converted_or_without_data_is_unchanged():
    once = arrow_ready({"datasets": {"d": [{"a": 1}]}, "mark": "point"})
    assert arrow_ready(once) == once
    assert arrow_ready({"mark": "point", "data": {"url": "x.csv"}}) == {"mark": "point", "data": {"url": "x.csv"}}


def test_an_altair_chart_of_more_than_5000_rows_is_sent_whole():
    """Altair's own to_dict refuses over 5000 rows; st.altair_chart does not, and neither does altair_spec."""
    import altair as alt
    import pandas as pd

    frame = pd.DataFrame({"x": range(6000), "y": range(6000)})
    spec = altair_spec(alt.Chart(frame).mark_line().encode(x="x", y="y"))
    (data,) = spec["datasets"].values()
    assert len(rows_of(data)) == 6000
