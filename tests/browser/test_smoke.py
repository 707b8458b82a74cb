"""Chromium visits every page's URL: the script finishes and no exception box is shown."""

import pytest

from explainer.core.sitemap import PAGES
from tests.browser.conftest import open_page, screenshot

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("spec", PAGES, ids=lambda p: p.url_path)
def test_page_loads_in_chromium(page, app_url, spec):
    """The page's own URL renders (the default page at "/") with no stException."""
    open_page(page, app_url, "" if spec.default else spec.url_path)
    assert page.locator("[data-testid=stException]").count() == 0
    assert page.locator("[data-testid=stMain]").inner_text().strip()
    screenshot(page, f"smoke-{spec.url_path}")
