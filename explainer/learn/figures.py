"""Inline figures for the Learn pages: tidy frames from figure_data -> alt.Chart (no torch, no streamlit).

`FIGURES` maps the names used by `::figure <name>` lines in explainer/learn/content/*.md to a builder and the
one-sentence alt text screen readers get. `activation_curves_chart` is shared with the lab-activations page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import altair as alt
import pandas as pd

from explainer.experiments.activations import RELU_FAMILY, SIGMOID, TANH
from explainer.learn import figure_data as data
from explainer.learn import figure_data_topics as topics
from explainer.learn.figure_data import ACTIVATIONS, activation, activation_curves_frame

__all__ = ["ACTIVATIONS", "FIGURES", "activation", "activation_curves_chart", "activation_curves_frame"]

_LEGEND = alt.Legend(orient="bottom", columns=1, labelLimit=300)  # one column below the plot: fits 390 px


def _height(legend_rows: int, plot: int = 230) -> int:
    """Streamlit sizes the whole chart (plot, axes and legend) to the spec's height: leave room for the legend."""
    return plot + 60 + 24 * legend_rows


def activation_curves_chart(
    names: list[str], height: int = 300, y_domain: tuple[float, float] = (-1.25, 2.0)
) -> alt.Chart:
    """Activations (solid) and their derivatives (dashed) over x in [-6, 6], one colour per function.

    The y axis is clipped to `y_domain` so a derivative of 0.25 stays visible next to ReLU's ramp.
    """
    frame = activation_curves_frame(names)
    return (
        alt.Chart(frame)
        .mark_line(strokeWidth=2, clip=True)
        .encode(
            x=alt.X("x:Q", title="pre-activation z"),
            y=alt.Y("value:Q", title="value", scale=alt.Scale(domain=list(y_domain))),
            color=alt.Color("function:N", title="function", legend=alt.Legend(orient="bottom")),
            strokeDash=alt.StrokeDash(
                "kind:N", title="curve", sort=["f", "f'"],
                scale=alt.Scale(domain=["f", "f'"], range=[[1, 0], [6, 3]]),
                legend=alt.Legend(orient="bottom", labelExpr="datum.label == 'f' ? 'f(z)' : 'f′(z)'"),
            ),
            detail="kind:N",
            tooltip=["function:N", "kind:N", alt.Tooltip("x:Q", format=".2f"), alt.Tooltip("value:Q", format=".3f")],
        )
        .properties(height=height)
    )


def _peak(x: float, y: float, text: str) -> alt.LayerChart:
    """A labelled dot marking a maximum."""
    point = pd.DataFrame({"x": [x], "value": [y], "text": [text]})
    base = alt.Chart(point).encode(x="x:Q", y="value:Q")
    return base.mark_point(filled=True, size=70, color="black") + base.mark_text(
        align="left", dx=8, dy=-8, fontSize=12
    ).encode(text="text:N")


def sigmoid_chart() -> alt.LayerChart:
    """σ and σ′ on one chart: σ′ = σ(1 − σ) peaks at 1/4 at z = 0."""
    return activation_curves_chart([SIGMOID.name], y_domain=(-0.1, 1.1)) + _peak(
        SIGMOID.peak_at, SIGMOID.peak, f"σ′({SIGMOID.peak_at:g}) = {SIGMOID.peak:g}"
    )


def tanh_chart() -> alt.LayerChart:
    """tanh and tanh′ on one chart: tanh′ = 1 − tanh² reaches 1 only at z = 0."""
    return activation_curves_chart([TANH.name], y_domain=(-1.1, 1.2)) + _peak(
        TANH.peak_at, TANH.peak, f"tanh′({TANH.peak_at:g}) = {TANH.peak:g}"
    )


def derivatives_chart(names: tuple[str, ...] = (SIGMOID.name, *RELU_FAMILY)) -> alt.Chart:
    """Only the derivatives, so the flat 1 of the rectifiers stands against sigmoid's 0.25 bump."""
    frame = activation_curves_frame(list(names))
    frame = frame[frame["kind"] == "f'"]
    return (
        alt.Chart(frame)
        .mark_line(strokeWidth=2)
        .encode(
            x=alt.X("x:Q", title="pre-activation z"),
            y=alt.Y("value:Q", title="derivative f′(z)"),
            color=alt.Color("function:N", title="function", legend=_LEGEND),
            tooltip=["function:N", alt.Tooltip("x:Q", format=".2f"), alt.Tooltip("value:Q", format=".3f")],
        )
        .properties(height=_height(len(names) + 1))
    )


def _log_lines(frame: pd.DataFrame, x: str, y: str, series: str, x_title: str, y_title: str) -> alt.Chart:
    return (
        alt.Chart(frame)
        .mark_line(strokeWidth=2)
        .encode(
            x=alt.X(f"{x}:Q", title=x_title),
            y=alt.Y(f"{y}:Q", title=y_title, scale=alt.Scale(type="log")),
            color=alt.Color(f"{series}:N", title=None, legend=_LEGEND, sort=None),
            tooltip=[f"{series}:N", f"{x}:Q", alt.Tooltip(f"{y}:Q", format=".3g")],
        )
        .properties(height=_height(frame[series].nunique()))
    )


def depth_products_chart() -> alt.Chart:
    """factor^L vs depth L on a log axis: anything below 1 vanishes, anything above 1 explodes."""
    factors = {"0.25 (sigmoid at best)": 0.25, "0.5": 0.5, "0.9": 0.9, "1.0": 1.0, "1.1": 1.1, "1.5": 1.5}
    frame = data.geometric_products_frame(factors, steps=50)
    return _log_lines(frame, "steps", "product", "factor", "depth L (layers)", "per-layer factor ^ L")


def forget_gate_chart() -> alt.Chart:
    """f^k: how much of a cell-state gradient survives k steps for a few forget-gate values."""
    factors = {"vanilla RNN, ‖W‖·tanh′ ≈ 0.7": 0.7, "forget gate 0.9": 0.9, "forget gate 0.99": 0.99,
               "forget gate 1.0 (1997 CEC)": 1.0}
    frame = data.geometric_products_frame(factors, steps=100)
    return _log_lines(frame, "steps", "product", "factor", "time steps back k", "gradient factor surviving")


def variance_propagation_chart() -> alt.Chart:
    """Std of pre-activations per layer in a ReLU MLP for Var[w] = c/n_in, c = 1, 2 (He), 3."""
    frame = data.variance_propagation_frame()
    return _log_lines(frame, "layer", "std", "init", "layer", "std of pre-activations")


def matrix_product_chart() -> alt.Chart:
    """‖W_k⋯W_1 v‖ vs k for Gaussian matrices of three scales and for orthogonal matrices."""
    frame = data.matrix_product_frame()
    return _log_lines(frame, "matrices", "norm", "weights", "number of matrices multiplied k", "‖W_k ⋯ W_1 v‖")


def residual_chart() -> alt.Chart:
    """Gradient norm after travelling back through L layers: plain vs residual ReLU stacks."""
    frame = data.residual_gradient_frame()
    return _log_lines(frame, "layers", "norm", "network", "layers travelled backwards", "gradient norm")


def clipping_chart() -> alt.LayerChart:
    """A 2-D gradient, the ball ‖g‖ ≤ c, and where clip-by-norm and clip-by-value send the vector.

    Drawn at a fixed size with equal units on both axes, so the circle stays a circle and angles are true.
    """
    circle, vectors = data.clipping_geometry()
    x_dom, y_dom, unit = (-1.5, 3.5), (-1.2, 2.0), 58  # pixels per gradient unit; fits a 390-px phone
    ball = alt.Chart(circle).mark_line(color="gray", strokeDash=[4, 3]).encode(
        x=alt.X("x:Q", title="g₁", scale=alt.Scale(domain=list(x_dom), nice=False)),
        y=alt.Y("y:Q", title="g₂", scale=alt.Scale(domain=list(y_dom), nice=False)),
        order="order:Q",
    )
    # label positions (gradient units): beside each arrow head, clear of the other arrows
    vectors = vectors.assign(label=["g", "clip by norm", "clip by value"],
                             lx=[2.75, 1.0, 1.1], ly=[1.6, 0.05, 1.2])
    names = list(vectors["vector"])
    color = alt.Color("vector:N", sort=names, legend=None,
                      scale=alt.Scale(domain=names, range=["#d62728", "#1f77b4", "#ff7f0e"]))
    tips = ["vector:N", alt.Tooltip("length:Q", title="length"), alt.Tooltip("angle_deg:Q", title="angle (°)")]
    base = alt.Chart(vectors)
    arrows = base.mark_rule(strokeWidth=3).encode(x="x0:Q", y="y0:Q", x2="x:Q", y2="y:Q", color=color, tooltip=tips)
    heads = base.mark_point(filled=True, size=90).encode(x="x:Q", y="y:Q", color=color, tooltip=tips)
    labels = base.mark_text(align="left", fontSize=12, fontWeight="bold").encode(
        x="lx:Q", y="ly:Q", text="label:N", color=color
    )
    width = int(unit * (x_dom[1] - x_dom[0]))
    height = int(unit * (y_dom[1] - y_dom[0]))
    return (ball + arrows + heads + labels).properties(width=width, height=height)


def batchnorm_chart() -> alt.LayerChart:
    """Sigmoid inputs before and after normalization, drawn over σ′(z): BN moves them out of saturation."""
    frame = data.batchnorm_saturation_frame()
    names = list(dict.fromkeys(frame["series"]))  # before, after, σ′(z)
    color = alt.Color("series:N", title=None, sort=names,
                      scale=alt.Scale(domain=names, range=["#ff7f0e", "#1f77b4", "#222222"]),
                      legend=alt.Legend(orient="bottom", columns=1, labelLimit=300))
    x = alt.X("z:Q", title="input to the sigmoid z")
    y = alt.Y("value:Q", title="σ′(z), and histograms", stack=None, scale=alt.Scale(domain=[0, 0.26]))
    hist = alt.Chart(frame[frame["series"] != names[-1]]).mark_area(opacity=0.4, interpolate="step")
    line = alt.Chart(frame[frame["series"] == names[-1]]).mark_line(strokeWidth=3)
    return (hist.encode(x=x, y=y, color=color) + line.encode(x=x, y=y, color=color)).properties(height=_height(3))


def _one_line(y: float) -> alt.Chart:
    return alt.Chart(pd.DataFrame({"y": [y]})).mark_rule(color="gray", strokeDash=[4, 3]).encode(y="y:Q")


def edge_of_chaos_chart() -> alt.LayerChart:
    """χ₁ = σ_w² E[φ′(z)²] against σ_w: below the dashed 1 gradients vanish (ordered), above it they explode."""
    frame = topics.edge_of_chaos_frame()
    return _log_lines(frame, "sigma_w", "chi1", "network", "weight scale σ_w (Var[w] = σ_w²/n)",
                      "χ₁: gradient gain² per layer") + _one_line(1.0)


def _loglog(frame: pd.DataFrame, x: str, y: str, series: str, x_title: str, y_title: str) -> alt.Chart:
    chart = _log_lines(frame, x, y, series, x_title, y_title)
    return chart.encode(x=alt.X(f"{x}:Q", title=x_title, scale=alt.Scale(type="log"), axis=alt.Axis(format="~e")))


def adam_step_chart() -> alt.Chart:
    """Step length against gradient size: SGD's shrinks with the gradient, Adam's stays η until |g| nears ε."""
    frame = topics.adam_step_frame()
    return _loglog(frame, "grad", "step", "optimizer", "size of a steady gradient |g|", "step length")


def adam_early_spread_chart() -> alt.LayerChart:
    """10-90 % band and median of Adam's 1/√v̂_t over coordinates, per step: wide early, narrow after ~1000 steps."""
    frame = topics.adam_early_spread_frame()
    x = alt.X("step:Q", title="step t", scale=alt.Scale(type="log"))
    y_title = "adaptive factor 1/√v̂ (gradients ~ N(0, 1))"
    band = alt.Chart(frame).mark_area(opacity=0.3).encode(
        x=x, y=alt.Y("low:Q", title=y_title, scale=alt.Scale(type="log")), y2="high:Q")
    line = alt.Chart(frame).mark_line(strokeWidth=2).encode(
        x=x, y="median:Q", tooltip=["step:Q", alt.Tooltip("low:Q", format=".3g"), alt.Tooltip("high:Q", format=".3g")])
    return (band + line + _one_line(1.0)).properties(height=_height(0))


def float_formats_chart() -> alt.Chart:
    """Representable magnitudes of fp32, bf16 and fp16 on a log10 axis: subnormal (light) and normal (dark) ranges."""
    frame = topics.float_formats_frame()
    parts = ["normal", "subnormal (lost precision)"]
    return (
        alt.Chart(frame)
        .mark_bar(size=18)
        .encode(
            x=alt.X("log_lo:Q", title="log₁₀ of the magnitude"), x2="log_hi:Q",
            y=alt.Y("format:N", title=None, sort=["fp32", "bf16", "fp16"]),
            color=alt.Color("part:N", title=None, sort=parts, legend=_LEGEND,
                            scale=alt.Scale(domain=parts, range=["#1f77b4", "#aec7e8"])),
            tooltip=["format:N", "part:N", alt.Tooltip("lo:Q", format=".3g"), alt.Tooltip("hi:Q", format=".3g")],
        )
        .properties(height=_height(2, plot=130))
    )


@dataclass(frozen=True)
class Figure:
    build: Callable[[], alt.TopLevelMixin]
    alt: str  # one sentence for screen readers (Vega draws to a canvas)
    fixed_size: bool = False  # True: keep the chart's own width (equal axis units), do not stretch it


FIGURES: dict[str, Figure] = {
    SIGMOID.name: Figure(
        sigmoid_chart, "Sigmoid rises from 0 to 1; its derivative is a bump peaking at 0.25 at z = 0."
    ),
    TANH.name: Figure(tanh_chart, "tanh rises from −1 to 1; its derivative peaks at exactly 1 at z = 0 and decays."),
    "derivatives": Figure(
        derivatives_chart,
        "Derivatives: sigmoid's is at most 0.25; ReLU's is 0 then 1; Leaky ReLU keeps 0.01 for negative inputs; "
        "ELU's rises smoothly to 1; GELU's dips slightly below 0 and overshoots 1 a little.",
    ),
    "depth_products": Figure(
        depth_products_chart,
        "On a log axis, 0.25 to the power L falls below 1e-30 by 50 layers, 1.1 to the power L grows past 100, "
        "and only a factor of exactly 1 stays flat.",
    ),
    "forget_gate": Figure(
        forget_gate_chart,
        "After 100 steps a factor of 0.7 per step leaves about 3e-16 of the gradient, a forget gate of 0.9 about "
        "3e-5, 0.99 about 0.37, and 1.0 all of it.",
    ),
    "variance_propagation": Figure(
        variance_propagation_chart,
        "In a 30-layer ReLU network the activation std shrinks to about 3e-5 with Var[w] = 1/n_in, stays near 1 "
        "with He's 2/n_in, and grows to several hundred with 3/n_in.",
    ),
    "matrix_products": Figure(
        matrix_product_chart,
        "Multiplying 100 random matrices: std 0.9/√n shrinks a vector to about 1e-5, 1.1/√n grows it to "
        "thousands, 1/√n drifts slowly down, and orthogonal matrices keep its norm exactly 1.",
    ),
    "residual": Figure(
        residual_chart,
        "Over 50 layers the gradient of a plain ReLU stack with Var[w] = 1/n vanishes to 1e-8, He init keeps it "
        "near 1, an unscaled residual stack grows it to 1e7, and residual branches scaled by 1/√L keep it "
        "between 1 and 2.",
    ),
    "clipping": Figure(
        clipping_chart,
        "A gradient of length 3.2 at 22 degrees: clipping by norm shrinks it onto the unit circle keeping its "
        "direction, clipping by value moves it to (1, 1), changing its direction to 45 degrees.",
        fixed_size=True,
    ),
    "batchnorm": Figure(
        batchnorm_chart,
        "Sigmoid inputs centred at 3 mostly sit where σ′ is small; after normalization they are centred at 0 "
        "where σ′ is near its 0.25 peak.",
    ),
    "edge_of_chaos": Figure(
        edge_of_chaos_chart,
        "χ₁ against the weight scale: tanh with σ_b = 0 crosses 1 at σ_w = 1, with σ_b = 0.5 near σ_w = 1.55, "
        "and ReLU at √2 (He init); below 1 gradients vanish with depth, above 1 they explode.",
    ),
    "adam_step": Figure(
        adam_step_chart,
        "On log axes SGD's step falls in proportion to the gradient, while Adam's stays at η from |g| = 1 down to "
        "about 1e-7 and only then shrinks, once the gradient nears ε = 1e-8.",
    ),
    "adam_early_spread": Figure(
        adam_early_spread_chart,
        "Across coordinates, Adam's factor 1/√v̂ spreads from about 0.6 to 7 (10th to 90th percentile) at the "
        "first step and narrows to within a few percent of 1 after about a thousand steps.",
    ),
    "float_formats": Figure(
        float_formats_chart,
        "fp32 covers magnitudes from about 1e-45 and bf16 from about 1e-40, both up to 3e38, while fp16 covers "
        "only 6e-8 to 65504, with precision lost below 6.1e-5.",
    ),
}
