"""Multi-seed line charts: median line + 10–90 % band per series, optional theory, threshold and divergence layers.

Every chart function takes tidy DataFrames and returns an Altair chart (no streamlit). Clicking a legend entry
highlights that series (a point selection bound to the legend); hovering shows the numbers.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from explainer.charts.bands import band_frame, first_divergence, thin
from explainer.palette import colors_for

LEGEND_PICK = "pick"  # name of the legend-bound selection parameter
CANVAS = {"embedOptions": {"renderer": "canvas"}}  # Streamlit draws small charts as SVG unless the spec asks
Y_FORMAT = ".3~e"
MAX_POINTS = 300  # x values drawn per series at most (a 2000-step run is thinned; the data table keeps all)
DASHES = [[1, 0], [6, 3], [2, 2]]  # solid, dashed, dotted: the stages of a `dash` column, in order


def _color(labels: list[str], colors: list[str] | None) -> alt.Color:
    scale = alt.Scale(domain=labels, range=colors or colors_for(labels))
    return alt.Color("series:N", title=None, scale=scale, sort=labels,
                     legend=alt.Legend(orient="bottom", columns=3, symbolType="stroke", symbolStrokeWidth=3,
                                       symbolOpacity=1, labelLimit=200, columnPadding=16, title=None))


def band_chart(
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
) -> alt.LayerChart:
    """Median of `y` across seeds vs `x`, one coloured line per series, with a shaded 10–90 % band.

    theory: optional frame (series, x, predicted) drawn dashed in the series' colour.
    threshold: optional horizontal rule (e.g. clipping's max_norm). divergence: vertical rules at each series'
    first divergent step (needs `diverged` and `seed` columns in `df`), and each line ends once fewer than
    half of its seeds are left. focus: the series drawn thickest.
    dash: optional column splitting each series into solid/dashed lines (e.g. before/after clipping).
    """
    by = (dash,) if dash else ()
    bands = band_frame(df, x=x, y=y, series=series, log=log_y, by=by)
    if divergence:  # once most seeds of a series have diverged, the survivors' median would mislead: stop the line
        seeds = df.groupby(series)["seed"].nunique()
        bands = bands[2 * bands["n_seeds"] >= bands["series"].map(seeds)]
    bands = thin(bands, MAX_POINTS)
    labels = list(pd.unique(df[series].astype(str)))
    bands["focus"] = bands["series"] == focus
    color = _color(labels, colors)
    pick = alt.selection_point(fields=["series"], bind="legend", name=LEGEND_PICK)
    scale = alt.Scale(type="log") if log_y else alt.Scale(zero=False)
    if y_domain is not None:
        scale = alt.Scale(type="log" if log_y else "linear", domain=list(y_domain), clamp=True)
    y_axis = alt.Axis(format="~e" if log_y else "~g", tickCount=6)
    x_enc = alt.X("x:Q", title=x_title, axis=alt.Axis(tickMinStep=1))
    base = alt.Chart(bands).encode(x=x_enc, color=color)
    tooltip = [
        alt.Tooltip("series:N", title="series"),
        alt.Tooltip("x:Q", title=x_title),
        alt.Tooltip("median:Q", title=f"median {y_title}", format=Y_FORMAT),
        alt.Tooltip("lo:Q", title="10th percentile", format=Y_FORMAT),
        alt.Tooltip("hi:Q", title="90th percentile", format=Y_FORMAT),
        alt.Tooltip("n_seeds:Q", title="seeds"),
    ]
    split = {}
    if dash:
        stages = list(pd.unique(df[dash]))
        patterns = DASHES[: len(stages)]
        split = {"detail": f"{dash}:N", "strokeDash": alt.StrokeDash(
            f"{dash}:N", title=None, sort=stages, scale=alt.Scale(domain=stages, range=patterns),
            legend=alt.Legend(orient="top", symbolType="stroke", symbolStrokeWidth=2.5, symbolStrokeColor="#555555"))}
        tooltip.insert(1, alt.Tooltip(f"{dash}:N", title=dash))
    band = base.mark_area(interpolate="monotone").encode(
        y=alt.Y("lo:Q", scale=scale, title=y_title, axis=y_axis),
        y2="hi:Q",
        opacity=alt.condition(pick, alt.value(0.22), alt.value(0.03)),
        **({"detail": split["detail"]} if dash else {}),
    )
    line = (
        base.mark_line(interpolate="monotone", point=alt.OverlayMarkDef(size=18, filled=True))
        .encode(
            y=alt.Y("median:Q", scale=scale, title=y_title, axis=y_axis),
            strokeWidth=alt.StrokeWidth("focus:N", scale=alt.Scale(domain=[False, True], range=[2, 4]), legend=None),
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.15)),
            tooltip=tooltip,
            **split,
        )
        .add_params(pick)
    )
    layers: list[alt.Chart] = [band, line]
    if theory is not None and not theory.empty:
        layers.append(_theory_layer(theory, x_title, y_title, scale, color, pick, log_y))
    if threshold is not None:
        layers.append(_threshold_layer(threshold, threshold_label))
    if divergence:
        marks = first_divergence(df, series=series)
        if not marks.empty:
            layers.append(_divergence_layer(marks, color, x_title))
    return alt.layer(*layers).properties(height=height, usermeta=CANVAS)


def _theory_layer(theory: pd.DataFrame, x_title: str, y_title: str, scale, color, pick, log_y: bool) -> alt.Chart:
    """Dashed prediction lines in the colour of their series (non-positive predictions skipped on a log axis)."""
    data = theory.rename(columns={"predicted": "theory"})
    data = data[data["theory"] > 0] if log_y else data
    return (
        alt.Chart(data)
        .mark_line(strokeDash=[6, 4], strokeWidth=1.8)
        .encode(
            x="x:Q",
            y=alt.Y("theory:Q", scale=scale, title=y_title),
            color=color,
            detail="series:N",
            opacity=alt.condition(pick, alt.value(0.9), alt.value(0.1)),
            tooltip=[alt.Tooltip("series:N", title="series"), alt.Tooltip("x:Q", title=x_title),
                     alt.Tooltip("theory:Q", title="theory predicts", format=Y_FORMAT)],
        )
    )


def _threshold_layer(value: float, label: str) -> alt.LayerChart:
    """A horizontal dashed rule at `value`, labelled at the left end."""
    data = pd.DataFrame({"y": [value], "label": [f"{label} = {value:g}"]})
    rule = alt.Chart(data).mark_rule(color="#444444", strokeDash=[4, 3], strokeWidth=1.5).encode(
        y="y:Q", tooltip=[alt.Tooltip("label:N", title="threshold")]
    )
    text = alt.Chart(data).mark_text(align="left", baseline="bottom", dx=4, dy=-3, color="#444444").encode(
        y="y:Q", x=alt.value(0), text="label:N"
    )
    return alt.layer(rule, text)


def _divergence_layer(marks: pd.DataFrame, color, x_title: str) -> alt.Chart:
    """A vertical rule at each series' first divergent step, coloured like the series."""
    data = marks.assign(note=marks.apply(lambda r: f"{r.n_diverged} of {r.n_seeds} seeds diverged", axis=1))
    return (
        alt.Chart(data)
        .mark_rule(strokeDash=[2, 2], strokeWidth=2)
        .encode(
            x=alt.X("step:Q", title=x_title),
            color=color,
            tooltip=[alt.Tooltip("series:N", title="series"), alt.Tooltip("step:Q", title="first divergent step"),
                     alt.Tooltip("note:N", title="divergence")],
        )
    )
