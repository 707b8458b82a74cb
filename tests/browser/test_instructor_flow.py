"""Chromium: joining sets the resume cookie (a reload resumes, another browser does not); the instructor
signs in and sees the class; screenshots of Join, My progress and the dashboard."""

from __future__ import annotations

import pytest

from bench.server import start_app, stop_app
from tests.browser.conftest import open_page, screenshot, wait_idle

pytestmark = pytest.mark.browser
SECRET = "browser-test-secret-0123456789"
CODE = "BROWSER1"


@pytest.fixture(scope="module")
def class_app(tmp_path_factory):
    """A server with a class code and an instructor secret, on its own SQLite file."""
    proc, base = start_app(tmp_path_factory.mktemp("class-app"),
                           env={"GRADIENT_LAB_INSTRUCTOR_SECRET": SECRET, "GRADIENT_LAB_CLASS_CODE": CODE})
    try:
        yield base
    finally:
        stop_app(proc)


def join_class(pg, base: str, name: str) -> str:
    open_page(pg, base, "join")
    pg.get_by_label("Class code").fill(CODE.lower())
    pg.get_by_label("Display name (what your instructor sees)").fill(name)
    pg.get_by_role("button", name="Join").click()
    wait_idle(pg)
    pg.get_by_text(f"Welcome, {name}!").wait_for()
    return pg.locator("[data-testid=stCode] code").first.inner_text().strip()


def sign_in_instructor(pg, base: str) -> None:
    open_page(pg, base, "instructor")
    pg.get_by_label("Instructor secret").fill(SECRET)
    pg.get_by_role("button", name="Open the dashboard").click()
    wait_idle(pg)
    pg.get_by_text("Active in the last 7 days").wait_for()


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
