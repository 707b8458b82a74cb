"""A page whose issue has not landed yet: says so, and where to go meanwhile."""

import streamlit as st

from explainer.sitemap import BY_PATH


def render(url_path: str) -> None:
    spec = BY_PATH[url_path]
    st.title(spec.title)
    st.info("This page is coming next. Meanwhile, start with the Learn section.", icon=":material/construction:")
    st.page_link(BY_PATH["home"].script, label="Back to Home", icon=":material/home:")
