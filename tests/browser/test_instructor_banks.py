"""Chromium: the instructor uploads question banks; a bad one is refused with located errors, a good one
is stored in the database and served to learners' quizzes at once."""

from __future__ import annotations

import re

import pytest

from bench.server import running_app
from tests.browser.conftest import open_page, screenshot, wait_idle

pytestmark = pytest.mark.browser
SECRET = "bank-upload-secret-0123456789"
BANK = """\
title: Week 1 (uploaded)
questions:
  - id: wk1-uploaded-sigmoid-max
    type: true_false
    topic: interview
    difficulty: easy
    prompt: The sigmoid's derivative is at most 0.25.
    answer: true
    explanation: sigma'(x) = sigma(x)(1 - sigma(x)) peaks at x = 0 with value 1/4.
    learn: [vanishing]
"""


@pytest.fixture(scope="module")
def bank_app(tmp_path_factory):
    with running_app(tmp_path_factory.mktemp("bank-app"), env={"GRADIENT_LAB_INSTRUCTOR_SECRET": SECRET}) as (_, base):
        yield base


def bank_size(pg, base: str) -> int:
    open_page(pg, base, "quiz")
    caption = pg.get_by_text(re.compile(r"\d+ questions in the bank")).inner_text()
    return int(caption.split()[0])


def upload(pg, path) -> None:
    pg.locator("[data-testid=stFileUploaderDropzoneInput]").first.set_input_files(str(path))  # the banks tab's
    wait_idle(pg)


def test_upload_refuses_errors_and_serves_a_valid_bank(page, bank_app, tmp_path):
    """A bank with a bad field shows the loader's line (file:line, id, field) and is not saved; the fixed
    bank is saved and the quiz page serves one more question immediately."""
    before = bank_size(page, bank_app)
    open_page(page, bank_app, "instructor")
    page.get_by_label("Instructor secret").fill(SECRET)
    page.get_by_role("button", name="Open the dashboard", exact=True).click()
    wait_idle(page)
    page.get_by_role("tab", name="Question banks", exact=True).click()
    bad = tmp_path / "Week 1.yaml"
    bad.write_text(BANK.replace("difficulty: easy", "difficulty: trivial"))
    upload(page, bad)
    errors = page.locator("[data-testid=stCode]").last.inner_text()
    assert "uploaded:week-1:6" in errors and "wk1-uploaded-sigmoid-max" in errors and "difficulty" in errors
    assert page.get_by_role("button", name="Save bank 'week-1'", exact=True).count() == 0
    screenshot(page, "instructor-bank-errors")
    good = tmp_path / "week 1.yml"
    good.write_text(BANK)
    upload(page, good)
    page.get_by_role("button", name="Save bank 'week-1'", exact=True).click()
    wait_idle(page)
    page.get_by_text("Saved.").wait_for()
    screenshot(page, "instructor-bank-saved")
    assert bank_size(page, bank_app) == before + 1
