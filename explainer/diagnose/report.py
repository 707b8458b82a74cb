"""The verdict table printed by `python -m explainer.diagnose`, and its band chart."""

from __future__ import annotations

import pandas as pd

from explainer.experiments.summary import ProfileSummary, summarize_profile
from explainer.lab.charts.summaries import sci


def layer_table(df: pd.DataFrame) -> pd.DataFrame:
    """One row per layer: its parameter and module, median gradient norm over seeds (10th-90th percentile),
    median activation std and saturated/dead fraction."""
    grouped = df.groupby(["layer", "name", "module"], sort=True, dropna=False)
    table = grouped.agg(
        grad_median=("grad_norm", "median"),
        grad_p10=("grad_norm", lambda s: s.quantile(0.1)),
        grad_p90=("grad_norm", lambda s: s.quantile(0.9)),
        act_std=("act_std", "median"),
        saturated=("saturated_frac", "median"),
    )
    return table.reset_index()


def render(df: pd.DataFrame, summary: ProfileSummary | None = None) -> str:
    """Plain-text report: the per-layer table, then the verdict with its first/last ratio and decay per layer."""
    summary = summary or summarize_profile(df)
    table = layer_table(df)
    shown = pd.DataFrame({
        "layer": table["layer"],
        "parameter": table["name"],
        "module": table["module"].fillna("-"),
        "grad norm (median)": table["grad_median"].map(sci),
        "10-90 %": [f"{sci(lo)} .. {sci(hi)}" for lo, hi in zip(table["grad_p10"], table["grad_p90"], strict=True)],
        "act std": table["act_std"].map(sci),
        "saturated/dead": table["saturated"].map(lambda v: "n/a" if pd.isna(v) else f"{v:.0%}"),
    })
    seeds = df["seed"].nunique()
    lines = [
        shown.to_string(index=False),
        "",
        f"verdict: {summary.verdict.upper()}  (first/last gradient ratio {sci(summary.first_last_ratio)}, "
        f"x{sci(summary.decay_per_layer)} per layer over {summary.n_layers} layers, median of {seeds} seed"
        f"{'s' if seeds != 1 else ''}; vanishing below 1e-2, exploding above 1e2)",
    ]
    frozen, unused = df.attrs.get("frozen") or [], df.attrs.get("unused") or []
    if frozen:
        lines.append(f"frozen, not profiled: {', '.join(frozen)}")
    if unused:
        lines.append(f"no gradient reached: {', '.join(unused)}")
    return "\n".join(lines)


def chart(df: pd.DataFrame, title: str):
    """The lab's band chart: median gradient norm per layer over seeds, 10-90 % band, log scale."""
    from explainer.lab.charts import band_chart

    return band_chart(df.assign(series=title), x="layer", y="grad_norm", x_title="layer (order of the forward pass)",
                      y_title="gradient norm", focus=title)
