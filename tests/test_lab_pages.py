"""Lab pages under AppTest: render, every control re-runs, verdict = engine summary, apply-remedy, URL notices."""

from __future__ import annotations

import numpy as np
import pytest

from explainer.core.sitemap import BY_PATH
from explainer.lab import variants
from explainer.lab.specs import LABS
from explainer.lab.variants import mlp_config, rnn_config
from tests.conftest import app_test

PAGES = sorted(LABS)
ALTERNATIVES = {  # a cheap, different, valid value for every control
    "depth": 6, "width": 16, "batch_size": 16, "seeds": 2, "init_scale": 0.5, "norm": "batch", "residual": True,
    "data": "spirals", "cell": "gru", "seq_len": 12, "hidden": 8, "steps": 8, "lr": 0.05, "clip": "norm",
    "max_norm": 2.0, "clip_value": 0.5, "weight_decay": 0.01,
    "sigma_w": 2.0, "sigma_b": 0.2, "fixed_scale": 4096.0, "placement": "pre", "variant": "relu_he",
    "scaling": "dynamic",
}
OWN_METRIC = {"transformer": "Last / first block at init", "precision": "Layer 1 entries lost", "rnn": "Verdict"}
WIDGET_KINDS = ("slider", "selectbox", "number_input", "toggle")


def widget(at, key):
    """The widget with explicit key `key`, whatever its kind."""
    for kind in WIDGET_KINDS:
        try:
            return getattr(at, kind)(key=key)
        except KeyError:
            continue
    raise KeyError(key)


def alternative(url_path: str, key: str):
    spec, default = LABS[url_path].specs[key], LABS[url_path].defaults[key]
    if key in ALTERNATIVES and ALTERNATIVES[key] != default and (spec.kind not in ("int", "float") or (
            spec.lo <= ALTERNATIVES[key] <= spec.hi)):
        return ALTERNATIVES[key]
    if spec.kind == "bool":
        return not default
    if spec.kind == "choice":
        return next(c for c in spec.choices if c != default and c != "zeros")
    if spec.kind == "int":
        return default - 1 if default > spec.lo else default + 1
    raise AssertionError(f"no alternative for {key}")


def metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def engine_verdict(url_path: str, values: dict) -> str:
    """What the engine says for the page's own network with these settings (summarize_profile, or the one-pass
    lab's outcome read from its runner's frame, labelled the way the page labels it)."""
    from explainer.experiments import MLPConfig, RNNConfig, bptt_profile, gradient_profile, summarize_profile

    kind = LABS[url_path].kind
    if kind in ONE_PASS:
        return ONE_PASS[kind](url_path, values)
    if kind == "rnn":
        return summarize_profile(bptt_profile(RNNConfig(**rnn_config(values)))).verdict
    return summarize_profile(gradient_profile(MLPConfig(**mlp_config(values)))).verdict


def _phase_verdict(url_path: str, values: dict) -> str:
    from explainer.experiments import PhaseConfig, phase_diagram
    from explainer.lab.outcomes import phase_cell

    df = phase_diagram(PhaseConfig(**variants.phase_config(values)))
    return phase_cell(df, values["sigma_w"], values["sigma_b"], values["depth"]).summary.verdict


def _transformer_verdict(url_path: str, values: dict) -> str:
    from explainer.experiments import TransformerTrainConfig, transformer_train
    from explainer.lab.outcomes import transformer_facts

    df = transformer_train(TransformerTrainConfig(**variants.transformer_config(values)))
    df = df.assign(series=df["placement"].map(variants.PLACEMENT_LABELS),
                   schedule=np.where(df["warmup_steps"] > 0, "warm-up", "no warm-up"))
    schedule = "warm-up" if values["warmup"] else "no warm-up"
    return transformer_facts(df, variants.PLACEMENT_LABELS[values["placement"]], schedule).verdict


def _precision_verdict(url_path: str, values: dict) -> str:
    from explainer.experiments import PrecisionConfig, precision_profile
    from explainer.lab.outcomes import precision_facts

    df = precision_profile(PrecisionConfig(**variants.precision_config(values)["model"]))
    df = df.assign(series=[variants.precision_label(d, s) for d, s in zip(df["dtype"], df["scaling"], strict=True)])
    return precision_facts(df, values["scaling"]).verdict


def _digits_verdict(url_path: str, values: dict) -> str:
    from explainer.experiments import digits_train
    from explainer.experiments.configs import DigitsConfig
    from explainer.lab.outcomes import digits_facts

    df = digits_train(DigitsConfig(**variants.digits_config(values)))
    df = df.assign(series=df["variant"].map(variants.DIGITS_LABELS))
    return digits_facts(df, variants.DIGITS_LABELS[values["variant"]]).verdict


ONE_PASS = {"phase": _phase_verdict, "transformer": _transformer_verdict, "precision": _precision_verdict,
            "digits": _digits_verdict}


def current_values(at, url_path: str) -> dict:
    return {k: widget(at, k).value for k in LABS[url_path].keys}


def charts(at) -> list:
    """The lab's own charts (their specs ask for the canvas renderer; the Learn figure of curves does not)."""
    return [c for c in at.get("vega_lite_chart") if '"renderer": "canvas"' in c.proto.spec]


@pytest.mark.parametrize("url_path", PAGES)
def test_page_renders_charts_diagnosis_and_note(url_path):
    """At defaults: title, at least one chart with a summary caption, the diagnosis metrics, the Learn link."""
    at = app_test(BY_PATH[url_path].script)
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == BY_PATH[url_path].title
    assert len(charts(at)) >= 1
    assert {m.label for m in at.metric} >= {OWN_METRIC.get(LABS[url_path].kind, "First / last layer"), "Verdict"}
    assert any(md.value.startswith("**What you are seeing.**") for md in at.markdown)
    assert not at.warning, "no URL notice without URL parameters"


@pytest.mark.parametrize("url_path", PAGES)
def test_every_control_reruns_without_exception(url_path):
    """Each control, set in turn to another valid value, re-runs the page with no exception and keeps its value."""
    at = app_test(BY_PATH[url_path].script)
    for key in LABS[url_path].keys:
        value = alternative(url_path, key)
        widget(at, key).set_value(value).run()
        assert not at.exception, (key, [e.value for e in at.exception])
        assert not at.error, (key, [e.value for e in at.error])
        assert widget(at, key).value == value
        assert charts(at), f"no chart after changing {key}"


@pytest.mark.parametrize("url_path", PAGES)
def test_verdict_matches_engine_summary(url_path):
    """The diagnosis panel's verdict is summarize_profile's verdict for the learner's own network."""
    at = app_test(BY_PATH[url_path].script)
    assert metric(at, "Verdict") == engine_verdict(url_path, current_values(at, url_path))


@pytest.mark.parametrize("url_path", PAGES)
def test_apply_remedy_changes_the_controls_and_reruns(url_path):
    """Defaults show a problem; "Apply & re-run" sets the suggested controls and the new verdict is the engine's."""
    at = app_test(BY_PATH[url_path].script)
    before = current_values(at, url_path)
    at.button(key="apply_remedy").click().run()
    assert not at.exception, [e.value for e in at.exception]
    after = current_values(at, url_path)
    changed = {k for k in before if before[k] != after[k]}
    assert changed, "the remedy changed no control"
    assert metric(at, "Verdict") == engine_verdict(url_path, after)


def test_apply_remedy_fixes_the_default_problem():
    """On Activations, sigmoid vanishes; after applying the remedy (ReLU + He) the verdict is healthy."""
    at = app_test(BY_PATH["lab-activations"].script)
    assert metric(at, "Verdict") == "vanishing"
    at.button(key="apply_remedy").click().run()
    assert widget(at, "activation").value == "relu" and widget(at, "init").value == "he_normal"
    assert metric(at, "Verdict") == "healthy"


@pytest.mark.parametrize(("url_path", "fixed"), [("lab-phase", "healthy"), ("lab-transformer", "learns"),
                                                ("lab-precision", "kept"), ("lab-digits", "learns")])
def test_one_pass_remedy_fixes_the_default_problem(url_path, fixed):
    """The one-pass labs' defaults show the problem; their one-click remedy (critical σ_w, warm-up, dynamic loss
    scaling, a remedy net) gives the healthy verdict, measured in the same run that suggested it."""
    at = app_test(BY_PATH[url_path].script)
    assert metric(at, "Verdict") != fixed
    at.button(key="apply_remedy").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert metric(at, "Verdict") == fixed


@pytest.mark.parametrize("url_path", PAGES)
def test_url_parameters_set_the_controls(url_path):
    """A URL with valid parameters starts the page with those controls (an instructor's preset)."""
    preset = LABS[url_path]
    int_key = next(k for k in preset.keys if preset.specs[k].kind == "int")
    choice_key = next(k for k in preset.keys if preset.specs[k].kind == "choice")
    want = {int_key: alternative(url_path, int_key), choice_key: alternative(url_path, choice_key)}
    at = app_test(preset_script(url_path), query={k: str(v) for k, v in want.items()})
    assert not at.exception and not at.warning
    assert {k: widget(at, k).value for k in want} == want


@pytest.mark.parametrize("url_path", PAGES)
def test_bad_url_values_show_a_notice_and_still_render(url_path):
    """Out-of-range, non-numeric and unknown values: a warning names each parameter; the page still renders."""
    preset = LABS[url_path]
    int_key = next(k for k in preset.keys if preset.specs[k].kind == "int")
    choice_key = next(k for k in preset.keys if preset.specs[k].kind == "choice")
    query = {int_key: "99999999", choice_key: "not-a-choice", "bogus": "1"}
    at = app_test(preset_script(url_path), query=query)
    assert not at.exception, [e.value for e in at.exception]
    text = at.warning[0].value
    assert f"`{int_key}=99999999`" in text and f"`{choice_key}=not-a-choice`" in text and "`bogus=1`" in text
    assert widget(at, int_key).value == preset.specs[int_key].hi  # clamped to the maximum
    assert widget(at, choice_key).value == preset.defaults[choice_key]  # refused: the default
    assert charts(at)


def test_garbage_url_values_never_crash():
    """NaN, infinity, huge strings and text for numbers are refused or clamped, never a traceback."""
    query = {"depth": "nan", "width": "inf", "seeds": "9" * 400, "init_scale": "-1", "activation": "", "data": "x"}
    at = app_test(preset_script("lab-activations"), query=query)
    assert not at.exception
    assert widget(at, "width").value == 512 and widget(at, "depth").value == 20 and widget(at, "seeds").value == 8
    assert widget(at, "init_scale").value is None  # the engine needs init_scale > 0: refused, the default is used
    assert all(f"`{k}=" in at.warning[0].value for k in ("depth", "width", "seeds", "init_scale", "data"))


def test_predict_first_hides_results_until_a_guess_is_committed():
    """Predict-first: no chart until the learner picks and reveals; then the page says whether they were right."""
    at = app_test(preset_script("lab-activations"), query={"predict": "true"})
    assert not charts(at) and not at.metric
    assert at.button(key="predict_reveal").disabled
    at.radio(key="predict_guess").set_value("vanishing").run()
    at.button(key="predict_reveal").click().run()
    assert charts(at)
    assert "You predicted **vanishing**, and that is what the run shows." in at.success[0].value
    widget(at, "depth").set_value(6).run()  # a new configuration asks again
    assert not at.metric and at.radio(key="predict_guess")


def preset_script(url_path: str) -> str:
    return BY_PATH[url_path].script


def test_too_large_settings_get_the_engine_message_not_a_traceback():
    """Each value in range but the product over the engine's budget: a clear error naming the fields to reduce."""
    at = app_test(preset_script("lab-activations"),
                  query={"width": "512", "depth": "100", "batch_size": "1024", "seeds": "64"})
    assert not at.exception and not charts(at)
    assert "seeds x batch_size x depth x width" in at.error[0].value and "reduce" in at.error[0].value


def test_url_text_cannot_inject_markdown_into_the_notice():
    """A crafted unknown parameter is shown literally inside a code span (backticks replaced), never as a link."""
    at = app_test(preset_script("lab-recurrent"), query={"x`[a](http://evil)`": "1"})
    assert not at.exception
    assert "`x'[a](http://evil)'=1`" in at.warning[0].value
