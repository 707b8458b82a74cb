"""Lab compute: the engine runs of every session go through one bounded pool, one queue and one result cache.

    from explainer.lab.compute import shared
    pool = shared()                      # configured from the environment (below), created on first use
    keys = pool.request(session_id, [("mlp", {"depth": 30}), ...])
    pool.wait(keys, timeout=1.5)         # Status: frames so far (a preview), complete flags, queue position

Settings (environment variables; docs/DEPLOY.md):
- GRADIENT_LAB_COMPUTE: "process" (default: spawned worker processes), "thread" or "inline" (in the caller).
- GRADIENT_LAB_COMPUTE_WORKERS: concurrent engine runs (default: one per CPU core but one, which the server's
  page rendering needs for itself: a Streamlit server draws every page in one process; at least two, because
  with two or more one worker is kept for pages' first charts while the others refine, see scheduler._pump).
  Each run uses GRADIENT_LAB_TORCH_THREADS threads (default 1), at niceness GRADIENT_LAB_COMPUTE_NICE (default 5:
  below the server's page rendering).
- GRADIENT_LAB_CACHE_DIR: results on disk, shared by the replicas that mount it (default data/run-cache in the
  repo; "none": memory only); GRADIENT_LAB_CACHE_MB caps it (default 512); GRADIENT_LAB_MEMORY_CACHE_MB caps the
  frames each server keeps in memory (default 128).
- GRADIENT_LAB_WARM: "0" turns off computing every page's first configs at start-up (default on; started by
  explainer.lab.warmup).
Pure: no torch (workers import the engine), no streamlit.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from explainer.lab.compute.cache import ResultCache, engine_version
from explainer.lab.compute.engine_calls import theory_item
from explainer.lab.compute.runners import NICE, InlineRunner, ProcessRunner, ThreadRunner
from explainer.lab.compute.scheduler import EngineError, Scheduler, Status
from explainer.lab.compute.warming import theory_configs, warm_items

__all__ = ["EngineError", "Scheduler", "Status", "ResultCache", "shared", "warm", "warm_marker"]

ROOT = Path(__file__).resolve().parents[3]
_lock = threading.Lock()
_shared: Scheduler | None = None


def _int(name: str, default: int) -> int:
    try:
        return max(0, int(os.environ.get(name, "").strip() or default))
    except ValueError:
        return default


def cache_dir() -> Path | None:
    raw = os.environ.get("GRADIENT_LAB_CACHE_DIR", "").strip()
    if raw.lower() == "none":
        return None
    return Path(raw) if raw else ROOT / "data" / "run-cache"


def default_workers(cpus: int | None = None) -> int:
    """One worker per core but the server's, and at least two: the second is a lane for first charts (previews
    waiting behind refinements on the only worker were most of a burst's late charts), not more throughput."""
    return max(2, (cpus or os.cpu_count() or 1) - 1)


def from_env() -> Scheduler:
    """A scheduler configured from the environment variables above."""
    mode = os.environ.get("GRADIENT_LAB_COMPUTE", "process").strip().lower()
    workers = max(1, _int("GRADIENT_LAB_COMPUTE_WORKERS", default_workers()))
    runner = {"inline": lambda: InlineRunner(), "thread": lambda: ThreadRunner(workers)}.get(
        mode, lambda: ProcessRunner(workers, nice=_int("GRADIENT_LAB_COMPUTE_NICE", NICE)))()
    cache = ResultCache(memory_bytes=_int("GRADIENT_LAB_MEMORY_CACHE_MB", 128) * 2**20, directory=cache_dir(),
                        disk_bytes=_int("GRADIENT_LAB_CACHE_MB", 512) * 2**20)
    return Scheduler(runner, cache)


def shared() -> Scheduler:
    """The process-wide scheduler (every session of this server shares it)."""
    global _shared
    with _lock:
        if _shared is None:
            _shared = from_env()
        return _shared


def warm_marker() -> Path | None:
    """A file written once this engine version's start-up configs are all computed (None without a disk cache)."""
    folder = cache_dir()
    return None if folder is None else folder / f"warm-{engine_version()}.done"


def warm() -> None:
    """Compute every lab page's first configs at the lowest priority, then the MLP pages' theory overlays (anchored
    to those runs), then write the warm marker. Blocks until done: explainer.lab.warmup runs it in its own thread."""
    pool = shared()
    runs_done = threading.Event()
    pool.warm(warm_items(), on_done=runs_done.set)
    runs_done.wait()
    theory = []
    for cfg in theory_configs():
        try:
            theory.append(theory_item(cfg, pool.result("mlp", cfg)))  # computed and cached by now
        except EngineError:
            continue  # the page shows the engine's message; no overlay to draw
    pool.warm(theory, on_done=_mark_warm)


def _mark_warm() -> None:
    if (marker := warm_marker()) is not None:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()
