"""Lab results without a blocked script: the page waits briefly for the shared compute pool (explainer.lab.compute);
if the runs are not done by then it shows a progress panel instead (queue position, then a clearly labelled preview
from the seeds done so far), which polls every second and is replaced by the full page once the runs complete.

GRADIENT_LAB_LAB_WAIT_S (default 1.5) is how long a page waits for the full result before showing the panel; a page
whose every run has a preview after PREVIEW_AFTER_S stops waiting and draws the preview at once.
The panel holds the session's claim on its runs: a session that closes the tab or leaves the page stops polling,
its lease lapses, and the pool drops the work nobody is waiting for.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from explainer.lab import compute, warmup
from explainer.lab.charts import band_spec
from explainer.lab.compute.warming import page_items
from explainer.lab.variants import DIGITS_LABELS, PLACEMENT_LABELS, precision_label
from explainer.views.lab import runs
from explainer.views.lab.chart_panel import chart_panel
from explainer.views.lab.results import labelled as labelled_runs
from explainer.views.lab.results import spec as cached_spec

POLL_S = 1.0
PREVIEW_AFTER_S = 0.5  # under load every extra second of waiting is a second more until the first chart
THEORY_WAIT_S = 0.2  # at least this long for an MLP page's theory overlay once its runs are done
HOLDER_KEY, FRESH_KEY = "_lab_holder", "_lab_progress_fresh"


@dataclass(frozen=True)
class Preview:
    """The chart a preview draws: each page's first chart of the same data (x, y, titles), and its legend."""

    x: str
    y: str
    x_title: str
    y_title: str
    series: Callable[[pd.DataFrame, str], pd.Series] | None = None  # (frame, variant label) -> legend labels
    rows: Callable[[pd.DataFrame], pd.Series] | None = None  # which rows to draw
    log_y: bool = True  # as the full chart: a log scale for norms and losses, linear for an accuracy in [0, 1]


def _transformer(df: pd.DataFrame, _: str) -> pd.Series:
    return df["placement"].map(PLACEMENT_LABELS) + df["warmup_steps"].gt(0).map({True: ", warm-up", False: ""})


PREVIEW = {
    "mlp": Preview("layer", "grad_norm", "layer (1 = input side)", "gradient norm"),
    "rnn": Preview("steps_back", "grad_norm", "steps back in time (0 = last step)", "‖∂L/∂h_t‖"),
    "train": Preview("step", "loss", "step", "loss (MSE)"),
    "transformer": Preview("step", "loss", "step", "loss", series=_transformer),
    "precision": Preview("step", "loss", "step", "loss (float32 MSE)", series=lambda df, _: pd.Series(
        [precision_label(d, sc) for d, sc in zip(df["dtype"], df["scaling"], strict=True)], index=df.index)),
    "digits": Preview("step", "accuracy", "step", "test accuracy", series=lambda df, _: df["variant"].map(
        DIGITS_LABELS), rows=lambda df: df["split"] == "test", log_y=False),
}


def wait_s() -> float:
    try:
        return max(0.0, float(os.environ.get("GRADIENT_LAB_LAB_WAIT_S", "1.5")))
    except ValueError:
        return 1.5


def holder() -> str:
    """This session's id in the pool's leases."""
    return st.session_state.setdefault(HOLDER_KEY, uuid.uuid4().hex)


def labelled(kind: str, variants: list[tuple[str, dict]], frames) -> pd.DataFrame:
    """Preview frames with the `series` column (the legend) first: each variant's label, or the one-pass lab's own
    (placement, format, network)."""
    how = PREVIEW[kind]
    parts = []
    for (label, _), frame in zip(variants, frames, strict=False):
        frame = frame[how.rows(frame)] if how.rows else frame
        parts.append(frame.assign(series=how.series(frame, label) if how.series else label))
    df = pd.concat(parts, ignore_index=True)
    return df[["series", *[c for c in df.columns if c != "series"]]]


def results(kind: str, variants: list[tuple[str, dict]], focus: str) -> pd.DataFrame | None:
    """Every variant's frame (with `series`) once all are computed; None while they are not (a progress panel is
    drawn in their place, and the page reruns itself when they are done)."""
    pool = compute.shared()
    warmup.start_warming()
    keys = page_keys(pool, kind, variants)
    start = time.monotonic()
    status = pool.wait(keys, wait_s(), preview_after=PREVIEW_AFTER_S if kind in PREVIEW else None)
    if status.done and not status.error and len(more := page_keys(pool, kind, variants)) > len(keys):
        # The runs are done: now their theory overlay, for as long as a page with a preview would still wait (the
        # runs alone draw the chart; the overlay joins it when the panel finds it done).
        status = pool.wait(more, min(wait_s(), max(THEORY_WAIT_S, PREVIEW_AFTER_S - (time.monotonic() - start))))
    if status.error:
        st.error(f"The experiment could not run: {status.error}", icon=":material/error:")
        return None
    if status.done:
        return labelled_runs(kind, variants)  # every run is in the cache now: labelled as the page expects
    st.session_state[FRESH_KEY] = True
    progress_panel(kind, variants, focus)
    return None


@st.fragment(run_every=POLL_S)
def progress_panel(kind: str, variants: list[tuple[str, dict]], focus: str) -> None:
    """Queue position or a labelled preview; every second it asks again (renewing the lease) until done."""
    pool = compute.shared()
    keys = page_keys(pool, kind, variants)
    status = pool.status(keys)
    if not st.session_state.pop(FRESH_KEY, False) and (status.done or status.error):
        st.rerun()  # the whole page, which now finds every run in the cache
    with st.container(key="lab_pending", border=True):
        if kind in PREVIEW and all(f is not None for f in status.frames[:len(variants)]):
            preview(kind, variants, focus, status, keys)
        elif status.ahead:
            st.markdown(f"**Queued.** {status.ahead} run{'s' * (status.ahead != 1)} of other learners go first; "
                        "yours starts as soon as a worker is free.")
        else:
            st.markdown("**Running your experiment…**")
        done, of = status.seeds_done, max(status.seeds_total, 1)
        st.progress(min(done / of, 1.0), text=f"{done} of {of} seed runs done")
        st.button("Check now", key="lab_refresh", icon=":material/refresh:", type="tertiary",
                  help="The panel checks every second by itself.")


def page_keys(pool, kind: str, variants: list[tuple[str, dict]]) -> list[str]:
    """Ask the pool for the page's runs (renewing this session's lease) and, on an MLP page whose runs are all done,
    for their theory overlay too (it is anchored to the measured top layer), so no panel blocks the script."""
    items = page_items(kind, variants)
    keys = pool.request(holder(), items)
    if kind != "mlp":
        return keys
    status = pool.status(keys[:len(variants)])
    if not all(status.complete):
        return keys
    theory = runs.memo(lambda: runs.theory_items([cfg for _, cfg in variants], list(status.frames)),
                       f"theory-items:{'|'.join(keys)}")  # the results behind `keys` never change
    return pool.request(holder(), items + theory)


def total(cfg: dict, key: str) -> int:
    """A training or seeded config's `key` (seeds, steps), nested model included."""
    return int(cfg.get(key, cfg.get("model", {}).get(key, 0)))


def preview(kind: str, variants, focus: str, status, keys: list[str]) -> None:
    """The page's first chart from what is done so far (some seeds, or a run's first steps), labelled a preview."""
    with st.container(key="lab_preview"):
        n, how = len(variants), PREVIEW[kind]
        frames = status.frames[:n]
        df = labelled(kind, variants, frames)
        seeds, all_seeds = min(f["seed"].nunique() for f in frames), total(variants[0][1], "seeds")
        if all(status.complete[:n]):
            title = "Every run is done: the theory curves join this chart when they are ready"
        elif "steps" in status.stages[:n]:
            shown = int(df[how.x].max())
            title = (f"Preview: the first {shown} of {total(variants[0][1], 'steps')} steps ({seeds} of {all_seeds} "
                     "seeds); the full run replaces it when ready")
        else:
            title = f"Preview from {seeds} of {all_seeds} seeds per curve: the full band replaces it when ready"
        spec = cached_spec(lambda: band_spec(df, x=how.x, y=how.y, x_title=how.x_title, y_title=how.y_title,
                                             log_y=how.log_y, focus=focus if focus in set(df["series"]) else None),
                           f"preview:{'|'.join(keys)}:{status.version}")
        table = df[[c for c in ("series", "seed", how.x, how.y) if c in df]]
        chart_panel(title, spec, f"Preview of {how.y_title} against {how.x_title} from what is computed so far; "
                    "the diagnosis and the other charts appear with the full result.", table, f"preview-{kind}")
