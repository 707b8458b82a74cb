"""Chromium renders every Learn page at desktop and phone width: math typesets, charts draw, nothing breaks."""

import pytest

from explainer.core.sitemap import PAGES
from explainer.learn import parser as cl
from explainer.views.learn.page import content_name
from tests.browser.conftest import open_page, screenshot

pytestmark = pytest.mark.browser

LEARN = [p for p in PAGES if p.section == "Learn"]
# Elements sticking out of the main column (display math, tables) or cut off (page-link labels), with 2 px slack.
OVERFLOWING = """() => {
  const right = document.querySelector('[data-testid=stMainBlockContainer]').getBoundingClientRect().right;
  const out = [];
  document.querySelectorAll('.katex-display .katex-html, [data-testid=stMarkdownContainer] table').forEach(el => {
    if (el.getBoundingClientRect().right > right + 2) out.push(el.textContent.slice(0, 50));
  });
  document.querySelectorAll('[data-testid=stPageLink] p').forEach(el => {
    if (el.scrollWidth > el.clientWidth + 2) out.push('cut label: ' + el.textContent);
  });
  return out;
}"""
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def _has_math(doc: cl.Doc) -> bool:
    texts = [b.text for b in doc.blocks if isinstance(b, cl.Markdown | cl.Callout)]
    return bool(doc.of(cl.Latex)) or any("$" in t for t in texts)


@pytest.fixture(params=list(VIEWPORTS), ids=list(VIEWPORTS))
def sized_page(request, page):
    page.set_viewport_size(VIEWPORTS[request.param])
    page.viewport_name = request.param
    return page


@pytest.mark.parametrize("spec", LEARN, ids=lambda p: p.url_path)
def test_learn_page_renders_cleanly(sized_page, app_url, spec):
    """No exception box or KaTeX error; math typesets, figures draw, nothing is wider than the column or cut off."""
    pg = sized_page
    doc = cl.load(content_name(spec.url_path))
    open_page(pg, app_url, "" if spec.default else spec.url_path)
    figures = len(doc.of(cl.Figure))
    if figures:
        drawn = "[data-testid=stVegaLiteChart] canvas, [data-testid=stVegaLiteChart] svg.marks"
        pg.wait_for_function(f"document.querySelectorAll('{drawn}').length >= {figures}", timeout=30_000)
    assert pg.locator("[data-testid=stException]").count() == 0
    assert pg.locator(".katex-error").count() == 0, pg.locator(".katex-error").first.inner_text()
    if _has_math(doc):
        assert pg.locator(".katex").count() > 0
    assert pg.locator("h1").first.inner_text().strip() == doc.title
    overflow = pg.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"page is {overflow}px wider than the viewport"
    assert pg.evaluate(OVERFLOWING) == []
    assert pg.js_errors == []
    tall_screenshot(pg, f"learn-{spec.url_path}-{pg.viewport_name}")


def tall_screenshot(pg, name: str) -> None:
    """Streamlit scrolls inside stMain, so grow the viewport to the content's height to capture all of it."""
    height = pg.evaluate("document.querySelector('[data-testid=stMain]').scrollHeight")
    pg.set_viewport_size({"width": pg.viewport_size["width"], "height": min(int(height) + 40, 16_000)})
    pg.wait_for_timeout(500)
    screenshot(pg, name)
