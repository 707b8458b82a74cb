"""A page's variants labelled in one frame (blocking, with a spinner, or already computed), their theory overlays, and
chart artifacts, kept per server."""

from __future__ import annotations

import json
from collections.abc import Callable

import pandas as pd
import streamlit as st

from explainer.views.lab import runs, runs_onepass
from explainer.views.wire import altair_spec, arrow_ready

ENGINE = {"mlp": runs.gradient_profile, "rnn": runs.bptt_profile, "train": runs.train_run,
          "phase": runs_onepass.phase_diagram, "transformer": runs_onepass.transformer_train,
          "precision": runs_onepass.precision_train, "digits": runs_onepass.digits_train}
WHAT = {"mlp": "networks", "rnn": "recurrent nets", "train": "training runs", "phase": "grids of deep nets",
        "transformer": "sets of transformer runs", "precision": "sets of mixed-precision runs",
        "digits": "sets of digit classifiers"}  # for the spinner's text


def run_variants(kind: str, variants: list[tuple[str, dict]]) -> pd.DataFrame:
    """`labelled`, computing any run not yet cached while the page waits (the live presenter's lab steps), with a
    spinner if that takes over half a second (st.spinner's own delay)."""
    seeds = variants[0][1].get("seeds", variants[0][1].get("model", {}).get("seeds", 1))
    with st.spinner(f"Running {len(variants)} {WHAT[kind]} × {seeds} seeds…", show_time=True):
        return labelled(kind, variants)


def labelled(kind: str, variants: list[tuple[str, dict]]) -> pd.DataFrame:
    """One engine run per variant, concatenated with a `series` column (the variant's label) first; a one-pass runner
    that labels its own rows (runs_onepass: one series per placement, format or remedy) keeps its labels. Kept per
    server (runs.FRAMES): a config's result never changes."""
    return runs.FRAMES.get(lambda: _labelled(kind, variants), ("labelled", kind, _text(variants)))


def _labelled(kind: str, variants: list[tuple[str, dict]]) -> pd.DataFrame:
    frames = [(df if "series" in (df := ENGINE[kind](cfg)) else df.assign(series=label)) for label, cfg in variants]
    df = pd.concat(frames, ignore_index=True)
    return df[["series", *[c for c in df.columns if c != "series"]]]


def _text(variants: list[tuple[str, dict]]) -> str:
    return json.dumps(variants, sort_keys=True, default=str)


def theory_for(variants: list[tuple[str, dict]], quantity: str) -> pd.DataFrame:
    """Theory overlay (series, x, predicted) of one quantity for every MLP variant that has one (kept per server,
    as `labelled`)."""
    return runs.FRAMES.get(lambda: _theory_for(variants, quantity), ("theory", quantity, _text(variants)))


def _theory_for(variants: list[tuple[str, dict]], quantity: str) -> pd.DataFrame:
    frames = []
    for (label, _), theory in zip(variants, runs.theory_profiles([cfg for _, cfg in variants]), strict=True):
        if theory is None:
            continue
        rows = theory[theory["quantity"] == quantity]
        frames.append(pd.DataFrame({"series": label, "x": rows["layer"].to_numpy(),
                                    "predicted": rows["predicted"].to_numpy()}))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["series", "x", "predicted"])


def spec(build: Callable, key: str) -> dict:
    """Vega-Lite dict of a chart (a dict, or an Altair chart to serialise), cached under `key` with its data as
    Arrow bytes (explainer.views.wire)."""

    def make() -> dict:
        chart = build()
        return arrow_ready(chart) if isinstance(chart, dict) else altair_spec(chart)

    return runs.memo(make, f"spec:{key}")


def text(build: Callable[[], str], key: str) -> str:
    return runs.memo(build, f"text:{key}")
