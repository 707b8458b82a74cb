"""A learner copies a lab's experiment as code in Chromium and gets runnable, self-contained PyTorch."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from tests.browser.conftest import open_page, wait_idle

pytestmark = pytest.mark.browser


def test_copy_as_code_puts_the_pages_experiment_on_the_clipboard(browser, app_url):
    """Open Copy as code on the Activations lab (depth 12 from the URL), press the copy button, read the clipboard:
    it is valid Python that imports torch but not this project, and builds the page's settings (depth 12); the
    notebook download (built on the click) holds the same settings."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=app_url)
    pg = ctx.new_page()
    try:
        open_page(pg, app_url, "lab-activations", "depth=12")
        pg.get_by_text("Copy as code", exact=True).click()
        wait_idle(pg)
        block = pg.locator("[data-testid=stExpanderDetails] [data-testid=stCode]").first
        block.hover()
        block.locator("button").first.click()
        pg.wait_for_timeout(300)
        code = pg.evaluate("() => navigator.clipboard.readText()")
        tree = ast.parse(code)  # valid Python
        imported = {n.names[0].name.split(".")[0] if isinstance(n, ast.Import) else n.module.split(".")[0]
                    for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)}
        assert "torch" in imported and "explainer" not in imported
        assert "depth=12" in code and "loss.backward()" in code
        with pg.expect_download() as download:  # the notebook is built only now, on the click
            pg.get_by_role("button", name="Download notebook", exact=True).click()
        assert download.value.suggested_filename == "gradient_lab_activations.ipynb"
        notebook = json.loads(Path(download.value.path()).read_text())
        assert notebook["nbformat"] == 4 and any("depth=12" in "".join(cell["source"]) for cell in notebook["cells"])
    finally:
        ctx.close()
