"""Chromium on every lab page: charts draw on canvas, controls change the data, URLs reproduce settings, bad URLs."""

from __future__ import annotations

import re

import pytest

from explainer.lab.specs import LABS
from tests.browser.conftest import open_page, pick_option, screenshot, wait_idle

pytestmark = pytest.mark.browser

PAGES = sorted(LABS)
CANVAS = "[data-testid=stVegaLiteChart] canvas"
# Per page, a control whose change alters the charted data (not only the highlighted series), and a new value.
DATA_CONTROL = {
    "lab-activations": ("init", "he_normal"), "lab-init": ("activation", "relu"),
    "lab-normalization": ("activation", "tanh"), "lab-recurrent": ("init", "orthogonal"),
    "lab-clipping": ("lr", "0.05"), "lab-weight-decay": ("weight_decay", "0.1"), "lab-compare": ("activation", "tanh"),
    "lab-phase": ("activation", "relu"), "lab-transformer": ("norm_type", "rms"), "lab-precision": ("optimizer", "sgd"),
    "lab-digits": ("lr", "0.05"),
}
PHONE = {"width": 390, "height": 844}
# every chart element holds a drawn Vega view: a canvas (the lab charts) or Vega's SVG root (a few small figures)
ALL_DRAWN = ("[...document.querySelectorAll('[data-testid=stVegaLiteChart]')]"
             ".every(c => c.querySelector('canvas, svg.marks'))")
SENTENCE_STARTS = ("From ", "Median ", "no clipping", "λ = ", "In the ", "At ", "Post-LN", "Layer ", "float",
                   "baseline", "Held-out")


def wait_for_charts(pg, n: int = 1) -> None:
    pg.wait_for_function(f"document.querySelectorAll('{CANVAS}').length >= {n}", timeout=60_000)


def summaries(pg) -> list[str]:
    """The one-sentence summaries under the charts (they are computed from the charted data)."""
    return [t for t in pg.locator("[data-testid=stMain] [data-testid=stCaptionContainer]").all_inner_texts()
            if t.startswith(SENTENCE_STARTS)]


def control(pg, key: str):
    """The keyed control's container, opening the "More settings" expander if the control sits in it."""
    box = pg.locator(f".st-key-{key}")
    if not box.is_visible():
        pg.locator("[data-testid=stExpander] summary", has_text="More settings").click()
        box.wait_for(state="visible")
    return box


def shown(pg, key: str) -> str:
    """What a control displays: a slider's thumb value, or a selectbox's / number input's text."""
    box = control(pg, key)
    thumb = box.locator("[data-testid=stSliderThumbValue]")
    return thumb.inner_text() if thumb.count() else box.locator("input").first.input_value()


def notices(pg) -> list[str]:
    return pg.locator(".st-key-url_notices [data-testid=stAlert]").all_inner_texts()


def choose(pg, key: str, value: str) -> None:
    """Set a keyed control in the browser: pick a selectbox option or type into a number input."""
    box = control(pg, key)
    if box.locator("input[type=number]").count():
        field = box.locator("input[type=number]")
        field.fill(value)
        field.press("Enter")
    else:
        pick_option(pg, box.locator("[data-testid=stSelectbox]"), value)
    wait_idle(pg)


def tall_screenshot(pg, name: str) -> None:
    """Streamlit scrolls inside stMain: grow the viewport to the content height to capture the whole page."""
    height = pg.evaluate("document.querySelector('[data-testid=stMain]').scrollHeight")
    pg.set_viewport_size({"width": 1280, "height": min(int(height) + 40, 8000)})
    pg.wait_for_timeout(700)
    screenshot(pg, name)


@pytest.mark.parametrize("url_path", PAGES)
def test_charts_draw_and_a_control_changes_the_data(page, app_url, url_path):
    """The charts draw on canvas; changing a control changes what the charts summarise, and the URL follows."""
    open_page(page, app_url, url_path)
    wait_for_charts(page)
    assert page.locator("[data-testid=stException]").count() == 0
    before = summaries(page)
    assert before, "no chart summary sentence"
    tall_screenshot(page, url_path)
    key, value = DATA_CONTROL[url_path]
    choose(page, key, value)
    wait_for_charts(page)
    assert summaries(page) != before
    assert page.locator("[data-testid=stException]").count() == 0
    assert f"{key}={value}" in page.url  # the URL now reproduces the experiment
    assert page.js_errors == []


@pytest.mark.parametrize("url_path", PAGES)
def test_charts_draw_on_a_phone(browser, app_url, url_path):
    """At 390 px every chart of the page draws on canvas, with no exception and no horizontal scrolling."""
    ctx = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    try:
        open_page(pg, app_url, url_path)
        # an uncached training lab (~2 s of CPU) may still be running its first pass: wait for its charts
        pg.wait_for_selector("[data-testid=stVegaLiteChart]", timeout=90_000)
        pg.wait_for_function(ALL_DRAWN, timeout=60_000)
        assert pg.locator("[data-testid=stException]").count() == 0
        assert pg.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert errors == []
    finally:
        ctx.close()


@pytest.mark.parametrize("url_path", PAGES)
def test_url_reproduces_the_controls(page, app_url, url_path):
    """Opening a URL with parameters shows exactly those settings in the controls."""
    key, value = DATA_CONTROL[url_path]
    int_key = next(k for k in LABS[url_path].keys if LABS[url_path].specs[k].kind == "int")
    int_value = int(LABS[url_path].specs[int_key].lo) + 3
    open_page(page, app_url, url_path, f"{key}={value}&{int_key}={int_value}")
    wait_for_charts(page)
    assert shown(page, key) == value
    assert shown(page, int_key) == str(int_value)
    assert notices(page) == []


@pytest.mark.parametrize("url_path", PAGES)
def test_out_of_range_url_shows_a_notice_and_still_renders(page, app_url, url_path):
    """An out-of-range number and an unknown choice in the URL: a visible notice, clamped value, charts drawn."""
    preset = LABS[url_path]
    int_key = next(k for k in preset.keys if preset.specs[k].kind == "int")
    choice_key = next(k for k in preset.keys if preset.specs[k].kind == "choice")
    open_page(page, app_url, url_path, f"{int_key}=100000&{choice_key}=bogus")
    wait_for_charts(page)
    [notice] = notices(page)
    assert f"{int_key}=100000" in notice and f"{choice_key}=bogus" in notice
    assert shown(page, int_key) == str(int(preset.specs[int_key].hi))
    assert shown(page, choice_key) == preset.defaults[choice_key]
    assert page.locator("[data-testid=stException]").count() == 0
    tall_screenshot(page, f"{url_path}-bad-url")


def test_apply_remedy_in_the_browser_updates_controls_chart_and_url(page, app_url):
    """Clicking "Apply & re-run" on Activations switches to ReLU + He, re-draws, and writes it into the URL."""
    open_page(page, app_url, "lab-activations")
    wait_for_charts(page)
    before = summaries(page)
    page.get_by_role("button", name="Apply & re-run", exact=True).click()
    wait_idle(page)
    wait_for_charts(page)
    assert shown(page, "activation") == "relu" and shown(page, "init") == "he_normal"
    assert summaries(page) != before
    assert re.search(r"activation=relu", page.url) and re.search(r"init=he_normal", page.url)
    assert "healthy" in page.locator(".st-key-diagnosis").inner_text()


def test_clicking_a_phase_diagram_cell_makes_it_yours(page, app_url):
    """On the phase diagram, a click on a cell sets σ_w and σ_b (controls and URL) and the diagnosis follows it."""
    open_page(page, app_url, "lab-phase")
    wait_for_charts(page, 2)
    heatmap = page.locator(CANVAS).first
    heatmap.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    box = heatmap.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.55, box["y"] + box["height"] * 0.3)  # right of the line: chaotic
    page.wait_for_function("location.search.includes('sigma_w=')", timeout=30_000)
    wait_idle(page)
    assert float(shown(page, "sigma_w")) > 2 and "sigma_b=" in page.url
    assert "exploding" in page.locator(".st-key-diagnosis").inner_text()
    assert page.locator("[data-testid=stException]").count() == 0
