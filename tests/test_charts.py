"""Chart functions (explainer.lab.charts): statistics, Vega-Lite structure via to_dict(), summaries, palette."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from explainer.core.palette import REMEDY_COLORS, SERIES_COLORS, colors_for, ordinal_colors
from explainer.lab.charts import (
    band_chart,
    band_frame,
    band_spec,
    first_divergence,
    profile_sentence,
    training_sentence,
)
from explainer.lab.charts.lines import LEGEND_PICK


def profile(series=("sigmoid", "ReLU"), seeds=5, layers=6) -> pd.DataFrame:
    """Synthetic gradient_profile-like frame: sigmoid shrinks 4x per layer going back, ReLU stays at 1."""
    rows = []
    for s in series:
        for seed in range(seeds):
            for layer in range(1, layers + 1):
                base = 0.25 ** (layers - layer) if s == "sigmoid" else 1.0
                rows.append({"series": s, "seed": seed, "layer": layer, "grad_norm": base * (1 + 0.1 * seed)})
    return pd.DataFrame(rows)


def training(diverge_seeds=(0, 1), seeds=4, steps=5) -> pd.DataFrame:
    """Synthetic train_run-like frame; listed seeds diverge at step 2 (their rows stop there)."""
    rows = []
    for seed in range(seeds):
        for step in range(steps):
            dead = seed in diverge_seeds and step == 2
            loss = math.nan if dead else 1.0 / (step + 1)
            rows.append({"series": "no clipping", "seed": seed, "step": step, "loss": loss,
                         "grad_norm": 10.0 * (step + 1), "diverged": dead})
            if dead:
                break
    return pd.DataFrame(rows)


def layers_of(spec: dict) -> list[dict]:
    return spec["layer"]


def rows_of(spec: dict, layer: dict) -> list[dict]:
    """The inline data a layer draws (Altair may move inline values to top-level named datasets)."""
    data = layer.get("data", spec.get("data"))
    return data["values"] if "values" in data else spec["datasets"][data["name"]]


def test_band_frame_median_and_quantiles_across_seeds():
    """band_frame gives the median and the 10/90 % quantiles across seeds for each (series, x)."""
    df = profile(seeds=5)
    bands = band_frame(df, x="layer", y="grad_norm")
    top = bands[(bands["series"] == "ReLU") & (bands["x"] == 6)].iloc[0]
    values = np.array([1.0, 1.1, 1.2, 1.3, 1.4])
    assert top["median"] == pytest.approx(np.median(values))
    assert top["lo"] == pytest.approx(np.quantile(values, 0.1))
    assert top["hi"] == pytest.approx(np.quantile(values, 0.9))
    assert top["n_seeds"] == 5
    assert list(pd.unique(bands["series"])) == ["sigmoid", "ReLU"]  # order of appearance kept


def test_band_frame_hides_non_positive_values_on_log_axes_and_ignores_non_finite():
    """Zeros become NaN for a log axis (the line breaks); NaN/inf seeds are left out of the statistics."""
    df = pd.DataFrame({"series": "zeros", "seed": [0, 1, 2], "layer": 1, "grad_norm": [0.0, 0.0, np.inf]})
    bands = band_frame(df, x="layer", y="grad_norm")
    assert math.isnan(bands.loc[0, "median"]) and bands.loc[0, "n_seeds"] == 2
    assert band_frame(df, x="layer", y="grad_norm", log=False).loc[0, "median"] == 0.0


@pytest.mark.parametrize("trial", range(12))
def test_band_frame_equals_pandas_groupby_quantiles_on_ragged_shuffled_frames(trial):
    """The numpy statistics equal pandas' groupby quantiles (linear interpolation) row for row: series in order of
    appearance, the `by` column and x ascending, diverged (NaN/inf) seeds and missing x left out, ragged seeds."""
    rng = np.random.default_rng(trial)
    n = int(rng.integers(1, 400))
    df = pd.DataFrame({"series": rng.choice(["tanh", "ReLU", "sigmoid + BN"], size=n),
                       "stage": rng.choice(["after", "before"], size=n),
                       "step": rng.integers(0, 12, size=n) * 2.5, "g": rng.lognormal(size=n)})
    df.loc[rng.random(n) < 0.15, "g"] = rng.choice([np.nan, np.inf, -np.inf, 0.0])
    df.loc[rng.random(n) < 0.05, "step"] = np.nan
    for by in ((), ("stage",)):
        kept = df[np.isfinite(df["g"]) & df["step"].notna()]
        grouped = kept.groupby(["series", *by, "step"], sort=False)["g"]
        want = pd.DataFrame({"median": grouped.quantile(0.5), "lo": grouped.quantile(0.1),
                             "hi": grouped.quantile(0.9), "n_seeds": grouped.size()}).reset_index()
        order = {name: i for i, name in enumerate(pd.unique(df["series"]))}  # as the chart legend: every row
        want = want.sort_values(["series", *by, "step"], key=lambda c: c.map(order) if c.name == "series" else c)
        got = band_frame(df, x="step", y="g", log=False, by=by)
        assert list(got.columns) == ["series", *by, "x", "median", "lo", "hi", "n_seeds"]
        np.testing.assert_array_equal(got[["series", *by]].to_numpy(), want[["series", *by]].to_numpy())
        np.testing.assert_allclose(got[["x", "median", "lo", "hi", "n_seeds"]].to_numpy(dtype=float),
                                   want[["step", "median", "lo", "hi", "n_seeds"]].to_numpy(dtype=float), rtol=1e-12)


def test_band_chart_has_band_and_median_layers_on_a_log_axis():
    """The chart is a layer of an area (10–90 % band, y/y2) and a line (median) with a log-scaled y axis."""
    spec = band_chart(profile(), x="layer", y="grad_norm", x_title="layer", y_title="gradient norm").to_dict()
    band, line = layers_of(spec)[:2]
    assert band["mark"]["type"] == "area"
    assert band["encoding"]["y"]["field"] == "lo" and band["encoding"]["y2"]["field"] == "hi"
    assert line["mark"]["type"] == "line"
    assert line["encoding"]["y"]["field"] == "median"
    assert line["encoding"]["y"]["scale"]["type"] == "log"
    assert line["encoding"]["x"]["field"] == "x"
    assert spec["usermeta"]["embedOptions"]["renderer"] == "canvas"


def test_band_chart_legend_click_highlights_a_series_and_tooltips_show_numbers():
    """A point selection on `series` is bound to the legend; opacity depends on it; tooltips list the stats."""
    spec = band_chart(profile(), x="layer", y="grad_norm", x_title="layer", y_title="g").to_dict()
    params = spec.get("params", []) + [p for layer in layers_of(spec) for p in layer.get("params", [])]
    pick = next(p for p in params if p["name"] == LEGEND_PICK)
    assert pick["bind"] == "legend" and pick["select"]["fields"] == ["series"]
    line = layers_of(spec)[1]
    assert line["encoding"]["opacity"]["condition"]["param"] == LEGEND_PICK
    assert {t["field"] for t in line["encoding"]["tooltip"]} >= {"series", "x", "median", "lo", "hi", "n_seeds"}


def test_band_chart_colours_come_from_the_shared_palette():
    """Series colours are the palette's: ReLU is the 'activations' remedy colour on every page."""
    spec = band_chart(profile(), x="layer", y="grad_norm", x_title="layer", y_title="g").to_dict()
    scale = layers_of(spec)[1]["encoding"]["color"]["scale"]
    assert scale["domain"] == ["sigmoid", "ReLU"]
    assert scale["range"] == [SERIES_COLORS["sigmoid"], REMEDY_COLORS["activations"]]


def test_linear_axis_when_asked():
    """log_y=False gives a linear scale (fractions of saturated units) with the requested domain."""
    spec = band_chart(profile(), x="layer", y="grad_norm", x_title="l", y_title="f", log_y=False,
                      y_domain=(0.0, 1.0)).to_dict()
    scale = layers_of(spec)[1]["encoding"]["y"]["scale"]
    assert scale["type"] == "linear" and scale["domain"] == [0.0, 1.0]


def test_theory_overlay_is_a_dashed_line_per_series():
    """A theory frame adds a dashed line layer reading `theory`, coloured by series."""
    theory = pd.DataFrame({"series": "sigmoid", "x": range(1, 7), "predicted": [0.25 ** (6 - k) for k in range(1, 7)]})
    spec = band_chart(profile(), x="layer", y="grad_norm", x_title="l", y_title="g", theory=theory).to_dict()
    overlay = layers_of(spec)[2]
    assert overlay["mark"]["type"] == "line" and overlay["mark"]["strokeDash"] == [6, 4]
    assert overlay["encoding"]["y"]["field"] == "theory"
    assert overlay["encoding"]["color"]["field"] == "series"


def test_threshold_rule_and_divergence_marker():
    """threshold= adds a horizontal rule at that value; divergence=True adds a rule at the first divergent step."""
    spec = band_chart(training(), x="step", y="grad_norm", x_title="step", y_title="g", threshold=1.0,
                      threshold_label="max_norm", divergence=True).to_dict()
    kinds = [layer["mark"]["type"] for layer in layers_of(spec)]
    assert kinds == ["area", "line", "rule", "text", "rule"]
    rule = layers_of(spec)[2]
    assert rule["encoding"]["y"]["field"] == "y" and rows_of(spec, rule)[0]["y"] == 1.0
    marker = layers_of(spec)[-1]
    assert marker["encoding"]["x"]["field"] == "step"
    assert rows_of(spec, marker) == [{"series": "no clipping", "step": 2, "n_diverged": 2, "n_seeds": 4,
                                      "note": "2 of 4 seeds diverged"}]


def test_lines_end_once_most_seeds_diverged():
    """With divergence=True a series stops being drawn where fewer than half of its seeds are left."""
    df = training(diverge_seeds=(0, 1, 2), seeds=4)
    spec = band_chart(df, x="step", y="loss", x_title="step", y_title="loss", divergence=True).to_dict()
    rows = rows_of(spec, layers_of(spec)[1])
    assert max(r["x"] for r in rows) == 1  # from step 2 on, one seed of four is left


def test_dash_column_splits_lines_into_solid_and_dashed():
    """dash= encodes a stage column (before/after clipping) as strokeDash, in order of appearance."""
    df = training(diverge_seeds=())
    both = pd.concat([df.assign(stage="before clipping"), df.assign(stage="after clipping")])
    spec = band_chart(both, x="step", y="grad_norm", x_title="s", y_title="g", dash="stage").to_dict()
    enc = layers_of(spec)[1]["encoding"]["strokeDash"]
    assert enc["field"] == "stage" and enc["scale"]["domain"] == ["before clipping", "after clipping"]


def test_first_divergence_per_series():
    """first_divergence reports the earliest divergent step and how many seeds diverged."""
    out = first_divergence(training(diverge_seeds=(1,)))
    assert out.to_dict("records") == [{"series": "no clipping", "step": 2, "n_diverged": 1, "n_seeds": 4}]
    assert first_divergence(training(diverge_seeds=())).empty


def test_profile_sentence_reports_median_per_seed_ratio():
    """The sentence states the first/last factor per series, the same statistic as the diagnosis panel."""
    sentence = profile_sentence(profile(seeds=3, layers=6), "layer", "grad_norm", "gradient norm", "layer")
    assert sentence.startswith("From layer 6 back to layer 1 the median gradient norm changes by")
    assert f"sigmoid ×{0.25 ** 5:.1e}" in sentence and "ReLU ×1 " in sentence and "(3 seeds)" in sentence


def test_training_sentence_names_divergence():
    """A series where most seeds diverged is summarised by its divergence; others by their final median."""
    assert training_sentence(training(diverge_seeds=(0, 1, 2)), "loss", "loss") == (
        "no clipping: 3 of 4 seeds diverged (first at step 2).")
    assert "median loss 0.2 at step 4" in training_sentence(training(diverge_seeds=()), "loss", "loss")


def test_palette_is_colour_blind_safe_and_consistent():
    """Remedy colours are distinct Okabe–Ito colours; unknown labels get unused ones; ordinal ramps start grey."""
    assert len(set(REMEDY_COLORS.values())) == len(REMEDY_COLORS)
    assert SERIES_COLORS["batch norm"] == SERIES_COLORS["BatchNorm"] == REMEDY_COLORS["batchnorm"]
    assert SERIES_COLORS["skip connections"] == SERIES_COLORS["residual"] == REMEDY_COLORS["residual"]
    fresh = colors_for(["ReLU", "mystery", "other"])
    assert fresh[0] == REMEDY_COLORS["activations"] and len(set(fresh)) == 3
    ramp = ordinal_colors(["λ = 0", "λ = 0.001", "λ = 0.01"])
    assert ramp[0] == "#999999" and len(set(ramp)) == 3


def test_long_runs_are_thinned_for_the_browser():
    """A 2000-step run is drawn with at most ~300 x values per series (always including the last step)."""
    df = pd.DataFrame({"series": "no clipping", "seed": 0, "step": range(2000), "grad_norm": 1.0, "diverged": False})
    spec = band_chart(df, x="step", y="grad_norm", x_title="step", y_title="g").to_dict()
    rows = rows_of(spec, layers_of(spec)[1])
    assert len(rows) <= 301 and rows[-1]["x"] == 1999


def test_band_spec_is_json_safe_and_the_altair_chart_matches_it():
    """The page's dict has no NaN (JSON has none: it becomes null) and validates as an Altair chart."""
    import json

    df = pd.DataFrame({"series": "zeros", "seed": [0, 1], "layer": [1, 1], "grad_norm": [0.0, 0.0]})
    spec = band_spec(df, x="layer", y="grad_norm", x_title="l", y_title="g")
    text = json.dumps(spec, allow_nan=False)  # raises on NaN/inf
    assert '"median": null' in text
    assert band_chart(df, x="layer", y="grad_norm", x_title="l", y_title="g").to_dict()["layer"][1]["mark"]["type"] \
        == "line"


def test_a_run_where_every_seed_diverged_at_once_still_draws():
    """Every seed NaN at its first step (found by the monkey at depth 100): empty bands, a valid chart spec."""
    df = training(diverge_seeds=(0, 1, 2, 3), steps=1)
    df["loss"] = math.nan
    assert band_frame(df, x="step", y="loss").empty
    spec = band_spec(df, x="step", y="loss", x_title="step", y_title="loss")
    assert spec["layer"]
