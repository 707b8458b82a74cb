"""Cached engine calls, shared by every session: the same config computes once (bounded LRU caches).

Configs travel as plain dicts (hashable by st.cache_data); the engine is imported inside each function so that
importing a view never imports torch. A config the engine refuses raises pydantic's ValidationError, which the
page turns into a message.
"""

from __future__ import annotations

import functools
import json
import threading
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

MAX_RUNS = 256  # one entry is a small frame (seeds x layers rows); 256 keeps a class's configs warm
MAX_ARTIFACTS = 512
# st.cache_data does not merge concurrent misses: 20 students opening the instructor's preset at once would
# compute it 20 times. A striped lock per config makes the first compute and the others wait for the cache.
_STRIPES = [threading.RLock() for _ in range(64)]  # re-entrant: theory_profile calls gradient_profile


def single_flight(fn: Callable[[dict], Any]) -> Callable[[dict], Any]:
    """Serialise concurrent calls with the same config, so a cached function computes each config once."""

    @functools.wraps(fn)
    def wrapper(cfg: dict) -> Any:
        key = f"{fn.__name__}:{json.dumps(cfg, sort_keys=True, default=str)}"
        with _STRIPES[hash(key) % len(_STRIPES)]:
            return fn(cfg)

    return wrapper


@single_flight
@st.cache_data(max_entries=MAX_RUNS, show_spinner=False)
def gradient_profile(cfg: dict) -> pd.DataFrame:
    """explainer.experiments.gradient_profile for an MLPConfig given as a dict."""
    from explainer.experiments import MLPConfig
    from explainer.experiments import gradient_profile as run

    return run(MLPConfig(**cfg))


@single_flight
@st.cache_data(max_entries=MAX_RUNS, show_spinner=False)
def bptt_profile(cfg: dict) -> pd.DataFrame:
    from explainer.experiments import RNNConfig
    from explainer.experiments import bptt_profile as run

    return run(RNNConfig(**cfg))


@single_flight
@st.cache_data(max_entries=MAX_RUNS, show_spinner=False)
def train_run(cfg: dict) -> pd.DataFrame:
    from explainer.experiments import TrainConfig
    from explainer.experiments import train_run as run

    return run(TrainConfig(**cfg))


@single_flight
@st.cache_data(max_entries=MAX_RUNS, show_spinner=False)
def theory_profile(cfg: dict) -> pd.DataFrame | None:
    """Theory for an MLP config dict, with relative quantities anchored to the measured top layer."""
    from explainer.experiments import MLPConfig, anchor_theory
    from explainer.experiments import theory_profile as run

    theory = run(MLPConfig(**cfg))
    return None if theory is None else anchor_theory(theory, gradient_profile(cfg))


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
