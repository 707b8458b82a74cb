"""AppTest: every Learn page renders its content: title, headings, equations, code, figures and links."""

import pytest

from explainer.core.sitemap import BY_PATH, PAGES
from explainer.learn import parser as cl
from explainer.views.learn.page import LEARN_ORDER, content_name
from tests.conftest import app_test

LEARN = [p for p in PAGES if p.section == "Learn"]


@pytest.mark.parametrize("spec", LEARN, ids=lambda p: p.url_path)
def test_learn_page_renders_its_content(spec):
    """Headings, st.latex equations, code blocks, charts and page links all match the content file."""
    doc = cl.load(content_name(spec.url_path))
    at = app_test(spec.script)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error and not at.warning, "content rendered a broken-link/figure/slot notice"
    assert [t.value for t in at.title] == [doc.title]
    rendered = [h.value for h in at.header] + [h.value for h in at.subheader]
    assert sorted(rendered) == sorted(h.text for h in doc.of(cl.Heading))
    assert [x.value.strip("$").strip() for x in at.latex] == [x.body for x in doc.of(cl.Latex)]
    assert len(at.code) == len(doc.of(cl.Code))
    assert len(at.get("vega_lite_chart")) == len(doc.of(cl.Figure))
    i = LEARN_ORDER.index(spec.url_path)
    nav_links = (i > 0) + (i + 1 < len(LEARN_ORDER))
    assert len(at.get("page_link")) == len(doc.of(cl.Link)) + nav_links


@pytest.mark.parametrize("spec", LEARN, ids=lambda p: p.url_path)
def test_learn_page_has_math_and_links(spec):
    """Theory pages show equations (st.latex or $-math in markdown); inline markdown links reach the page too."""
    doc = cl.load(content_name(spec.url_path))
    at = app_test(spec.script)
    markdown = " ".join([m.value for m in at.markdown] + [c.value for c in [*at.info, *at.success]])
    if spec.url_path != "home":
        assert at.latex or "$" in markdown, f"{spec.url_path} shows no equation"
    assert at.get("page_link")
    for label, target in doc.markdown_links:
        assert f"[{label}]({target})" in markdown


def test_long_pages_get_a_table_of_contents():
    """A page with five or more sections opens with an 'On this page' expander of anchor links."""
    at = app_test(BY_PATH["vanishing"].script)
    assert at.expander[0].label == "On this page"
    toc = at.expander[0].markdown[0].value
    assert "[Definition](#definition)" in toc


def test_page_links_carry_their_query_parameters():
    """A `::link lab-...?k=v` becomes a page_link whose query_params reproduce the experiment."""
    at = app_test(BY_PATH["vanishing"].script)
    links = {pl.proto.page: pl.proto for pl in at.get("page_link")}
    quiz = next(p for page, p in links.items() if page.endswith("quiz"))
    assert "topic=vanishing" in str(quiz)


def test_home_calls_the_class_presets_seam(monkeypatch):
    """Home calls explainer.views.progress.tracking.render_class_presets (the instructor-pins seam) exactly once."""
    from explainer.views.progress import tracking

    calls = []
    monkeypatch.setattr(tracking, "render_class_presets", lambda: calls.append(1))
    at = app_test()  # the default page is Home
    assert not at.exception
    assert [t.value for t in at.title] == ["Gradient Lab"]
    assert calls == [1]


def test_unreadable_content_shows_a_message_not_a_traceback(monkeypatch):
    """A malformed content file yields a clear st.error naming the problem, never an exception box."""
    def broken(name):
        raise cl.ContentError(f"{name}.md:3: code block opened here is never closed with '```'")

    monkeypatch.setattr(cl, "load", broken)
    at = app_test(BY_PATH["overview"].script)
    assert not at.exception
    assert "never closed" in at.error[0].value
