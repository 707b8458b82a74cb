"""Chromium: a wrong-but-wordy free answer gets low credit with its contradiction named, and the learner's own
rating, shown beside the automatic suggestion, is stored next to the automatic score.
Screenshot: practice-claims-contradiction.png."""

from __future__ import annotations

import sqlite3

import pytest

from bench.server import running_app
from questions import assemble, grade, load_banks
from questions.calibrate import load_corpus
from questions.loader import BUILTIN_DIR
from tests.browser.conftest import open_page, screenshot, wait_idle

pytestmark = pytest.mark.browser
SEED = 11


@pytest.fixture(scope="module")
def claims_app(tmp_path_factory):
    """A server of its own, so the test can read its SQLite file."""
    tmp = tmp_path_factory.mktemp("claims-app")
    with running_app(tmp) as (_, base):
        yield base, tmp / "app.sqlite3"


def served_question():
    """The question the mock interview serves for 1 question, every topic, seed SEED."""
    pool = [q for q in load_banks([BUILTIN_DIR]).questions if q.type == "free_response"]
    return assemble(pool, count=1, seed=SEED)[0]


def test_wordy_wrong_answer_is_graded_low_and_the_self_rating_is_stored(page, claims_app):
    """Type a fluent answer that states a misconception: low score, the misconception named on the page; rate
    it Hard: the attempt row holds the automatic score and self_rating 2."""
    base, db = claims_app
    q = served_question()
    wrong = next(a.text for a in load_corpus()[q.id].bad if grade(q, a.text).contradictions)
    expected = grade(q, wrong)
    page.set_default_timeout(90_000)  # shared 2-core machine
    open_page(page, base, "mock-interview")
    page.get_by_label("Questions").fill("1")
    page.get_by_label("Seed").fill(str(SEED))
    page.get_by_role("button", name="Start interview", exact=True).click()
    page.get_by_text("Type your answer").wait_for()
    wait_idle(page)
    page.locator("[data-testid=stForm] textarea").fill(wrong)
    page.get_by_role("button", name="Submit answer", exact=True).click()
    page.get_by_text("Contradictions", exact=True).wait_for()
    wait_idle(page)
    main = page.locator("[data-testid=stMain]").inner_text()
    assert expected.score < 0.5 and "contradiction" in main
    assert all(c.misconception in main for c in expected.contradictions)
    assert "Suggested by the automatic grade" in main
    screenshot(page, "practice-claims-contradiction")
    page.locator("[data-testid=stForm] [data-testid=stButtonGroup] button", has_text="Hard").click()
    page.get_by_role("button", name="Finish", exact=True).click()
    page.get_by_text("Interview report", exact=True).wait_for()
    wait_idle(page)
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT score, self_rating FROM gl_attempts WHERE question_id = ?", (q.id,)).fetchall()
    assert rows == [(pytest.approx(expected.score), 2)]
    assert page.locator("[data-testid=stException]").count() == 0
