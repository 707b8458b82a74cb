"""What a learner sees while a lab run is still computing: a progress panel, then a chart labelled as a preview,
then the full page in its place, without reloading (a server that waits 0 s for results and warms nothing)."""

from __future__ import annotations

import pytest

from bench.server import running_app
from tests.browser.conftest import open_page, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def busy_url(tmp_path_factory):
    env = {"GRADIENT_LAB_LAB_WAIT_S": "0", "GRADIENT_LAB_WARM": "0", "GRADIENT_LAB_COMPUTE": "process"}
    with running_app(tmp_path_factory.mktemp("progress-app"), env=env) as (_, base):
        yield base


def test_a_slow_lab_shows_a_labelled_preview_then_the_full_result(page, busy_url):
    """The digits lab with 8 seeds takes seconds of CPU: the panel says it is running, a chart titled "Preview"
    appears inside it, and the page's three full charts replace it by themselves."""
    open_page(page, busy_url, "lab-digits", "seeds=8")
    panel = page.locator(".st-key-lab_pending")
    panel.get_by_text("seed runs done").wait_for(state="visible", timeout=30_000)  # the panel streams in
    preview = page.locator(".st-key-lab_preview")
    preview.locator("canvas").first.wait_for(state="visible", timeout=60_000)
    assert "Preview" in preview.inner_text()
    screenshot(page, "lab-progress-preview")
    panel.wait_for(state="detached", timeout=240_000)
    page.get_by_text("Gradient norm per layer at step 0").first.wait_for(state="visible", timeout=60_000)
    page.locator("[data-testid=stVegaLiteChart] canvas").nth(2).wait_for(state="visible", timeout=30_000)
    assert not page.locator(".st-key-lab_preview").count()
    assert not page.js_errors
    screenshot(page, "lab-progress-full")
