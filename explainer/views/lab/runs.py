"""Engine results for the lab panels, shared by every session: the same config computes once.

Every run goes through the shared compute pool (explainer.lab.compute: bounded worker processes, one queue, a
result cache in memory and on disk shared by sessions and replicas), so the server process never imports torch.
Lab pages ask the pool without blocking (progressive.py); these blocking calls serve the panels, which find the
page's runs already computed. A config the engine refuses raises pydantic's ValidationError (validate() turns
it into the page's message first); an engine failure raises explainer.lab.compute.EngineError.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import pandas as pd

MAX_ARTIFACTS, MAX_FRAMES = 512, 64


class Kept:
    """Values kept per server under a key, the last `limit` of them: every session gets the same object, which
    nobody modifies (pandas copies on write; Streamlit copies a spec before it changes it). st.cache_data would hash
    the arguments and unpickle a copy on every rerun of every session: for a lab page, several milliseconds of a
    server whose one interpreter draws every page."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._values: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.RLock()  # re-entrant: dropping a value may run a `derived` finalizer that drops a key

    def get(self, build: Callable[[], Any], key: Any) -> Any:
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
        value = build()
        self.put(key, value)
        return value

    def drop(self, key: Any) -> None:
        with self._lock:
            self._values.pop(key, None)

    def put(self, key: Any, value: Any) -> None:
        with self._lock:
            self._values[key] = value
            self._values.move_to_end(key)
            while len(self._values) > self.limit:
                self._values.popitem(last=False)


ARTIFACTS = Kept(MAX_ARTIFACTS)  # chart specs, sentences, summaries
FRAMES = Kept(MAX_FRAMES)  # labelled frames and theory overlays: larger


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


def summarize(df: pd.DataFrame, series: str | None = None):
    """explainer.experiments.summarize_profile of an engine frame (of one of its series), kept while it lives."""
    return derived(_summary, df, series)


def _summary(df: pd.DataFrame, series: str | None):
    from explainer.experiments.summary import summarize_profile

    return summarize_profile(df if series is None else df[df["series"] == series])


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


def memo(build: Callable[[], Any], key: Any) -> Any:
    """A derived artifact (chart spec, sentence, table) kept per server under `key`, which must name everything it
    depends on."""
    return ARTIFACTS.get(build, key)


def derived(fn: Callable[..., Any], df: pd.DataFrame, *args: Any) -> Any:
    """fn(df, *args), kept while `df` lives (its entry goes with it): an engine result or a labelled frame, which the
    compute cache and FRAMES hand out as the same, never-modified object on every rerun."""
    key = ("derived", fn.__module__, fn.__qualname__, id(df), args)
    ref, value = ARTIFACTS.get(lambda: (_tracked(df, key), fn(df, *args)), key)
    if ref() is not df:  # guard: another frame took the id of a dead one before its entry was dropped
        value = fn(df, *args)
        ARTIFACTS.put(key, (_tracked(df, key), value))
    return value


def _tracked(df: pd.DataFrame, key: Any, store: Kept = ARTIFACTS) -> weakref.ref:
    """A weak reference to `df` that drops `key` from `store` when `df` goes (the store is bound here, so this still
    works while the interpreter shuts down and module globals are already cleared)."""
    return weakref.ref(df, lambda _: store.drop(key))
