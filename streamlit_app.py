"""Gradient Lab router: page config and navigation only; every page lives in explainer/pages/."""

import streamlit as st

from explainer.core.sitemap import PAGES, SECTIONS

st.set_page_config(page_title="Gradient Lab", page_icon=":material/ssid_chart:", layout="wide")

navigation = {
    section: [
        st.Page(p.script, title=p.title, icon=p.icon, url_path=p.url_path, default=p.default)
        for p in PAGES
        if p.section == section
    ]
    for section in SECTIONS
}
st.navigation(navigation).run()
