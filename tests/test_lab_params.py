"""URL parameters of the lab pages (explainer.lab.params, lab_presets, lab_variants): bad values clamped or refused."""

from __future__ import annotations

import pytest

from explainer.lab.params import SPECS, check_query, check_value, query_string
from explainer.lab.presets import PRESETS
from explainer.lab.variants import VARIANTS, decay_ladder, focus_label


@pytest.mark.parametrize(("key", "raw", "value"), [
    ("depth", "1000", 100), ("depth", "-3", 2), ("depth", "5.5", 5), ("depth", "1e309", 100), ("depth", "-inf", 2),
    ("lr", "50", 10.0), ("lr", "0", 1e-5), ("weight_decay", "2", 1.0), ("seeds", "0", 1),
])
def test_out_of_range_numbers_are_clamped_with_a_reason(key, raw, value):
    """A number outside the range (or not whole for an integer) is clamped, and the notice says why."""
    notice = check_value(SPECS[key], raw)
    assert notice is not None and notice.key == key and notice.value == value
    assert "range" in notice.reason or "whole" in notice.reason


@pytest.mark.parametrize(("key", "raw"), [("depth", "abc"), ("lr", "nan"), ("depth", ""), ("residual", "maybe"),
                                          ("activation", "swish"), ("depth", "9" * 500)])
def test_unusable_values_are_refused(key, raw):
    """Text where a number belongs, NaN, unknown choices, non-booleans and huge strings fall back to the default."""
    notice = check_value(SPECS[key], raw)
    assert notice is not None and notice.value is None
    assert len(notice.raw) <= 41  # a huge value is not echoed back in full


@pytest.mark.parametrize(("key", "raw"), [("depth", "40"), ("lr", "0.003"), ("activation", "relu"),
                                          ("residual", "true"), ("init_scale", "2.5"), ("init_scale", "")])
def test_valid_values_pass(key, raw):
    """Values within range and known choices produce no notice."""
    assert check_value(SPECS[key], raw) is None


def test_misspelt_choice_is_repaired():
    """'Leaky-ReLU' is not an option but clearly means leaky_relu: it is used, with a notice."""
    notice = check_value(SPECS["activation"], "Leaky-ReLU")
    assert notice is not None and notice.value == "leaky_relu"


def test_check_query_reports_unknown_and_repeated_keys():
    """Keys the page does not have are reported as ignored; a repeated key uses its last value."""
    specs = PRESETS["lab-activations"].specs
    notices = {n.key: n for n in check_query({"cell": ["lstm"], "depth": ["30", "40"], "width": ["32"]}, specs)}
    assert set(notices) == {"cell", "depth"}
    assert "not a setting" in notices["cell"].reason
    assert notices["depth"].value == 40


def test_query_string_drops_defaults():
    """A share link lists only settings that differ from the page defaults."""
    defaults = PRESETS["lab-activations"].defaults
    assert query_string(defaults, defaults) == ""
    assert query_string(defaults | {"depth": 40, "activation": "relu"}, defaults) == "activation=relu&depth=40"


@pytest.mark.parametrize("url_path", sorted(PRESETS))
def test_presets_are_valid_for_the_engine_and_within_url_ranges(url_path):
    """Each page's defaults pass its own URL specs, and every variant it runs is a valid engine config."""
    from explainer.experiments import MLPConfig, RNNConfig, TrainConfig

    preset = PRESETS[url_path]
    for key, value in preset.defaults.items():
        if value is not None:
            assert check_value(preset.specs[key], str(value).lower() if isinstance(value, bool) else str(value)) is None
    model = {"mlp": MLPConfig, "rnn": RNNConfig, "train": TrainConfig}[preset.kind]
    variants = VARIANTS[url_path](preset.defaults)
    assert len(variants) >= 3
    for _, cfg in variants:
        model(**cfg)
    assert focus_label(url_path, preset.defaults) in [label for label, _ in variants]


def test_decay_ladder():
    """Weight-decay strengths compared: 0, λ and 10λ (capped at 1); λ = 0 compares 0, 1e-3 and 1e-2."""
    assert decay_ladder(0.0) == [0.0, 1e-3, 1e-2]
    assert decay_ladder(0.01) == [0.0, 0.01, 0.1]
    assert decay_ladder(0.5) == [0.0, 0.5, 1.0]
