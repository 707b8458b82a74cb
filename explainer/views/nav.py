"""The session's `st.Page`s: the router's navigation and the target of every page link.

Building an `st.Page` resolves and stats its script, and so does `st.page_link` given a script path: a few
syscalls each, every one of which lets go of the GIL, and under load every one then waits for it again. So a
session builds its pages once (its runs never overlap, so no two runs share one) and links pass the page itself.
"""

from __future__ import annotations

import streamlit as st

from explainer.core.sitemap import BY_PATH, PAGES, SECTIONS

KEY = "_navigation"


def _pages() -> dict[str, st.Page]:
    if KEY not in st.session_state:
        st.session_state[KEY] = {
            p.url_path: st.Page(p.script, title=p.title, icon=p.icon, url_path=p.url_path, default=p.default)
            for p in PAGES
        }
    return st.session_state[KEY]


def navigation() -> dict[str, list[st.Page]]:
    """The sidebar: this session's pages by section, in the sitemap's order."""
    pages = _pages()
    return {section: [pages[p.url_path] for p in PAGES if p.section == section] for section in SECTIONS}


def link_to(url_path: str) -> st.Page | str:
    """Target for st.page_link: this session's page, or its script path when the router has not
    run in this session (a view rendered on its own, e.g. in a test)."""
    pages = st.session_state.get(KEY)
    return pages[url_path] if pages else BY_PATH[url_path].script
