"""Every page the router registers renders under AppTest with no exception."""

import pytest

from explainer.core.sitemap import PAGES, SECTIONS
from tests.conftest import ROOT, app_test


def test_every_page_has_a_script_and_a_unique_url_path():
    """The router's page list is consistent: scripts exist, url paths are unique, one default."""
    assert len({p.url_path for p in PAGES}) == len(PAGES)
    assert sum(p.default for p in PAGES) == 1
    assert {p.section for p in PAGES} == set(SECTIONS)
    for p in PAGES:
        assert (ROOT / p.script).is_file(), p.script


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.url_path)
def test_page_renders_without_exception(page):
    """Switching to the page and running it raises nothing and shows a title."""
    at = app_test(page.script)
    assert not at.exception, [e.value for e in at.exception]
    assert at.title or at.header or at.markdown, f"{page.url_path} rendered nothing"


def test_the_router_shortens_the_interpreter_switch_interval():
    """The server hands the interpreter lock around every millisecond, so a lab result's hand-offs (worker pool,
    scheduler, waiting page) do not each wait CPython's default 5 ms behind busy scripts."""
    import sys

    import streamlit_app

    before = sys.getswitchinterval()
    try:
        sys.setswitchinterval(0.005)
        app_test()
        assert streamlit_app.SWITCH_INTERVAL_S < 0.005
        assert sys.getswitchinterval() == pytest.approx(streamlit_app.SWITCH_INTERVAL_S)
    finally:
        sys.setswitchinterval(before)
