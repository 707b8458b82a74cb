"""Where engine chunks run: worker processes (the server's default), worker threads, or inline (tests, notebooks).

Every runner has `submit(entry, config) -> Future` and `close()`. `entry` is "module:function"; the worker
imports it, so a worker process needs nothing from its parent but the (already validated) config.
Worker processes are spawned, not forked (the server is multi-threaded), each with torch's bounded thread count
(explainer/experiments/runtime.py) and a lower CPU priority than the server, whose threads draw the pages.
Pure: no torch and no streamlit at import.
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib
import multiprocessing
import os
import sys
import threading
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool

NICE = 5  # worker processes yield to the server's page rendering when both want the cores


def call(entry: str, config):
    """Import `entry` ("module:function") and call it with the config."""
    module, name = entry.split(":")
    return getattr(importlib.import_module(module), name)(config)


def _trim() -> None:
    """Hand freed heap memory back to the OS (glibc keeps it otherwise, and a worker's RSS stays at its peak)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def call_and_trim(entry: str, config):
    """`call` in a worker process, then return freed memory to the OS."""
    try:
        return call(entry, config)
    finally:
        _trim()


def _worker_start(nice: int, preload: tuple[str, ...]) -> None:
    """Process initializer: lower the priority, then import the engine once so the first job is not slower."""
    if nice:
        with contextlib.suppress(OSError):
            os.nice(nice)
    for module in preload:
        importlib.import_module(module)


def _keep_denormals() -> None:
    """The engine flushes denormals to zero in the thread that runs it (experiments/runtime.py). Inline, that is the
    page's own thread, where the flag would then make pydantic read init_scale 5e-324 (a legal minimum) as 0 and
    refuse it: switch it off again."""
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.set_flush_denormal(False)


class InlineRunner:
    """Runs each chunk in the submitting thread, at once: deterministic, for tests and notebooks."""

    workers = 1

    def submit(self, entry: str, config) -> Future:
        fut: Future = Future()
        try:
            fut.set_result(call(entry, config))
        except BaseException as e:  # noqa: BLE001 - handed to the scheduler like a worker's failure
            fut.set_exception(e)
        finally:
            _keep_denormals()
        return fut

    def close(self) -> None:
        pass


class _PoolRunner:
    """A concurrent.futures executor that is rebuilt if it breaks (a worker killed, e.g. out of memory)."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._lock = threading.Lock()
        self._pool: Executor | None = None

    target = staticmethod(call)

    def _make(self) -> Executor:
        raise NotImplementedError

    def submit(self, entry: str, config) -> Future:
        with self._lock:
            if self._pool is None:
                self._pool = self._make()
            try:
                return self._pool.submit(self.target, entry, config)
            except BrokenProcessPool:
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = self._make()
                return self._pool.submit(self.target, entry, config)

    def restart(self) -> None:
        """Drop a broken pool; the next submit builds a new one."""
        with self._lock:
            if self._pool is not None:
                self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    def close(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


class ThreadRunner(_PoolRunner):
    """Worker threads in this process: no extra memory for a second torch, but they share the GIL."""

    def _make(self) -> Executor:
        return ThreadPoolExecutor(self.workers, thread_name_prefix="lab-compute")


class ProcessRunner(_PoolRunner):
    """Spawned worker processes: the engine's Python work never holds the server's GIL. One short chunk may wait in
    the workers' queue (`queued_ahead`), so a worker goes on to it without waiting for the server to take the last
    result: under load that hand-over costs a busy server tens of milliseconds per chunk."""

    queued_ahead = 1

    target = staticmethod(call_and_trim)

    def __init__(self, workers: int, nice: int = NICE, preload: tuple[str, ...] = ("explainer.experiments.mlp",)):
        super().__init__(workers)
        self.nice, self.preload = nice, preload

    def _make(self) -> Executor:
        return ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_worker_start, initargs=(self.nice, self.preload))
