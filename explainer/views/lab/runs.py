"""Engine results for the lab panels, shared by every session: the same config computes once.

Every run goes through the shared compute pool (explainer.lab.compute: bounded worker processes, one queue, a
result cache in memory and on disk shared by sessions and replicas), so the server process never imports torch.
Lab pages ask the pool without blocking (progressive.py); these blocking calls serve the panels, which find the
page's runs already computed. A config the engine refuses raises pydantic's ValidationError (validate() turns
it into the page's message first); an engine failure raises explainer.lab.compute.EngineError.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

MAX_ARTIFACTS = 512


def gradient_profile(cfg: dict) -> pd.DataFrame:
    """explainer.experiments.gradient_profile for an MLPConfig given as a dict, through the shared compute pool
    (explainer.lab.compute: cached across sessions and replicas, one computation per config)."""
    from explainer.lab.compute import shared

    return shared().result("mlp", cfg)


def bptt_profile(cfg: dict) -> pd.DataFrame:
    from explainer.lab.compute import shared

    return shared().result("rnn", cfg)


def train_run(cfg: dict) -> pd.DataFrame:
    from explainer.lab.compute import shared

    return shared().result("train", cfg)


def theory_profiles(cfgs: list[dict]) -> list[pd.DataFrame | None]:
    """Theory for several MLP config dicts, relative quantities anchored to each one's measured top layer, computed
    together in the pool (None: theory says nothing)."""
    from explainer.lab.compute import shared

    pool = shared()
    frames = pool.results(theory_items(cfgs, pool.results([("mlp", cfg) for cfg in cfgs])))
    return [None if f.empty else f for f in frames]


def theory_items(cfgs: list[dict], profiles: list[pd.DataFrame]) -> list[tuple[str, dict]]:
    """The pool's theory jobs of MLP configs, each anchored to its measured top-layer gradient norm (median)."""
    from explainer.lab.compute.engine_calls import theory_item

    return [theory_item(cfg, profile) for cfg, profile in zip(cfgs, profiles, strict=True)]


def summarize(df: pd.DataFrame):
    """explainer.experiments.summarize_profile (cheap; not cached)."""
    from explainer.experiments import summarize_profile

    return summarize_profile(df)


def validate(kind: str, cfg: dict) -> str | None:
    """None if the engine accepts the config dict, else its message (names the field and the allowed range)."""
    from pydantic import ValidationError

    from explainer.lab.params import KIND_CONFIGS

    model = KIND_CONFIGS[kind][0]  # the outer config: it validates any nested one
    try:
        model(**cfg)
    except ValidationError as err:
        parts = []
        for e in err.errors():
            msg = e["msg"].removeprefix("Value error, ")
            parts.append(f"{'.'.join(map(str, e['loc']))}: {msg}" if e["loc"] else msg)
        return "; ".join(parts)
    return None


@st.cache_data(max_entries=MAX_ARTIFACTS, show_spinner=False)
def memo(_build: Callable[[], Any], key: str) -> Any:
    """Cache a derived artifact (chart spec, sentence, CSV) under `key`, which must name everything it depends on."""
    return _build()
