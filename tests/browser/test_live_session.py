"""Chromium, two browser contexts: a presenter on a desktop-sized projector and a learner on a 390 px phone.

The presenter signs in, starts a stored lesson and moves to a question with the → key; the phone shows the
question, the learner answers; the projector's count and bars show the answer; "Reveal" shows the key on both.
"""

from __future__ import annotations

import time

import pytest

from bench.server import running_app
from explainer.store import lessons
from explainer.store.config import make_engine
from explainer.store.schema import ensure_schema
from questions import load_banks
from questions.loader import default_paths
from tests.browser.conftest import open_page, screenshot, wait_idle

pytestmark = pytest.mark.browser
SECRET = "browser-live-secret-0123456789"
CODE = "LIVE101"
QUESTION = next(q for q in load_banks(default_paths()).questions if q.type == "single_choice" and
                max(len(o) for o in q.options) < 60)
LESSON = f"title: Browser live lesson\nsteps:\n  - learn: vanishing\n  - question: {QUESTION.id}\n"
FOLLOW_S = 2.0  # a change on the projector reaches the phone within ~2 s (one poll of 1 s plus a rerun)


@pytest.fixture(scope="module")
def live_app(tmp_path_factory):
    """A server with an instructor secret and a class code, its SQLite file holding one lesson."""
    tmp = tmp_path_factory.mktemp("live-app")
    engine = make_engine(f"sqlite:///{tmp / 'app.sqlite3'}")
    ensure_schema(engine)
    lessons.save_lesson(engine, "Browser live lesson", LESSON, 2)
    engine.dispose()
    env = {"GRADIENT_LAB_INSTRUCTOR_SECRET": SECRET, "GRADIENT_LAB_CLASS_CODE": CODE}
    with running_app(tmp, env=env) as (_, base):
        yield base


def wait_for(check, timeout: float, what: str, start: float | None = None) -> float:
    """Poll `check()` until true; return the seconds since `start` (default: now; fails after `timeout`)."""
    start = time.monotonic() if start is None else start
    while time.monotonic() - start < timeout:
        if check():
            return time.monotonic() - start
        time.sleep(0.1)
    raise AssertionError(f"{what} did not happen within {timeout} s")


def start_presenting(pg, base: str) -> str:
    """Sign in on the Presenter page, start the lesson, return the join code shown on the projector."""
    open_page(pg, base, "present")
    pg.get_by_label("Instructor secret").fill(SECRET)
    pg.get_by_role("button", name="Open the dashboard", exact=True).click()
    wait_idle(pg)
    pg.get_by_role("button", name="Start the live session", exact=True).click()
    wait_idle(pg)
    code_box = pg.locator(".st-key-present_code")
    code_box.wait_for()
    return code_box.inner_text().strip()


def test_a_phone_answers_and_the_projector_counts_and_reveals(browser, live_app):
    """The acceptance flow of issue 17 in a real browser, with the time each hop took."""
    projector = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    code = start_presenting(projector, live_app)
    assert projector.locator("[data-testid=stSidebar]").is_hidden()  # projector mode: no sidebar
    assert projector.locator("[data-testid=stImage] img").count() == 1  # the QR code
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True).new_page()
    open_page(phone, live_app, "live", f"code={code}")
    phone.get_by_label("Display name (what your instructor sees)").fill("Pat Phone")
    phone.get_by_role("button", name="Join", exact=True).click()
    wait_idle(phone)
    phone.get_by_text("On the projector:").wait_for()

    pressed = time.monotonic()
    projector.locator("body").press("ArrowRight")  # the presenter's key opens the question step
    first_option = QUESTION.options[0]
    seen = wait_for(lambda: phone.get_by_text(first_option, exact=True).count() > 0, 10, "question on the phone",
                    pressed)
    wait_idle(projector)
    projector.locator("[data-testid=stMetric]").filter(has_text="Answers").wait_for()
    assert seen <= FOLLOW_S + 1.0, f"the phone showed the question after {seen:.1f} s"
    screenshot(phone, "live-phone-question")

    phone.get_by_text(first_option, exact=True).click()
    answered = time.monotonic()
    phone.get_by_role("button", name="Check answer", exact=True).click()
    metric = projector.locator("[data-testid=stMetric]").filter(has_text="Answers")
    counted = wait_for(lambda: metric.locator("[data-testid=stMetricValue]").inner_text().strip() == "1", 10,
                       "the projector counting the answer", answered)
    phone.get_by_text("Your answer is in").wait_for()
    assert counted <= FOLLOW_S + 1.0, f"the projector counted the answer after {counted:.1f} s"
    bars = projector.locator(".st-key-present_tally [data-testid=stVegaLiteChart]")
    bars.locator("svg.marks, canvas").first.wait_for()
    screenshot(projector, "live-projector-answers")

    revealed = time.monotonic()
    projector.get_by_role("button", name="Reveal", exact=True).click()
    verdict = "Correct." if QUESTION.answer == 0 else "Not quite"
    shown = wait_for(lambda: phone.get_by_text(verdict).count() > 0, 10, "the key on the phone", revealed)
    wait_idle(projector)
    projector.locator(".st-key-present_key").get_by_text("Answer:").wait_for()
    assert QUESTION.options[QUESTION.answer] in projector.locator(".st-key-present_key").inner_text()
    assert shown <= FOLLOW_S + 1.0, f"the phone showed the key after {shown:.1f} s"
    assert projector.locator("[data-testid=stException]").count() == 0
    assert phone.locator("[data-testid=stException]").count() == 0
    screenshot(projector, "live-projector-revealed")
    screenshot(phone, "live-phone-revealed")
    print(f"\nphone saw the question after {seen:.2f} s; projector counted after {counted:.2f} s; "
          f"phone saw the key after {shown:.2f} s")
    projector.context.close()
    phone.context.close()
