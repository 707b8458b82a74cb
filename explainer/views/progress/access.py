"""The views' door to the store: the engine or None, with a visible warning and a short back-off when down.

Every store call from a page goes through `call`, so a database outage degrades the page (a warning, data
kept in the session) instead of crashing it, and a dead server costs one connect timeout per back-off
window rather than one per widget click.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TypeVar

import streamlit as st
from sqlalchemy import Engine

from explainer.store import get_engine
from explainer.store.config import database_url, describe

T = TypeVar("T")
log = logging.getLogger("gradient_lab.store")
BACKOFF_S = 15.0
_state = threading.Lock()
_down_until = 0.0


def mark_down(exc: BaseException) -> None:
    global _down_until
    with _state:
        _down_until = time.monotonic() + BACKOFF_S
    # First line of the driver's message only: SQLAlchemy appends SQL parameters (learners' answers).
    first = (str(getattr(exc, "orig", None) or exc).splitlines() or [""])[0][:300]
    log.warning("progress store unavailable (%s): %s: %s", describe(database_url()), type(exc).__name__, first)


def is_down() -> bool:
    return time.monotonic() < _down_until


def warn(detail: str = "") -> None:
    """The visible outage warning (pages fetch the engine once per run, so it shows once)."""
    st.warning(
        "Progress can't be saved right now: the database is unreachable. The app keeps working, and your "
        f"answers in this session are kept and saved once it is back. {detail}".strip(),
        icon=":material/cloud_off:",
    )


def engine(quiet: bool = False) -> Engine | None:
    """The shared engine, or None (with the warning unless `quiet`) while the database is down."""
    if not is_down():
        try:
            return get_engine()
        except Exception as exc:  # noqa: BLE001 (any driver/OS error means "down" to a page)
            mark_down(exc)
    if not quiet:
        warn()
    return None


def call(fn: Callable[..., T], *args, default: T = None, quiet: bool = False, **kwargs) -> T:
    """`fn(engine, *args)`; on a database failure, `default` and the warning instead of an exception.

    ValueError/LookupError are the caller's input problems and propagate for the page to explain.
    """
    eng = engine(quiet)
    if eng is None:
        return default
    try:
        return fn(eng, *args, **kwargs)
    except (ValueError, LookupError):
        raise
    except Exception as exc:  # noqa: BLE001
        mark_down(exc)
        if not quiet:
            warn()
        return default
