"""Copy as code / Download notebook: the page's experiment as standalone PyTorch, for its current settings."""

from __future__ import annotations

import json
import re

import streamlit as st

from explainer.views.lab.runs import memo


def _script(kind: str, variants_json: str, name: str) -> str:
    """The variants as a standalone script; kept per server (runs.memo) like the chart specs."""
    from explainer.lab.export import script

    return memo(lambda: script(kind, _variants(variants_json), title=name), ("export", kind, variants_json, name))


def _notebook(kind: str, variants_json: str, name: str) -> str:
    """The variants as a notebook (JSON text): built when the learner presses Download, not on every page draw."""
    import nbformat

    from explainer.lab.export import notebook

    return nbformat.writes(notebook(kind, _variants(variants_json), title=name))


def _variants(variants_json: str) -> list[tuple[str, dict]]:
    return [(label, cfg) for label, cfg in json.loads(variants_json)]


def file_stem(name: str) -> str:
    """'Activations & init' -> 'gradient_lab_activations_init'."""
    slug = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
    return f"gradient_lab_{slug or 'experiment'}"


def export_panel(kind: str, variants: list[tuple[str, dict]], name: str) -> None:
    """An expander with the experiment as a script (st.code has a copy button) and a notebook download button.

    kind: a lab kind explainer.lab.export can write (KINDS); variants: the page's (label, config dict) list;
    name: the page title.
    """
    variants_json = json.dumps(variants, sort_keys=True)
    code = _script(kind, variants_json, name)
    stem = file_stem(name)
    left, right = st.columns([3, 1], vertical_alignment="top")
    with left.expander("Copy as code", icon=":material/code:"):
        st.caption("Plain PyTorch, no Gradient Lab needed: the same init, data and seeds as this page, so it prints "
                   "the same numbers (it runs one seed at a time, so it is slower). Use the copy button at the "
                   "top right of the code.")
        st.code(code, language="python", line_numbers=False)
    right.download_button("Download notebook", data=lambda: _notebook(kind, variants_json, name),
                          file_name=f"{stem}.ipynb", mime="application/x-ipynb+json", key=f"export_notebook_{stem}",
                          icon=":material/download:", on_click="ignore")
