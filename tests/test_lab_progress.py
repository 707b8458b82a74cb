"""A lab page whose runs are not done in time shows a progress panel, then a labelled preview, then the full page.

The compute pool here is a scheduler whose worker runs a chunk only when the test says so, and the page waits 0 s,
so each stage is reached deterministically (no timing).
"""

from __future__ import annotations

import pytest

from explainer.core.sitemap import BY_PATH
from explainer.experiments import MLPConfig
from explainer.lab import compute
from explainer.lab.compute import kinds
from explainer.lab.compute.cache import ResultCache
from explainer.lab.compute.scheduler import Scheduler
from tests.conftest import app_test
from tests.test_lab_compute import ManualRunner, finish_all

PAGE = BY_PATH["lab-normalization"].script  # four variants of the same MLP


@pytest.fixture
def held(monkeypatch):
    """A pool that runs nothing until the test finishes chunks; two seeds per chunk (the first is the preview)."""
    runner = ManualRunner(workers=8)
    monkeypatch.setattr(compute, "_shared", Scheduler(runner, ResultCache()))
    per_seed = kinds.KINDS["mlp"].units(MLPConfig(depth=20, width=64, batch_size=64))
    monkeypatch.setattr(kinds, "CHUNK_UNITS", 2 * per_seed)  # 2 seeds of the page's default network
    monkeypatch.setenv("GRADIENT_LAB_LAB_WAIT_S", "0")
    return runner


def markdown(at) -> list[str]:
    return [m.value for m in at.markdown]


def test_queued_runs_show_progress_not_a_chart(held):
    """Nothing computed yet: the page shows the running/queued note and a progress bar, no chart, no error."""
    at = app_test(PAGE)
    assert not at.exception and not at.error
    assert any(m.startswith("**Running your experiment") or m.startswith("**Queued") for m in markdown(at))
    assert not at.get("vega_lite_chart") and not at.metric
    assert at.button(key="lab_refresh")


def test_first_chunks_give_a_labelled_preview(held):
    """Once every variant's first seeds are done, the page draws a chart titled as a preview, without a verdict."""
    at = app_test(PAGE)
    for _ in range(len(held.calls)):
        held.finish()  # each variant's first chunk (2 of 8 seeds)
    at.button(key="lab_refresh").click().run()
    titles = [m for m in markdown(at) if m.startswith("**Preview from 2 of 8 seeds per curve")]
    assert titles and at.get("vega_lite_chart") and not at.metric
    assert not at.exception


def test_the_full_result_replaces_the_preview(held):
    """When every chunk is done the page draws the full charts and the diagnosis, and the panel is gone."""
    at = app_test(PAGE)
    for _ in range(3):  # the runs, then the theory overlay anchored to them (asked for once the runs are done)
        finish_all(held)
        at.run()
    assert not held.calls
    assert not any(m.startswith("**Preview") for m in markdown(at))
    assert {m.label for m in at.metric} >= {"Verdict"}
    with pytest.raises(KeyError):
        at.button(key="lab_refresh")


def test_runs_done_draw_their_chart_while_the_theory_overlay_computes(held):
    """An MLP page whose runs are done does not hold its first chart back for the theory curves: it draws the runs,
    says the theory joins them, and the full page follows once the overlay is done."""
    at = app_test(PAGE)
    finish_all(held)  # every run: the page then asks for their theory overlay, which waits in the queue
    at.button(key="lab_refresh").click().run()
    assert held.calls and {c.__class__.__name__ for _, c, _ in held.calls} == {"AnchoredTheory"}
    assert any(m.startswith("**Every run is done: the theory curves join") for m in markdown(at))
    assert at.get("vega_lite_chart") and not at.metric
    finish_all(held)
    at.run()
    assert not any(m.startswith("**Every run") for m in markdown(at)) and {m.label for m in at.metric} >= {"Verdict"}


def test_a_slow_training_lab_previews_its_first_steps(held):
    """The digits lab (seconds of per-step work) shows its first steps' test accuracy, labelled, then the full run."""
    at = app_test(BY_PATH["lab-digits"].script)
    for _ in range(len(held.calls)):
        held.finish()  # the first-steps run and the step-0 profile
    at.button(key="lab_refresh").click().run()
    titles = [m for m in markdown(at) if m.startswith("**Preview: the first ")]
    assert titles and "of 200 steps" in titles[0] and at.get("vega_lite_chart")
    assert '"type": "log"' not in at.get("vega_lite_chart")[0].proto.spec  # accuracy: linear, as the full chart
    finish_all(held)
    at.run()
    assert not any(m.startswith("**Preview") for m in markdown(at)) and not at.exception
