"""Torch process settings for a shared server: bounded threads and flushed denormals, applied once, lazily."""

from __future__ import annotations

import contextlib
import os
import threading

import torch

THREADS_ENV = "GRADIENT_LAB_TORCH_THREADS"
DEFAULT_THREADS = 1  # many sessions share the cores; one thread per computation avoids oversubscription

_lock = threading.Lock()
_done = False


def torch_threads() -> int:
    """Intra-op thread count from $GRADIENT_LAB_TORCH_THREADS (a positive integer), else DEFAULT_THREADS."""
    raw = os.environ.get(THREADS_ENV, "").strip()
    try:
        return max(1, int(raw)) if raw else DEFAULT_THREADS
    except ValueError:
        return DEFAULT_THREADS


def ensure_runtime() -> None:
    """Flush denormals in the calling thread and set thread counts once per process; engine entry points call it.

    Denormal floats (|x| < 1.2e-38 in float32) appear as deep sigmoid gradients underflow; x86 CPUs
    handle them in slow microcode, so flushing them to zero keeps a vanishing-gradient run fast. The
    flush-to-zero flags live in each thread's MXCSR register and a server runs sessions in many threads,
    so this part runs on every call (it is one register write). `set_num_interop_threads` may only be
    called once and before any inter-op work, hence the once-per-process guard for the thread counts.
    """
    global _done
    torch.set_flush_denormal(True)
    if _done:
        return
    with _lock:
        if _done:
            return
        torch.set_num_threads(torch_threads())
        with contextlib.suppress(RuntimeError):  # already set, or inter-op work already started
            torch.set_num_interop_threads(1)
        _done = True
