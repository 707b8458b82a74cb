"""Multi-seed line charts: median line + 10–90 % band per series, optional theory, threshold and divergence layers.

`band_spec` writes the Vega-Lite dict directly (a few ms; the lab pages send it with st.vega_lite_chart);
`band_chart` wraps the same dict in a validated Altair chart for notebooks and tests. Clicking a legend entry
highlights that series (a point selection bound to the legend); hovering shows the numbers.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from explainer.core.palette import colors_for
from explainer.lab.charts.bands import band_frame, first_divergence, thin

LEGEND_PICK = "pick"  # name of the legend-bound selection parameter
CANVAS = {"embedOptions": {"renderer": "canvas"}}  # Streamlit draws small charts as SVG unless the spec asks
Y_FORMAT = ".3~e"
MAX_POINTS = 300  # x values drawn per series at most (a 2000-step run is thinned; the data table keeps all)
DASHES = [[1, 0], [6, 3], [2, 2]]  # solid, dashed, dotted: the stages of a `dash` column, in order
INK = "#444444"


def _records(df: pd.DataFrame) -> list[dict]:
    """Rows as JSON-safe dicts of plain Python values: NaN and infinities become null (Vega skips them; JSON has
    no NaN). Built column by column: DataFrame.to_dict walks every cell through pandas."""
    columns = []
    for name in df.columns:
        values = df[name].to_numpy()
        cells = values.astype(object)  # numpy scalars become Python ones
        if values.dtype.kind == "f":
            cells[~np.isfinite(values)] = None
        columns.append(cells.tolist())
    names = list(df.columns)
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]


def _q(field: str, title: str | None = None, **extra) -> dict:
    out = {"field": field, "type": "quantitative", **extra}
    if title is not None:
        out["title"] = title
    return out


def band_spec(
    df: pd.DataFrame,
    *,
    x: str,
    y: str,
    x_title: str,
    y_title: str,
    series: str = "series",
    log_y: bool = True,
    focus: str | None = None,
    colors: list[str] | None = None,
    theory: pd.DataFrame | None = None,
    threshold: float | None = None,
    threshold_label: str = "threshold",
    divergence: bool = False,
    height: int = 320,
    y_domain: tuple[float, float] | None = None,
    dash: str | None = None,
    legend_columns: int = 4,
) -> dict:
    """Vega-Lite spec: median of `y` across seeds vs `x`, one coloured line per series, shaded 10–90 % band.

    theory: optional frame (series, x, predicted) drawn dashed in the series' colour.
    threshold: optional horizontal rule (e.g. clipping's max_norm). divergence: vertical rules at each series'
    first divergent step (needs `diverged` and `seed` columns in `df`), and each line ends once fewer than
    half of its seeds are left. focus: the series drawn thickest.
    dash: optional column splitting each series into solid/dashed lines (e.g. before/after clipping).
    legend_columns: at most this many legend entries per row (fewer for a narrow chart or long labels).
    """
    by = (dash,) if dash else ()
    bands = band_frame(df, x=x, y=y, series=series, log=log_y, by=by)
    if divergence:  # once most seeds of a series have diverged, the survivors' median would mislead: stop the line
        seeds = df.groupby(series)["seed"].nunique()
        bands = bands[2 * bands["n_seeds"] >= bands["series"].map(seeds)]
    bands = thin(bands, MAX_POINTS).assign(focus=lambda b: b["series"] == focus)
    labels = [str(s) for s in pd.unique(df[series])]
    color = {"field": "series", "type": "nominal", "title": None, "sort": labels,
             "scale": {"domain": labels, "range": colors or colors_for(labels)},
             "legend": {"orient": "bottom", "columns": min(legend_columns, len(labels)), "symbolType": "stroke",
                        "symbolStrokeWidth": 3, "symbolOpacity": 1, "labelLimit": 200, "columnPadding": 16,
                        "title": None}}
    scale: dict = {"type": "log"} if log_y else {"zero": False}
    if y_domain is not None:
        scale = {"type": "log" if log_y else "linear", "domain": list(y_domain), "clamp": True}
    axis = {"format": "~e" if log_y else "~g", "tickCount": 6}
    x_enc = _q("x", x_title, axis={"tickMinStep": 1})
    tooltip = [{"field": "series", "type": "nominal", "title": "series"}, _q("x", x_title),
               _q("median", f"median {y_title}", format=Y_FORMAT), _q("lo", "10th percentile", format=Y_FORMAT),
               _q("hi", "90th percentile", format=Y_FORMAT), _q("n_seeds", "seeds")]
    split: dict = {}
    if dash:
        stages = [str(s) for s in pd.unique(df[dash])]
        split = {"detail": {"field": dash, "type": "nominal"},
                 "strokeDash": {"field": dash, "type": "nominal", "title": None, "sort": stages,
                                "scale": {"domain": stages, "range": DASHES[: len(stages)]},
                                "legend": {"orient": "top", "symbolType": "stroke", "symbolStrokeWidth": 2.5,
                                           "symbolStrokeColor": "#555555"}}}
        tooltip.insert(1, {"field": dash, "type": "nominal", "title": dash})
    datasets = {"bands": _records(bands)}
    data = {"name": "bands"}  # named datasets: each table is sent (and converted by Streamlit) once
    band = {"data": data, "mark": {"type": "area", "interpolate": "monotone"}, "encoding": {
        "x": x_enc, "y": _q("lo", y_title, scale=scale, axis=axis), "y2": {"field": "hi"}, "color": color,
        "opacity": {"condition": {"param": LEGEND_PICK, "value": 0.22}, "value": 0.03},
        **({"detail": split["detail"]} if dash else {})}}
    line = {"data": data, "mark": {"type": "line", "interpolate": "monotone", "point": {"filled": True, "size": 18}},
            "params": [{"name": LEGEND_PICK, "select": {"type": "point", "fields": ["series"]}, "bind": "legend"}],
            "encoding": {
                "x": x_enc, "y": _q("median", y_title, scale=scale, axis=axis), "color": color,
                "strokeWidth": {"field": "focus", "type": "nominal", "legend": None,
                                "scale": {"domain": [False, True], "range": [2, 4]}},
                "opacity": {"condition": {"param": LEGEND_PICK, "value": 1.0}, "value": 0.15},
                "tooltip": tooltip, **split}}
    layers = [band, line]
    if theory is not None and not theory.empty:
        layers.append(_theory_layer(theory, labels, x_title, y_title, scale, color, log_y))
    if threshold is not None:
        layers += _threshold_layers(threshold, threshold_label)
    if divergence:
        marks = first_divergence(df, series=series)
        if not marks.empty:
            layers.append(_divergence_layer(marks, color, x_title))
    return {"$schema": "https://vega.github.io/schema/vega-lite/v6.json", "height": height, "usermeta": CANVAS,
            "datasets": datasets, "layer": layers}


def band_chart(df: pd.DataFrame, **kwargs) -> alt.LayerChart:
    """`band_spec` as a validated Altair chart (same arguments), for notebooks and tests."""
    return alt.LayerChart.from_dict(band_spec(df, **kwargs))


def _theory_layer(theory: pd.DataFrame, labels: list[str], x_title: str, y_title: str, scale: dict, color: dict,
                  log_y: bool) -> dict:
    """Dashed prediction lines in the colour of their series (non-positive predictions skipped on a log axis)."""
    data = theory.rename(columns={"predicted": "theory"})
    data = data[data["series"].astype(str).isin(labels)]
    data = data[data["theory"] > 0] if log_y else data
    return {"data": {"values": _records(data)}, "mark": {"type": "line", "strokeDash": [6, 4], "strokeWidth": 1.8},
            "encoding": {
                "x": _q("x"), "y": _q("theory", y_title, scale=scale), "color": color,
                "detail": {"field": "series", "type": "nominal"},
                "opacity": {"condition": {"param": LEGEND_PICK, "value": 0.9}, "value": 0.1},
                "tooltip": [{"field": "series", "type": "nominal", "title": "series"}, _q("x", x_title),
                            _q("theory", "theory predicts", format=Y_FORMAT)]}}


def _threshold_layers(value: float, label: str) -> list[dict]:
    """A horizontal dashed rule at `value`, labelled at the left end."""
    data = {"values": [{"y": value, "label": f"{label} = {value:g}"}]}
    rule = {"data": data, "mark": {"type": "rule", "color": INK, "strokeDash": [4, 3], "strokeWidth": 1.5},
            "encoding": {"y": _q("y"), "tooltip": [{"field": "label", "type": "nominal", "title": "threshold"}]}}
    text = {"data": data, "mark": {"type": "text", "align": "left", "baseline": "bottom", "dx": 4, "dy": -3,
                                   "color": INK},
            "encoding": {"y": _q("y"), "x": {"value": 0}, "text": {"field": "label", "type": "nominal"}}}
    return [rule, text]


def _divergence_layer(marks: pd.DataFrame, color: dict, x_title: str) -> dict:
    """A vertical rule at each series' first divergent step, coloured like the series."""
    data = marks.assign(note=[f"{d} of {n} seeds diverged" for d, n in zip(marks.n_diverged, marks.n_seeds,
                                                                            strict=True)])
    return {"data": {"values": _records(data)}, "mark": {"type": "rule", "strokeDash": [2, 2], "strokeWidth": 2},
            "encoding": {"x": _q("step", x_title), "color": color,
                         "tooltip": [{"field": "series", "type": "nominal", "title": "series"},
                                     _q("step", "first divergent step"),
                                     {"field": "note", "type": "nominal", "title": "divergence"}]}}
