"""The per-server store of derived artifacts (explainer/views/lab/runs.py): built once, the same object for every
session, the last `limit` kept; `derived` keys on the frame's identity and never hands out another frame's value."""

from __future__ import annotations

import gc
import weakref

import pandas as pd

from explainer.views.lab import runs
from explainer.views.lab.runs import Kept, derived


def test_a_kept_value_is_built_once_and_shared():
    kept, calls = Kept(limit=2), []
    first = kept.get(lambda: calls.append(1) or {"spec": 1}, "a")
    assert kept.get(lambda: calls.append(1) or {"spec": 2}, "a") is first and calls == [1]


def test_only_the_last_limit_values_are_kept():
    kept = Kept(limit=2)
    for key in "abc":
        kept.get(lambda key=key: key.upper(), key)  # "a" makes room for "c"
    assert kept.get(lambda: "fresh", "b") == "B"  # kept, and now the most recently used
    kept.get(lambda: "D", "d")  # "c" makes room
    assert kept.get(lambda: "again", "b") == "B"
    assert kept.get(lambda: "again", "c") == "again"


def test_derived_is_computed_once_per_frame_object():
    calls = []

    def rows(df: pd.DataFrame, extra: int) -> int:
        calls.append(1)
        return len(df) + extra

    df = pd.DataFrame({"x": [1, 2, 3]})
    assert derived(rows, df, 1) == 4 and derived(rows, df, 1) == 4 and calls == [1]
    assert derived(rows, df.copy(), 1) == 4 and calls == [1, 1]  # an equal but other frame: computed for itself


def test_derived_never_returns_a_dead_frames_value_to_one_that_took_its_id():
    df = pd.DataFrame({"x": [1, 2]})
    gone = pd.DataFrame({"x": [0]})
    ref = weakref.ref(gone)
    del gone
    gc.collect()
    assert ref() is None
    key = ("derived", len.__module__, len.__qualname__, id(df), ())
    runs.ARTIFACTS.put(key, (ref, "the dead frame's value"))  # as if `gone` had lived at df's address
    assert derived(len, df) == 2
    assert derived(len, df) == 2


def test_a_derived_value_goes_when_its_frame_goes():
    """What is derived from a frame is not kept after the frame: a large labelled copy does not outlive its source."""
    df = pd.DataFrame({"x": range(5)})
    derived(len, df)
    key = ("derived", len.__module__, len.__qualname__, id(df), ())
    assert key in runs.ARTIFACTS._values
    del df
    gc.collect()
    assert key not in runs.ARTIFACTS._values
