"""The one-pass labs' pure parts: outcomes read from engine frames, remedy rules, the Initialization link, charts."""

from __future__ import annotations

import math

import altair as alt
import numpy as np
import pandas as pd
import pytest

from explainer.lab.charts.onepass import scale_spec
from explainer.lab.charts.phase import CELL, phase_spec
from explainer.lab.diagnosis_onepass import suggest_digits, suggest_phase, suggest_precision, suggest_transformer
from explainer.lab.outcomes import LearnFacts, critical_sigma_w, digits_facts, phase_cell, precision_facts
from explainer.lab.params import kind_specs
from explainer.lab.phase_link import init_lab_params
from explainer.lab.specs import LABS
from explainer.lab.variants import precision_label, transformer_config


def phase_frame(measured: dict[tuple[float, float], float], seeds: int = 2) -> pd.DataFrame:
    """A phase_diagram-shaped frame: each (sigma_w, sigma_b) cell with `measured` log10 ratio for every seed."""
    rows = []
    for (sw, sb), m in measured.items():
        for seed in range(seeds):
            rows.append({"sigma_w": sw, "sigma_b": sb, "seed": seed, "log10_ratio": m + 0.1 * seed,
                         "log10_weight_ratio": m, "q_star": 1.0, "chi1": sw**2 / 2, "phase": "ordered",
                         "predicted_log10_ratio": m})
    return pd.DataFrame(rows)


def test_phase_cell_is_the_nearest_grid_point_summarised_like_a_profile():
    """The learner's (σ_w, σ_b) snaps to the nearest cell; its median log ratio gives ratio, decay and verdict."""
    df = phase_frame({(1.0, 0.0): -3.0, (2.0, 0.0): 0.2, (1.0, 0.5): -1.0, (2.0, 0.5): 3.0})
    cell = phase_cell(df, 1.2, 0.4, depth=11)
    assert (cell.sigma_w, cell.sigma_b) == (1.0, 0.5)
    assert cell.measured == pytest.approx(-0.95)
    assert cell.summary.first_last_ratio == pytest.approx(10**-0.95)
    assert cell.summary.decay_per_layer == pytest.approx(10 ** (-0.95 / 10))
    assert cell.summary.verdict == "healthy"
    assert phase_cell(df, 2.0, 0.5, depth=11).summary.verdict == "exploding"


def test_critical_sigma_w_interpolates_the_line_and_is_nan_outside_it():
    """σ_w on the critical line is interpolated along σ_b; outside the line's σ_b range there is none."""
    line = pd.DataFrame({"sigma_b": [0.0, 0.5, 1.0], "sigma_w": [1.0, 1.5, 2.0]})
    assert critical_sigma_w(line, 0.25) == pytest.approx(1.25)
    assert math.isnan(critical_sigma_w(line, 2.0))


def test_phase_remedy_moves_sigma_w_onto_the_critical_line():
    """Off the line: set σ_w to the critical value at this σ_b (rounded to 0.01); on it: no remedy."""
    df = phase_frame({(1.0, 0.5): -4.0, (1.5, 0.5): 0.0})
    values = LABS["lab-phase"].defaults
    remedy = suggest_phase(values, phase_cell(df, 1.0, 0.5, 30), 1.5497, LABS["lab-phase"].keys)
    assert remedy is not None and remedy.changes == {"sigma_w": 1.55} and remedy.learn == "signal-propagation"
    assert suggest_phase(values, phase_cell(df, 1.5, 0.5, 30), 1.5497, LABS["lab-phase"].keys) is None


def test_init_link_draws_this_cells_weights_and_says_what_it_drops():
    """He normal with gain σ_w is the cell's weight distribution; σ_b > 0 and σ_w above the gain bound are noted."""
    values = {"activation": "tanh", "depth": 30, "width": 64}
    params, notes = init_lab_params(values, 1.55, 0.0)
    assert params == {"init": "he_normal", "init_scale": 1.55, "activation": "tanh", "depth": 30, "width": 64}
    assert len(notes) == 1
    params, notes = init_lab_params(values | {"activation": "sigmoid"}, 12.0, 0.5)
    assert params["init_scale"] == kind_specs("mlp")["init_scale"].hi
    assert any("σ_b" in n for n in notes) and any("largest gain" in n for n in notes)


def test_the_init_link_reproduces_the_phase_diagrams_weights():
    """The engine's He-normal init with gain σ_w draws weights of std σ_w / sqrt(fan_in), as the phase diagram."""
    from explainer.experiments.models import weight_std

    for activation in ("tanh", "relu", "sigmoid"):
        assert weight_std("he_normal", 64, 64, 2.5, activation) == pytest.approx(2.5 / 8)


def precision_profile_frame(zero_first: dict[str, float], grad_norm: float = 1.0) -> pd.DataFrame:
    """A labelled precision_profile-shaped frame with layer 1's zero share per series (layer 2: none)."""
    rows = []
    for series, zero in zero_first.items():
        for seed in (0, 1):
            for layer, z in ((1, zero), (2, 0.0)):
                rows.append({"series": series, "seed": seed, "layer": layer, "zero_frac": z, "scale": 1.0,
                             "grad_norm": grad_norm})
    return pd.DataFrame(rows)


def test_precision_counts_only_zeros_the_format_adds_to_float32s():
    """Dead units are 0 in float32 too: a float16 run losing only those keeps its gradient."""
    df = precision_profile_frame({"float32": 0.3, precision_label("float16", "none"): 0.35})
    facts = precision_facts(df, "none")
    assert facts.lost_first == pytest.approx(0.05) and facts.verdict == "kept"
    df = precision_profile_frame({"float32": 0.0, precision_label("float16", "none"): 0.97})
    assert precision_facts(df, "none").verdict == "underflows"


def test_precision_overflow_and_its_remedy():
    """An inf/NaN stored gradient is "overflows"; the remedy is dynamic scaling, and none once it is dynamic."""
    df = precision_profile_frame({"float32": 0.0, precision_label("float16", "fixed"): 0.0}, grad_norm=math.nan)
    facts = precision_facts(df, "fixed")
    assert facts.verdict == "overflows"
    keys = LABS["lab-precision"].keys
    remedy = suggest_precision({"scaling": "fixed"}, facts, keys)
    assert remedy is not None and remedy.changes == {"scaling": "dynamic"} and remedy.learn == "mixed-precision"
    assert suggest_precision({"scaling": "dynamic"}, facts, keys) is None


def test_precision_labels_are_the_engines():
    """The lab's legend labels equal explainer.experiments.precision.mode_label for every run."""
    from explainer.experiments.precision import MODES, mode_label

    assert [precision_label(d, s) for d, s in MODES] == [mode_label(d, s) for d, s in MODES]


def facts(series: str, accuracy: float, bar: float = 0.9) -> LearnFacts:
    return LearnFacts(series, accuracy, 0.5, 0, 3, "learns" if accuracy >= bar else "stalls")


def test_transformer_remedy_prefers_warmup_when_it_works_and_pre_ln_otherwise():
    """Post-LN stalling without warm-up: warm-up if this run shows it learning, else Pre-LN; none once it learns."""
    keys = LABS["lab-transformer"].keys
    values = {"placement": "post", "warmup": False}
    runs = {("post", False): facts("a", 0.68), ("post", True): facts("b", 0.95), ("pre", False): facts("c", 1.0)}
    assert suggest_transformer(values, runs[("post", False)], runs, keys).changes == {"warmup": True}
    runs[("post", True)] = facts("b", 0.6)
    assert suggest_transformer(values, runs[("post", False)], runs, keys).changes == {"placement": "pre"}
    assert suggest_transformer({"placement": "pre", "warmup": False}, runs[("pre", False)], runs, keys) is None


def test_digits_remedy_is_the_best_measured_variant():
    """A stalled net is pointed at the variant with the highest held-out accuracy in the same run."""
    others = {"baseline": facts("baseline", 0.1, 0.5), "relu_he": facts("ReLU + He", 0.92, 0.5),
              "batchnorm": facts("BatchNorm", 0.95, 0.5)}
    remedy = suggest_digits({"variant": "baseline"}, others["baseline"], others, LABS["lab-digits"].keys)
    assert remedy.changes == {"variant": "batchnorm"} and remedy.learn == "remedy-batchnorm"


def test_digits_facts_read_the_held_out_split_at_the_last_step():
    """Accuracy is the median over seeds on the test split after the last step; NaN losses count as diverged."""
    rows = [{"series": "baseline", "seed": s, "step": step, "split": split, "loss": loss, "accuracy": acc}
            for s, loss in ((0, 2.3), (1, 2.3), (2, math.nan)) for step in (0, 10)
            for split, acc in (("train", 0.9), ("test", 0.1 + 0.01 * s + 0.2 * (step == 10)))]
    got = digits_facts(pd.DataFrame(rows), "baseline")
    assert got.accuracy == pytest.approx(0.305) and got.n_diverged == 1 and got.verdict == "stalls"


def test_transformer_warmup_is_cut_to_fit_a_short_run():
    """A valid warm-up longer than the run becomes steps - 1; an out-of-range one is left for the engine to refuse."""
    values = LABS["lab-transformer"].defaults
    assert transformer_config(values | {"steps": 10})["warmup_steps"] == 9
    assert transformer_config(values | {"steps": 10, "warmup_steps": 501})["warmup_steps"] == 501
    assert transformer_config(values)["warmup_steps"] == values["warmup_steps"]


def test_gradscalers_start_is_not_a_url_setting_of_the_precision_lab():
    """PrecisionConfig.init_scale (GradScaler's 2^16) is hidden: init_scale means the MLP gain on every page."""
    assert "init_scale" not in kind_specs("precision")
    assert "scaling" in kind_specs("precision") and "sigma_w" in kind_specs("phase")


def test_phase_spec_is_valid_vega_lite_with_a_cell_selection_line_and_ring():
    """The heatmap validates as Vega-Lite, has the CELL point selection, the critical line and the ringed cell."""
    df = phase_frame({(sw, sb): sw - 1.5 for sw in (1.0, 1.5, 2.0) for sb in (0.0, 0.5)})
    line = pd.DataFrame({"sigma_b": [0.0, 0.5], "sigma_w": [1.4, 1.6]})
    spec = phase_spec(df, line, (1.5, 0.5))
    alt.LayerChart.from_dict(spec)
    assert spec["layer"][0]["params"][0]["name"] == CELL
    assert len(spec["layer"]) == 3 and len(spec["datasets"]["cells"]) == 6


def test_scale_spec_marks_skipped_steps():
    """The loss-scale chart adds one cross per (run, skipped step), and none when nothing was skipped."""
    steps = np.arange(4)
    df = pd.DataFrame({"series": "float16, dynamic scaling", "seed": 0, "step": steps,
                       "scale": [65536.0, 32768.0, 32768.0, 32768.0], "skipped": [True, False, False, False]})
    spec = scale_spec(df, "float16, dynamic scaling")
    alt.LayerChart.from_dict(spec)
    assert spec["layer"][-1]["mark"]["shape"] == "cross" and len(spec["layer"][-1]["data"]["values"]) == 1
    assert len(scale_spec(df.assign(skipped=False), None)["layer"]) == len(spec["layer"]) - 1
