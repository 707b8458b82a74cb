"""Chromium: joining sets the resume cookie (a reload resumes, another browser does not); the instructor
signs in and sees the class; screenshots of Join, My progress and the dashboard."""

from __future__ import annotations

import pytest

from bench.server import running_app
from tests.browser.conftest import open_page, pick_option, screenshot, wait_idle

pytestmark = pytest.mark.browser
SECRET = "browser-test-secret-0123456789"
CODE = "BROWSER1"


@pytest.fixture(scope="module")
def class_app(tmp_path_factory):
    """A server with a class code and an instructor secret, on its own SQLite file."""
    env = {"GRADIENT_LAB_INSTRUCTOR_SECRET": SECRET, "GRADIENT_LAB_CLASS_CODE": CODE}
    with running_app(tmp_path_factory.mktemp("class-app"), env=env) as (_, base):
        yield base


def join_class(pg, base: str, name: str) -> str:
    open_page(pg, base, "join")
    pg.get_by_label("Class code").fill(CODE.lower())
    pg.get_by_label("Display name (what your instructor sees)").fill(name)
    pg.get_by_role("button", name="Join", exact=True).click()
    wait_idle(pg)
    pg.get_by_text(f"Welcome, {name}!").wait_for()
    return pg.locator("[data-testid=stCode] code").first.inner_text().strip()


def sign_in_instructor(pg, base: str) -> None:
    open_page(pg, base, "instructor")
    pg.get_by_label("Instructor secret").fill(SECRET)
    pg.get_by_role("button", name="Open the dashboard", exact=True).click()
    wait_idle(pg)
    pg.get_by_role("button", name="Sign out", exact=True).wait_for()


def test_join_sets_a_cookie_that_resumes_only_this_browser(browser, class_app):
    """After joining, a reload (a new Streamlit session) still knows the learner via the gl_resume cookie;
    a second browser context does not; the key never stays in the address bar."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = ctx.new_page()
    key = join_class(pg, class_app, "Ada Browser")
    screenshot(pg, "instructor-join")
    cookies = {c["name"]: c for c in ctx.cookies()}
    assert cookies["gl_resume"]["value"] == key and cookies["gl_resume"]["sameSite"] == "Lax"
    pg.reload()
    wait_idle(pg)
    assert "You are learning as Ada Browser" in pg.locator("[data-testid=stMain]").inner_text()
    other = browser.new_context().new_page()
    open_page(other, class_app, "join")
    assert "You are learning as" not in other.locator("[data-testid=stMain]").inner_text()
    open_page(other, class_app, "join", f"resume={key}")
    assert "You are learning as Ada Browser" in other.locator("[data-testid=stMain]").inner_text()
    assert "resume=" not in other.url
    other.context.close()
    ctx.close()


def test_instructor_dashboard_in_chromium(page, class_app):
    """The secret opens the dashboard: charts render on canvas, no exception, the secret is not on the page."""
    sign_in_instructor(page, class_app)
    assert page.locator("[data-testid=stException]").count() == 0
    assert SECRET not in page.content()
    screenshot(page, "instructor-dashboard")


def skip_through_quiz(pg, base: str, n: int) -> None:
    """Start a pinned-style quiz and answer every question with "I don't know" (valid for every type)."""
    open_page(pg, base, "quiz", f"topic=vanishing&n={n}&seed=4")
    pg.get_by_role("button", name="Start quiz", exact=True).click()
    wait_idle(pg)
    for i in range(n):
        pg.get_by_role("button", name="I don't know", exact=True).click()
        wait_idle(pg)
        pg.get_by_text("Skipped: here is the answer.").wait_for()
        pg.get_by_role("button", name="See results" if i == n - 1 else "Next question", exact=True).click()
        wait_idle(pg)


def metric(pg, label: str) -> str:
    box = pg.locator("[data-testid=stMetric]").filter(has_text=label)
    return box.locator("[data-testid=stMetricValue]").inner_text().strip()


def test_learner_answers_and_instructor_sees_it(browser, class_app):
    """A learner joins and answers two questions by clicking; the instructor's dashboard, opened in
    another browser, counts both answers and lists the learner."""
    learner = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    join_class(learner, class_app, "Quinn Quiz")
    skip_through_quiz(learner, class_app, 2)
    screenshot(learner, "instructor-learner-summary")
    instructor = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in_instructor(instructor, class_app)
    assert metric(instructor, "Answers") == "2"
    instructor.get_by_text("Hardest questions").wait_for()
    charts = instructor.locator("[data-testid=stVegaLiteChart]")
    charts.locator("svg.marks, canvas").first.wait_for()  # Vega rendered (SVG in this Streamlit)
    assert charts.count() == 4
    screenshot(instructor, "instructor-dashboard-with-answers")
    learners = instructor.get_by_role("combobox", name="One learner's progress", exact=True)
    pick_option(instructor, learners, "Quinn Quiz", "Quinn", exact=False)
    wait_idle(instructor)
    assert charts.count() == 5  # the chosen learner's mastery over time
    screenshot(instructor, "instructor-dashboard-learner")
    learner.context.close()
    instructor.context.close()


def test_self_study_answers_persist_in_this_browser(browser, class_app):
    """Without joining, the first answer creates a learner and its cookie: a reload of My progress in the
    same browser shows the answers."""
    pg = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    skip_through_quiz(pg, class_app, 1)
    assert any(c["name"] == "gl_resume" for c in pg.context.cookies())
    open_page(pg, class_app, "progress")
    assert metric(pg, "Answers") == "1"
    screenshot(pg, "instructor-my-progress")
    pg.context.close()


def test_pinned_quiz_reaches_learners_home(browser, class_app):
    """The instructor pins a quiz; a learner's Home page lists it, and the link opens the quiz preset."""
    instructor = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in_instructor(instructor, class_app)
    instructor.get_by_role("tab", name="Class presets", exact=True).click()
    instructor.get_by_label("Title", exact=True).last.fill("Week 3: clipping")
    instructor.get_by_role("button", name="Pin quiz", exact=True).click()
    wait_idle(instructor)
    instructor.get_by_text("pick at least one topic").wait_for()
    instructor.get_by_label("Title", exact=True).last.fill("Week 3: clipping")
    topics = instructor.get_by_role("combobox", name="Topics", exact=True)
    pick_option(instructor, topics, "Gradient clipping", "clipping", exact=False)
    instructor.keyboard.press("Escape")
    instructor.get_by_role("button", name="Pin quiz", exact=True).click()
    wait_idle(instructor)
    instructor.get_by_text("Pinned: /quiz?topic=clipping").wait_for()
    learner = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    open_page(learner, class_app)
    learner.get_by_text("Pinned for your class").wait_for()
    screenshot(learner, "instructor-home-presets")
    learner.get_by_role("link", name="Week 3: clipping", exact=True).click()
    wait_idle(learner)
    assert "/quiz" in learner.url
    assert "Gradient clipping" in learner.locator("[data-testid=stMultiSelect]").inner_text()
    instructor.context.close()
    learner.context.close()
