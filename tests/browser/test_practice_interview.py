"""Chromium with a fake microphone: a mock-interview answer recorded with st.audio_input, played back, self-checked
against the claims, self-rated and reported. Screenshots: practice-interview-recorded*.png."""

from __future__ import annotations

import pytest

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, open_page, screenshot, wait_idle

pytestmark = pytest.mark.browser
FAKE_MIC = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"]


@pytest.fixture
def mic_page(browser):
    """A page in a second Chromium whose microphone is Chromium's fake device (a beeping test signal).

    Launched through the session's Playwright (a second sync_playwright() in the same thread is refused)."""
    mic_browser = browser.browser_type.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS + FAKE_MIC)
    ctx = mic_browser.new_context(viewport={"width": 1280, "height": 900}, permissions=["microphone"])
    ctx.set_default_timeout(90_000)  # shared 2-core machine
    try:
        yield ctx.new_page()
    finally:
        mic_browser.close()


def test_recorded_answer_plays_back_and_is_self_checked(mic_page, app_url):
    """Record ~1.5 s, submit: the recording plays back, the claims become a checklist, and the report
    counts the ticked claim as a self-check with the learner's own rating."""
    pg = mic_page
    open_page(pg, app_url, "mock-interview")
    pg.get_by_label("Questions").fill("1")
    pg.get_by_role("button", name="Start interview", exact=True).click()
    recorder = pg.locator("[data-testid=stAudioInput]")
    recorder.wait_for()
    wait_idle(pg)
    recorder.get_by_role("button", name="Record", exact=True).click()
    pg.wait_for_timeout(1500)
    recorder.get_by_role("button", name="Stop recording", exact=True).click()
    recorder.get_by_role("button", name="Play", exact=True).wait_for()
    pg.get_by_role("button", name="Submit answer", exact=True).click()
    pg.get_by_text("Listen back, then tick the claims your answer made").wait_for()
    wait_idle(pg)
    assert pg.locator("[data-testid=stAudio] audio, audio").count() >= 1, "no playback of the recording"
    screenshot(pg, "practice-interview-recorded")
    pg.locator("[data-testid=stForm] [data-testid=stCheckbox] label").first.click()
    pg.locator("[data-testid=stForm] [data-testid=stButtonGroup] button", has_text="Good").click()
    pg.get_by_role("button", name="Finish", exact=True).click()
    pg.get_by_text("Interview report", exact=True).wait_for()
    wait_idle(pg)
    report = pg.locator("[data-testid=stMain]").inner_text()
    assert "Automatic score" in report and "You agreed with the suggestion" in report
    assert pg.locator("[data-testid=stException]").count() == 0
    screenshot(pg, "practice-interview-report")
