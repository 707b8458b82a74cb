"""Legal but extreme lab settings that the burst scenario (bench/burst.py) found crashing a page: none may raise."""

from __future__ import annotations

import math

from explainer.core.sitemap import BY_PATH
from explainer.lab.specs import LABS
from tests.conftest import app_test


def band_charts(at) -> list:
    return [c for c in at.get("vega_lite_chart") if '"renderer": "canvas"' in c.proto.spec]


def test_each_lab_page_keeps_its_own_settings():
    """Values set on one lab page do not follow the learner to the next (batch_size 1024 is outside the recurrent
    page's range, he_normal not among its inits, and depth 100 would make another page's default run take
    minutes); coming back, through a Learn page, finds them again."""
    at = app_test(BY_PATH["lab-normalization"].script, query={"depth": "2", "seeds": "1"})
    at.slider(key="batch_size").set_value(1024).run()
    at.selectbox(key="init").set_value("he_normal").run()
    at.switch_page(BY_PATH["lab-recurrent"].script).run()
    assert not at.exception and not at.error
    assert at.slider(key="batch_size").value == LABS["lab-recurrent"].defaults["batch_size"]
    assert at.selectbox(key="init").value == LABS["lab-recurrent"].defaults["init"]
    at.slider(key="batch_size").set_value(16).run()
    at.switch_page(BY_PATH["remedy-batchnorm"].script).run()
    at.switch_page(BY_PATH["lab-normalization"].script).run()
    assert not at.exception and not at.error
    assert at.slider(key="batch_size").value == 1024 and at.selectbox(key="init").value == "he_normal"
    assert at.slider(key="depth").value == 2
    at.switch_page(BY_PATH["lab-recurrent"].script).run()
    assert at.slider(key="batch_size").value == 16


def test_the_smallest_clip_value_runs():
    """clip_value's minimum (the float after 0, a denormal) trains: the engine's own flush-to-zero must not turn
    it into a refused 0 halfway through the page's runs."""
    import torch

    torch.set_flush_denormal(False)  # as in a server's page threads; an engine run earlier in this thread set it
    at = app_test(BY_PATH["lab-clipping"].script, query={"steps": "5", "seeds": "2"})
    at.number_input(key="clip_value").set_value(math.nextafter(0.0, 1.0)).run()
    assert not at.exception and not at.error
    assert band_charts(at)


def test_a_tiny_init_scale_draws_the_measured_curves():
    """init_scale 1e-160 underflows the mean-field recursion: the page draws its charts without the theory line."""
    at = app_test(BY_PATH["lab-init"].script, query={"init_scale": "1e-160", "seeds": "2"})
    assert not at.exception and not at.error and not at.warning
    assert band_charts(at)
