"""End-to-end monkey: every page, every widget at its extremes and at random legal values, every button,
through Streamlit's agent API on a real server. Nothing may raise anywhere."""

from __future__ import annotations

import pytest

from bench.monkey import probe_page
from bench.server import running_app
from explainer.core.sitemap import PAGES

SECRET = "monkey-secret-0123456789abcdef"
CODE = "MONKEY1"
# Signing in first lets the monkey reach the dashboard, banks and presets; signing out would end the tour.
PRELUDES = {
    "instructor": [{"widget_state": {"instructor_secret_input": SECRET}, "trigger": {"key": "instructor_login"}}],
}
SPARE = frozenset({"instructor_logout"})


@pytest.fixture(scope="module")
def monkey_app(tmp_path_factory):
    env = {"GRADIENT_LAB_INSTRUCTOR_SECRET": SECRET, "GRADIENT_LAB_CLASS_CODE": CODE}
    with running_app(tmp_path_factory.mktemp("monkey"), env=env) as (_, base):
        yield base


@pytest.mark.parametrize("spec", PAGES, ids=lambda p: p.url_path)
def test_monkey_finds_no_exception(monkey_app, spec):
    """Every reachable widget of the page is set to its extremes and a random legal value, and every button
    is pressed, each in a real rerun; every run ends `ready` with no exception element."""
    report = probe_page(monkey_app, spec.url_path if not spec.default else "", seed=len(spec.url_path),
                        max_requests=40, prelude=PRELUDES.get(spec.url_path), spare=SPARE)
    assert report.requests >= 1
    assert report.problems == []
