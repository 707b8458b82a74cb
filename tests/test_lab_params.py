"""URL parameters of the lab pages (explainer.core.urls, explainer.lab.params, specs): bad values clamped or refused."""

from __future__ import annotations

import pytest

from explainer.core.urls import NoticeKind, check_query, check_value, lab_query
from explainer.lab.params import kind_specs
from explainer.lab.specs import LABS
from explainer.lab.variants import decay_ladder

SPECS = kind_specs("train")  # a training page's settings: TrainConfig's fields and its MLP's
ONE_PASS = ("phase", "transformer", "precision", "digits")  # kinds whose one engine call runs every alternative


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
    specs = LABS["lab-activations"].specs
    notices = {n.key: n for n in check_query({"cell": ["lstm"], "depth": ["30", "40"], "width": ["32"]}, specs)}
    assert set(notices) == {"cell", "depth"}
    assert notices["cell"].kind is NoticeKind.UNKNOWN
    assert notices["depth"].value == 40


def test_lab_query_drops_defaults():
    """A share link lists only settings that differ from the page defaults."""
    defaults = LABS["lab-activations"].defaults
    assert lab_query(defaults, defaults) == ""
    assert lab_query(defaults | {"depth": 40, "activation": "relu"}, defaults) == "activation=relu&depth=40"


@pytest.mark.parametrize("url_path", sorted(LABS))
def test_presets_are_valid_for_the_engine_and_within_url_ranges(url_path):
    """Each page's defaults pass its own URL specs, and every variant it runs is a valid engine config.

    A one-pass lab runs one config holding every alternative (placements, formats, remedies, grid points), and its
    page-only settings (the learner's cell, placement, ...) are valid for their own model.
    """
    from explainer.lab.params import KIND_CONFIGS

    preset = LABS[url_path]
    for key, value in preset.defaults.items():
        if value is not None:
            assert check_value(preset.specs[key], str(value).lower() if isinstance(value, bool) else str(value)) is None
    outer, settings = KIND_CONFIGS[preset.kind][0], KIND_CONFIGS[preset.kind][-1]
    variants = preset.variants(preset.defaults)
    assert len(variants) >= (1 if preset.kind in ONE_PASS else 3)
    for _, cfg in variants:
        outer(**cfg)
    if preset.kind in ONE_PASS:
        settings(**{k: v for k, v in preset.defaults.items() if k in settings.model_fields})
    else:
        assert preset.focus(preset.defaults) in [label for label, _ in variants]


def test_decay_ladder():
    """Weight-decay strengths compared: 0, λ and 10λ (capped at 1); λ = 0 compares 0, 1e-3 and 1e-2."""
    assert decay_ladder(0.0) == [0.0, 1e-3, 1e-2]
    assert decay_ladder(0.01) == [0.0, 0.01, 0.1]
    assert decay_ladder(0.5) == [0.0, 0.5, 1.0]


def _engine_accepts(url_path: str, key: str, value: object) -> bool:
    """Does the engine take `key=value` on this page (every variant it would run)?"""
    from pydantic import ValidationError

    from explainer.lab.params import KIND_CONFIGS

    spec = LABS[url_path]
    outer = KIND_CONFIGS[spec.kind][0]
    values = spec.defaults | {key: value}
    try:
        for _, cfg in spec.variants(values):
            outer(**cfg)
        for model in KIND_CONFIGS[spec.kind][1:]:  # nested configs (validated above) and page-only settings
            model(**{k: v for k, v in values.items() if k in model.model_fields})
    except ValidationError:
        return False
    return True


def _numeric_controls():
    return [(url, key) for url, spec in LABS.items() for key, p in spec.specs.items() if p.kind in ("int", "float")]


@pytest.mark.parametrize(("url_path", "key"), _numeric_controls())
def test_url_range_equals_the_engine_range(url_path, key):
    """Every lab control's URL range is the engine's: its ends run, and one step beyond each end is refused by both."""
    spec = LABS[url_path].specs[key]
    step = 1 if spec.kind == "int" else max(abs(spec.hi), 1.0) * 1e-6
    below, above = spec.lo - (0 if spec.lo_open else step), spec.hi + step
    cast = int if spec.kind == "int" else float
    if not spec.lo_open:
        assert _engine_accepts(url_path, key, cast(spec.lo))
    assert check_value(spec, repr(cast(below))) is not None and not _engine_accepts(url_path, key, cast(below))
    assert check_value(spec, repr(cast(above))) is not None and not _engine_accepts(url_path, key, cast(above))


def test_open_lower_bounds_are_refused_not_clamped():
    """max_norm must be above 0 (the engine says gt=0): 0 falls back to the default, 0.001 is used as given."""
    spec = LABS["lab-clipping"].specs["max_norm"]
    assert spec.lo_open and spec.lo == 0
    refused = check_value(spec, "0")
    assert refused is not None and refused.value is None and "above 0" in refused.reason
    assert check_value(spec, "0.001") is None
