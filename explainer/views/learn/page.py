"""Learn pages: load explainer/learn/content/<page>.md, render it, and add previous/next reading links."""

from __future__ import annotations

import streamlit as st

from explainer.core.sitemap import PAGES
from explainer.learn import parser as cl
from explainer.views.learn.markdown import render_doc
from explainer.views.nav import link_to

LEARN_ORDER: tuple[str, ...] = tuple(p.url_path for p in PAGES if p.section == "Learn")


def _class_presets() -> None:
    """The Home page's pinned class presets. Imported here, on use: the store (SQLAlchemy) is not part of
    the other Learn pages' cold start."""
    from explainer.views.progress import tracking

    tracking.render_class_presets()


SLOTS = {"class_presets": _class_presets}


def content_name(url_path: str) -> str:
    """Content file stem for a Learn page: url paths use '-', file names '_'."""
    return url_path.replace("-", "_")


def render_prev_next(url_path: str) -> None:
    """Reading order = the sidebar order of the Learn section."""
    i = LEARN_ORDER.index(url_path)
    prev_path = LEARN_ORDER[i - 1] if i > 0 else None
    next_path = LEARN_ORDER[i + 1] if i + 1 < len(LEARN_ORDER) else None
    st.divider()
    left, right = st.columns(2)
    if prev_path:
        left.page_link(link_to(prev_path), label=f"Previous: {_title(prev_path)}", icon=":material/arrow_back:")
    if next_path:
        right.page_link(link_to(next_path), label=f"Next: {_title(next_path)}", icon=":material/arrow_forward:")


def _title(url_path: str) -> str:
    return next(p.title for p in PAGES if p.url_path == url_path)


def render(url_path: str) -> None:
    """One Learn page; a malformed content file shows a clear message instead of a traceback."""
    try:
        doc = cl.load(content_name(url_path))
    except (cl.ContentError, OSError) as err:
        st.title(_title(url_path))
        st.error(f"This page's content could not be read: {err}", icon=":material/error:")
        return
    render_doc(doc, SLOTS)
    render_prev_next(url_path)
