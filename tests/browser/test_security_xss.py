"""Chromium: hostile display names stay inert text on every page that shows them (join, dashboard)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import open_page, screenshot
from tests.browser.test_instructor_flow import class_app, join_class, sign_in_instructor, skip_through_quiz

pytestmark = pytest.mark.browser
__all__ = ["class_app"]  # the module-scoped server fixture, shared with the instructor flow tests

PAYLOAD = '<img src=x onerror=window.__xss=1><script>x=1</script>'  # fits the 60-char name limit


def xss_fired(pg) -> bool:
    return pg.evaluate("() => window.__xss !== undefined")


def test_hostile_display_name_is_shown_as_text(browser, class_app):
    """A learner named with <script> and <img onerror> joins and answers; neither the learner's pages nor
    the instructor's dashboard run the payload, and the dashboard shows the name literally."""
    learner = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    dialogs: list[str] = []
    learner.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    join_class(learner, class_app, PAYLOAD)
    skip_through_quiz(learner, class_app, 1)
    open_page(learner, class_app, "progress")
    assert not xss_fired(learner)
    instructor = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in_instructor(instructor, class_app)
    instructor.get_by_text("Hardest questions").wait_for()
    instructor.locator("[data-testid=stVegaLiteChart] svg.marks").first.wait_for()
    assert instructor.locator("[data-testid=stMain] img[src=x]").count() == 0
    assert not xss_fired(instructor)
    assert not dialogs
    screenshot(instructor, "security-hostile-name-dashboard")
    learner.context.close()
    instructor.context.close()
