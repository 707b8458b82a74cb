"""Start-up warming, triggered by the router on a server's first visitor.

Light to import (the router imports it on every run, the landing page included): the pool, pandas and the
lab specs are imported in the warming thread, never in the page's.
"""

from __future__ import annotations

import multiprocessing
import os
import threading

_lock = threading.Lock()
_started = False


def start_warming() -> None:
    """Queue every lab page's first configs at the lowest priority, once per server process (GRADIENT_LAB_WARM=0:
    never; never in a compute worker, which would start a pool of its own)."""
    global _started
    with _lock:
        if _started or os.environ.get("GRADIENT_LAB_WARM", "1").strip() == "0" or multiprocessing.parent_process():
            return
        _started = True
    threading.Thread(target=_warm, name="lab-warming", daemon=True).start()


def started() -> bool:
    return _started


def _warm() -> None:
    from explainer.lab import compute

    compute.warm()
