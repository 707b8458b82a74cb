"""Browser fixtures: the real app on a free port, Debian's Chromium driven by Playwright.

Never skipped: if Chromium is missing the fixture fails with a one-line hint.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from bench.server import running_app
from tests.conftest import ROOT

__all__ = ["open_page", "wait_idle", "screenshot", "pick_option"]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]
SHOTS = ROOT / "tests" / "screenshots"


def pytest_collection_modifyitems(items):
    """A browser test that fails inside the driver (a timeout, a click that landed during a re-layout) runs
    once more, as Playwright's own runner does on CI; an AssertionError about what the page shows is never
    retried. Reruns are listed in the summary ("R"), so a test that needed one is visible, not hidden."""
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.flaky(reruns=1, rerun_except=["^AssertionError"]))


@pytest.fixture(scope="session")
def app_url(tmp_path_factory):
    """Base URL of one app server shared by the browser tests; stopped even if tests fail."""
    with running_app(tmp_path_factory.mktemp("app")) as (_, base):
        yield base


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `apt-get install -y chromium` (make test does it as root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser):
    """A fresh browser context (own cookies/storage) at desktop size."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.js_errors = errors
    try:
        yield pg
    finally:
        ctx.close()


def open_page(pg, base: str, url_path: str = "", query: str = "", timeout: float = 60_000):
    """Navigate and wait until Streamlit's script run has finished."""
    url = f"{base}/{url_path}" + (f"?{query}" if query else "")
    pg.goto(url, wait_until="domcontentloaded")
    wait_idle(pg, timeout)


def wait_idle(pg, timeout: float = 60_000):
    pg.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=timeout)
    pg.wait_for_timeout(300)
    pg.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=timeout)


def pick_option(pg, combobox, name: str, typed: str = "", exact: bool = True, tries: int = 3) -> None:
    """Open a selectbox/multiselect and click its option `name`.

    A click that lands while the page re-lays out (an expander opening, a chart resizing) can leave the
    dropdown closed; the option is then absent, so the open is retried instead of waiting 30 s for nothing.
    `typed` filters the list first (long or virtualised lists)."""
    option = pg.get_by_role("option", name=name, exact=exact)
    for attempt in range(tries):
        combobox.click()
        if typed:
            pg.keyboard.type(typed)
        try:
            option.wait_for(state="visible", timeout=5_000)
        except PlaywrightTimeout:
            if attempt == tries - 1:
                raise
            pg.keyboard.press("Escape")
            pg.wait_for_timeout(500)
            continue
        option.click()
        return


def screenshot(pg, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    pg.screenshot(path=str(path), full_page=True)
    return path
