"""The active question bank for the practice pages: built-in + instructor directory + uploaded banks, cached."""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from explainer.views.progress import tracking
from questions import Bank, load_banks
from questions.loader import BANK_DIR_ENV, default_paths


def _fingerprint() -> tuple:
    """What the on-disk banks look like now (paths, sizes, modification times): edits reload the cache."""
    stamp = [os.environ.get(BANK_DIR_ENV, "")]
    for root in default_paths():
        files = sorted(Path(root).glob("*.y*ml")) if Path(root).is_dir() else [Path(root)]
        for f in files:
            try:
                info = f.stat()
                stamp.append((str(f), info.st_mtime_ns, info.st_size))
            except OSError:
                stamp.append((str(f), None, None))
    return tuple(stamp)


@st.cache_resource(max_entries=8, show_spinner=False)
def _load(fingerprint: tuple, extra: tuple[tuple[str, str], ...]) -> Bank:
    """Parse and validate every bank once per distinct content; the frozen Bank is shared by all sessions."""
    del fingerprint  # only part of the cache key
    return load_banks(default_paths(), extra)


def active_bank() -> Bank:
    """Every question served right now, with the located errors of the banks that did not validate."""
    return _load(_fingerprint(), tuple(tracking.extra_bank_sources()))


def render_bank_errors(bank: Bank) -> None:
    """A warning with an expander listing each located error, as plain text (never as HTML or markdown)."""
    if not bank.errors:
        return
    n = len(bank.errors)
    with st.expander(f"{n} question-bank problem{'s' * (n != 1)}: the valid questions are still served",
                     icon=":material/warning:", key="bank_errors"):
        st.code("\n".join(str(e) for e in bank.errors), language=None, wrap_lines=True)
        st.caption("Fix them in the YAML files (`python -m questions validate` lists the same lines).")
