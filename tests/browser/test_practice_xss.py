"""Chromium: HTML and <script> in an instructor's bank (prompt, options, explanation, source, rubric, model answer,
even a broken question's id) and in a learner's typed answer are shown as text, and no script ever runs."""

from __future__ import annotations

import pytest

from bench.server import running_app
from tests.browser.conftest import open_page, screenshot, wait_idle

pytestmark = pytest.mark.browser

SCRIPT = '<script>window.__xss = "script"; alert(1)</script>'
IMG = '<img src=x onerror="window.__xss = 1; alert(2)">'
EVIL_BANK = f"""\
questions:
  - id: xss-choice
    type: single_choice
    topic: overview
    difficulty: hard
    prompt: 'XSS-PROMPT {SCRIPT} and {IMG} end'
    options:
      - '{IMG} option one'
      - '<b onmouseover="window.__xss = 3">bold</b> two'
    answer: 0
    explanation: 'XSS-EXPLANATION {SCRIPT} <a href="javascript:window.__xss=4">click</a>'
    source: '{IMG}'
    learn: [overview]
  - id: xss-free
    type: free_response
    topic: overview
    difficulty: hard
    prompt: 'XSS-FREE <iframe srcdoc="<script>parent.__xss=5</script>"></iframe>'
    model_answer: 'MODEL {SCRIPT}'
    rubric:
      - claim: '{IMG} claim'
        match: ['clipping + <svg onload="window.__xss=6"> | norm']
        misconceptions:
          - claim: '<b onmouseover="window.__xss = 10">misconception</b>'
            match: ['img + clipping']
    explanation: '<svg onload="window.__xss = 7"></svg> XSS-FREE-EXPLANATION'
    learn: [overview]
  - id: '<img src=x onerror="window.__xss = 8">'
    type: true_false
    topic: overview
    difficulty: hard
    prompt: broken on purpose
    explanation: x
    learn: [overview]
    answer: true
"""
TYPED = '<img src=x onerror="window.__xss = 9"> clipping'


@pytest.fixture(scope="module")
def evil_app(tmp_path_factory):
    """A server whose instructor bank directory holds the hostile bank."""
    tmp = tmp_path_factory.mktemp("xss-app")
    banks = tmp / "banks"
    banks.mkdir()
    (banks / "evil.yaml").write_text(EVIL_BANK, encoding="utf-8")
    with running_app(tmp, env={"GRADIENT_LAB_BANK_DIR": str(banks)}) as (_, base):
        yield base


def assert_inert(pg, dialogs: list[str]) -> None:
    assert pg.evaluate("typeof window.__xss") == "undefined", "a bank or answer payload ran"
    assert dialogs == [], f"a payload opened a dialog: {dialogs}"
    assert pg.locator("[data-testid=stMain] img[src=x], [data-testid=stMain] iframe").count() == 0


def test_hostile_bank_text_is_displayed_as_text(page, evil_app):
    """Every payload shows up literally on the page, the bank error is listed as text, and nothing executes."""
    page.set_default_timeout(90_000)  # shared 2-core machine
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    open_page(page, evil_app, "quiz", "topic=overview&difficulty=hard&n=10&seed=1")
    main = page.locator("[data-testid=stMain]")
    page.get_by_text("question-bank problem", exact=False).click()  # open the errors expander
    wait_idle(page)
    assert "window.__xss = 8" in main.inner_text() and "evil.yaml" in main.inner_text()
    assert_inert(page, dialogs)
    page.get_by_role("button", name="Start quiz", exact=True).click()
    seen = set()
    for i in range(3):
        page.get_by_text(f"Question {i + 1} of 3", exact=True).wait_for()
        wait_idle(page)
        text = main.inner_text()
        if "XSS-PROMPT" in text:
            seen.add("choice")
            assert SCRIPT in text and IMG in text and '<b onmouseover="window.__xss = 3">bold</b> two' in text
            page.get_by_role("button", name="I don't know", exact=True).click()
        elif "XSS-FREE" in text:
            seen.add("free")
            assert "<iframe srcdoc=" in text
            page.locator("[data-testid=stForm] textarea").fill(TYPED)
            page.get_by_role("button", name="Check answer", exact=True).click()
        else:
            page.get_by_role("button", name="I don't know", exact=True).click()
        page.get_by_text("Why", exact=True).wait_for()
        wait_idle(page)
        text = main.inner_text()
        if "XSS-PROMPT" in text:
            assert "XSS-EXPLANATION" in text and SCRIPT in text and "Source: " + IMG in text
        if "XSS-FREE" in text:
            assert TYPED in text and "MODEL " + SCRIPT in text and IMG + " claim" in text
            assert '<b onmouseover="window.__xss = 10">misconception</b>' in text  # named, as text
            screenshot(page, "practice-xss-feedback")
        assert_inert(page, dialogs)
        page.get_by_role("button", name="See results" if i == 2 else "Next question", exact=True).click()
    page.get_by_text("Results", exact=True).wait_for()
    wait_idle(page)
    assert seen == {"choice", "free"}
    assert_inert(page, dialogs)
    screenshot(page, "practice-xss-summary")
