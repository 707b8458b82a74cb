"""The skeleton every lab page shares: title, URL check, controls, share link, config check, notes."""

from __future__ import annotations

import json

import streamlit as st

from explainer.core.sitemap import BY_PATH, page_link
from explainer.lab.params import ParamSpec, query_string
from explainer.lab.presets import PRESETS
from explainer.views.lab import urlstate
from explainer.views.lab.controls import controls
from explainer.views.lab.runs import validate

PREDICT = ParamSpec("predict", "bool")  # lab-specific URL key on every lab page: predict-first mode


def start(url_path: str, intro: str):
    """Title, intro, URL check and controls; returns (values, results column)."""
    preset = PRESETS[url_path]
    st.title(BY_PATH[url_path].title)
    st.markdown(intro)
    notice_box = st.container(key="url_notices")
    notices = urlstate.prepare(preset.specs | {"predict": PREDICT})
    left, right = st.columns([1, 3], gap="medium")
    with left, st.container(border=True, key="lab_controls"):
        values = controls(preset.specs, preset.defaults, preset.main)
        link = f"/{url_path}" + (f"?{q}" if (q := query_string(values, preset.defaults)) else "")
        st.caption(f"Link to this experiment: [{link}]({link})")
    urlstate.show(notice_box, notices, preset.defaults)
    return values, right


def config_key(values: dict) -> str:
    """A stable text key for a page's settings (cache keys, predict-first)."""
    return json.dumps(values, sort_keys=True, default=str)


def check_configs(kind: str, variants: list[tuple[str, dict]]) -> bool:
    """Show the engine's own message (it names the field and range) for any variant it refuses; True if all ok."""
    for label, cfg in variants:
        problem = validate(kind, cfg)
        if problem:
            st.error(f"These settings cannot run ({label}): {problem}", icon=":material/block:")
            return False
    return True


def seeing_note(text: str, learn: str) -> None:
    """The "what you are seeing" note, linking back to the Learn page of the remedy."""
    with st.container(border=True, key="seeing_note"):
        st.markdown(f"**What you are seeing.** {text}")
        st.page_link(page_link(learn), label=f"Learn: {BY_PATH[learn].title}", icon=":material/menu_book:")
