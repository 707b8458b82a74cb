"""The skeleton every lab page shares, driven by its LabSpec: title, URL check, controls, share link, config check,
predict-first, the engine runs, the page's own charts, code export and the "what you are seeing" note.

A lab view only supplies `body(run)`: the charts and diagnosis that differ between pages.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from explainer.core.sitemap import BY_PATH
from explainer.core.urls import ParamSpec, lab_url
from explainer.lab.export import KINDS as EXPORTABLE
from explainer.lab.specs import LabSpec, Variants
from explainer.views.lab import predict, progressive, urlstate
from explainer.views.lab.controls import controls
from explainer.views.lab.export_panel import export_panel
from explainer.views.lab.runs import validate
from explainer.views.nav import link_to

PREDICT = ParamSpec("predict", "bool")  # lab-specific URL key on every lab page: predict-first mode


@dataclass(frozen=True)
class LabRun:
    """One rendering of a lab page: the learner's settings, the variants run, and their results."""

    spec: LabSpec
    values: dict
    variants: Variants
    key: str  # stable text of the settings: cache keys and predict-first
    df: pd.DataFrame  # every variant's engine frame, with a `series` column (the variant's label)

    @property
    def focus(self) -> str:
        """Legend label of the learner's own variant."""
        return self.spec.focus(self.values)


def config_key(values: dict) -> str:
    """A stable text key for a page's settings (cache keys, predict-first)."""
    return json.dumps(values, sort_keys=True, default=str)


def start(spec: LabSpec):
    """Title, intro, URL check and controls; returns (values, results column)."""
    st.title(spec.title)
    st.markdown(spec.intro)
    notice_box = st.container(key="url_notices")
    notices = urlstate.prepare(spec.url_path, spec.specs | {"predict": PREDICT})
    left, right = st.columns([1, 3], gap="medium")
    with left, st.container(border=True, key="lab_controls"):
        values = controls(spec.specs, spec.defaults, spec.main)
        urlstate.remember(spec.url_path, values)
        link = lab_url(spec.url_path, values, spec.defaults)
        st.markdown(f"Link to this experiment: [{link}]({link})")
    urlstate.show(notice_box, notices, spec.defaults)
    return values, right


def check_configs(kind: str, variants: Variants) -> bool:
    """Show the engine's own message (it names the field and range) for any variant it refuses; True if all ok."""
    for label, cfg in variants:
        problem = validate(kind, cfg)
        if problem:
            st.error(f"These settings cannot run ({label}): {problem}", icon=":material/block:")
            return False
    return True


def render_lab(spec: LabSpec, body: Callable[[LabRun], None], always: Callable[[], None] | None = None) -> None:
    """Draw a whole lab page; `always` draws a panel that needs no results (shown even before a prediction)."""
    values, main = start(spec)
    variants = spec.variants(values)
    key = config_key(values)
    with main:
        if not check_configs(spec.kind, variants) or predict.gate(spec.url_path, key, spec.question, spec.choices):
            if always:
                always()
            return
        if (df := progressive.results(spec.kind, variants, spec.focus(values))) is not None:
            body(LabRun(spec, values, variants, key, df))  # else a progress panel stands in, rerunning when done
        if always:
            always()
        if spec.kind in EXPORTABLE:  # Copy as code exists for the mlp, rnn and train kinds so far
            export_panel(spec.kind, variants, spec.title)
        seeing_note(spec.seeing, spec.learn)


def seeing_note(text: str, learn: str) -> None:
    """The "what you are seeing" note, linking back to the Learn page of the remedy."""
    with st.container(border=True, key="seeing_note"):
        st.markdown(f"**What you are seeing.** {text}")
        st.page_link(link_to(learn), label=f"Learn: {BY_PATH[learn].title}", icon=":material/menu_book:")
