"""Chromium: a 5-question practice quiz taken by clicking (desktop and phone width); the mock interview's
countdown ticks in a real browser. Screenshots: practice-*.png."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import open_page, screenshot, wait_idle

pytestmark = pytest.mark.browser
QUIZ = "topic=clipping,weight_decay&n=5&seed=19"
PATIENCE = 90_000  # ms: the 2 cores are shared with other test runs; a rerun can take a while


@pytest.fixture(autouse=True)
def patient(page):
    """Locator waits as long as wait_idle's (the default 30 s is tight on a loaded 2-core machine)."""
    page.set_default_timeout(PATIENCE)


def answer_current(pg) -> None:
    """Answer whatever the open form asks, by clicking and typing like a learner, then check it."""
    form = pg.locator("[data-testid=stForm]").first
    form.wait_for()
    if form.locator("[data-testid=stRadio]").count():
        form.locator("[role=radiogroup] label").first.click()
    elif form.locator("[data-testid=stCheckbox]").count():
        form.locator("[data-testid=stCheckbox] label").first.click()
    elif form.locator("textarea").count():
        form.locator("textarea").fill("Clip the gradient norm and use AdamW: decoupled weight decay.")
    else:
        form.locator("input[type=text]").fill("3/5")
    form.get_by_role("button", name="Check answer", exact=True).click()
    pg.get_by_text("Why", exact=True).wait_for()  # the feedback replaced the form
    wait_idle(pg)


def main_text(pg) -> str:
    return pg.locator("[data-testid=stMain]").inner_text()


def take_quiz(pg, base: str, shot_prefix: str) -> None:
    open_page(pg, base, "quiz", QUIZ)
    pg.get_by_role("button", name="Start quiz", exact=True).click()
    for i in range(5):
        pg.get_by_text(f"Question {i + 1} of 5", exact=True).wait_for()
        wait_idle(pg)
        answer_current(pg)
        assert pg.locator("[data-testid=stAlert]").count() >= 1, "no feedback after checking"
        assert pg.locator("[data-testid=stForm]").count() == 0, "the answered form should be gone"
        if i == 0:
            screenshot(pg, f"{shot_prefix}-feedback")
        pg.get_by_role("button", name="See results" if i == 4 else "Next question", exact=True).click()
    pg.get_by_text("Results", exact=True).wait_for()
    wait_idle(pg)


def test_five_question_quiz_by_clicking(page, app_url):
    """Start from a preset URL, answer 5 questions by clicking, and reach the summary with its chart."""
    take_quiz(page, app_url, "practice-quiz")
    text = main_text(page)
    assert "Results" in text and re.search(r"Score\s+\d+\.\d\d / 5", text), text[:400]
    page.locator("[data-testid=stVegaLiteChart] svg, [data-testid=stVegaLiteChart] canvas").first.wait_for()
    assert page.get_by_role("button", name=re.compile(r"Retry missed")).count() == 1
    assert page.locator("[data-testid=stException]").count() == 0
    assert page.js_errors == []
    screenshot(page, "practice-quiz-summary")


def test_quiz_on_a_phone_width(browser, app_url):
    """At 390 px the quiz is usable: no horizontal scrolling, and the summary still renders."""
    ctx = browser.new_context(viewport={"width": 390, "height": 844})
    ctx.set_default_timeout(PATIENCE)
    pg = ctx.new_page()
    try:
        take_quiz(pg, app_url, "practice-quiz-narrow")
        assert pg.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        pg.locator("[data-testid=stVegaLiteChart] svg, [data-testid=stVegaLiteChart] canvas").first.wait_for()
        screenshot(pg, "practice-quiz-narrow-summary")
    finally:
        ctx.close()


def test_keyboard_only_answer(page, app_url):
    """A numeric answer is typed and submitted with Enter alone (forms submit on Enter) and graded."""
    open_page(page, app_url, "quiz", "topic=clipping&difficulty=medium&n=1&seed=1")  # clip-norm-arithmetic
    page.get_by_role("button", name="Start quiz", exact=True).click()
    field = page.locator("[data-testid=stForm] input[type=text]")
    field.wait_for()
    wait_idle(page)
    field.fill("3/5")
    field.press("Enter")
    page.get_by_text("Why", exact=True).wait_for()
    assert "Correct" in main_text(page)


def test_mock_interview_countdown_ticks_and_rubric_shows(page, app_url):
    """The countdown fragment updates by itself every second; a typed answer shows its claims, ticked."""
    open_page(page, app_url, "mock-interview")
    page.get_by_role("button", name="Start interview", exact=True).click()
    page.get_by_text("Type your answer").wait_for()
    wait_idle(page)
    clock = page.locator("[data-testid=stProgress]").nth(1)
    first = clock.inner_text()
    page.wait_for_timeout(2500)
    assert clock.inner_text() != first, "countdown did not tick"
    screenshot(page, "practice-interview-question")
    page.locator("[data-testid=stForm] textarea").fill(
        "Gradients shrink exponentially through the chain rule product, so early layers learn slowly; "
        "use ReLU, batch normalization, residual connections and gradient clipping for exploding gradients.")
    page.get_by_role("button", name="Submit answer", exact=True).click()
    page.get_by_text("Model answer").first.wait_for()
    wait_idle(page)
    assert "Claims" in main_text(page) and "Suggested by the automatic grade" in main_text(page)
    assert page.locator("[data-testid=stException]").count() == 0
    screenshot(page, "practice-interview-review")
