"""The README's screenshots, taken by Chromium from the real app (written to docs/ only when asked)."""

from __future__ import annotations

import os
import shutil

import pytest

from tests.browser.conftest import open_page, screenshot
from tests.conftest import ROOT

pytestmark = pytest.mark.browser
UPDATE = os.environ.get("GRADIENT_LAB_UPDATE_DOCS") == "1"  # `make docs-screenshots` sets it


@pytest.mark.parametrize("url_path, name", [("", "home"), ("lab-activations", "lab-activations")])
def test_readme_screenshot(page, app_url, url_path, name):
    """The page renders with its main content (and, for a lab, a drawn chart); with GRADIENT_LAB_UPDATE_DOCS=1
    the viewport screenshot replaces docs/screenshot-<name>.png."""
    open_page(page, app_url, url_path)
    if url_path.startswith("lab-"):
        page.locator("[data-testid=stVegaLiteChart] canvas, [data-testid=stVegaLiteChart] svg.marks").first.wait_for()
    assert page.locator("[data-testid=stException]").count() == 0
    shot = screenshot(page, f"docs-{name}")
    page.screenshot(path=str(shot), full_page=False)
    if UPDATE:
        shutil.copy(shot, ROOT / "docs" / f"screenshot-{name}.png")
