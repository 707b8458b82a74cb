"""Engine results cached in memory (LRU by bytes) and on disk (parquet files under a size cap, shared by replicas).

A key names everything a result depends on: the kind, the validated config (every field, defaults included, as
canonical JSON) and the engine version, a hash of the engine's source files, so an engine change never serves an
old frame. Disk files are written atomically (temporary file, then rename), so replicas sharing the directory
never read half a file; the oldest files (by last use) go first when the directory outgrows its cap.
Pure: no torch, no streamlit.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import tempfile
import threading
from collections import OrderedDict
from functools import cache
from pathlib import Path

import pandas as pd
from pydantic import BaseModel


@cache
def engine_version() -> str:
    """A hash of explainer/experiments/*.py: any engine edit changes every key."""
    spec = importlib.util.find_spec("explainer.experiments")
    folder = Path(next(iter(spec.submodule_search_locations)))
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def result_key(kind: str, config: BaseModel, version: str | None = None) -> str:
    text = json.dumps(config.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(f"{kind}\0{version or engine_version()}\0{text}".encode()).hexdigest()


def frame_bytes(df: pd.DataFrame) -> int:
    return int(df.memory_usage(index=True, deep=True).sum())


class ResultCache:
    """Frames by key: an in-process LRU of at most `memory_bytes`, backed by `directory` (None: memory only)."""

    def __init__(self, memory_bytes: int = 128 * 2**20, directory: Path | None = None,
                 disk_bytes: int = 512 * 2**20) -> None:
        self.memory_bytes, self.directory, self.disk_bytes = memory_bytes, directory, disk_bytes
        self._memory: OrderedDict[str, tuple[pd.DataFrame, int]] = OrderedDict()
        self._held = 0
        self._lock = threading.Lock()
        self._disk_used: int | None = None  # measured on first write, then kept up to date
        self._writes = 0
        if directory is not None:
            directory.mkdir(parents=True, exist_ok=True)

    # -- memory -------------------------------------------------------------------------------------------------
    def peek(self, key: str) -> pd.DataFrame | None:
        """The frame for `key` if it is in memory (no disk access)."""
        with self._lock:
            hit = self._memory.get(key)
            return None if hit is None else hit[0]

    def has(self, key: str) -> bool:
        """Whether `key` is in memory or on disk, without reading it (warming thousands of stored configs at start-up
        must not parse each one in the server process, nor fill the memory cache with frames nobody asked for)."""
        if self.peek(key) is not None:
            return True
        path = self.path(key)
        return path is not None and path.exists()

    def get(self, key: str) -> pd.DataFrame | None:
        """The frame for `key` from memory, else from disk (then kept in memory too), else None."""
        with self._lock:
            hit = self._memory.get(key)
            if hit is not None:
                self._memory.move_to_end(key)
                return hit[0]
        df = self._read(key)
        if df is not None:
            self.remember(key, df)
        return df

    def remember(self, key: str, df: pd.DataFrame) -> None:
        """Keep `df` in memory, evicting the least recently used frames beyond the byte cap."""
        size = frame_bytes(df)
        with self._lock:
            old = self._memory.pop(key, None)
            self._held -= old[1] if old else 0
            self._memory[key] = (df, size)
            self._held += size
            while self._held > self.memory_bytes and len(self._memory) > 1:
                _, (_, dropped) = self._memory.popitem(last=False)
                self._held -= dropped

    def put(self, key: str, df: pd.DataFrame) -> None:
        self.remember(key, df)
        self.persist(key, df)

    # -- disk ---------------------------------------------------------------------------------------------------
    def path(self, key: str) -> Path | None:
        return None if self.directory is None else self.directory / key[:2] / f"{key}.parquet"

    def _read(self, key: str) -> pd.DataFrame | None:
        path = self.path(key)
        if path is None or not path.exists():
            return None
        try:
            df = pd.read_parquet(path)
            os.utime(path)  # last use: eviction removes the least recently used files first
            return df
        except (OSError, ValueError):  # removed by another replica's eviction, or unreadable: recompute
            return None

    def persist(self, key: str, df: pd.DataFrame) -> None:
        """Write `df` to disk atomically (no-op without a directory); keep the directory under its cap."""
        path = self.path(key)
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        os.close(fd)
        try:
            df.to_parquet(tmp, index=False)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        with self._lock:
            self._writes += 1
            if self._disk_used is None or self._writes % 64 == 0:  # rescan now and then: replicas write too
                self._disk_used = sum(p.stat().st_size for p in self._files())
            else:
                self._disk_used += path.stat().st_size
            if self._disk_used > self.disk_bytes:
                self._disk_used = self._evict()

    def _files(self) -> list[Path]:
        return [p for p in self.directory.glob("*/*.parquet") if p.is_file()]

    def _evict(self) -> int:
        """Delete least recently used files until the directory is at 80 % of its cap; return the bytes left."""
        stats = []
        for p in self._files():
            try:
                st = p.stat()
            except OSError:
                continue
            stats.append((st.st_mtime, st.st_size, p))
        used = sum(s for _, s, _ in stats)
        for _, size, p in sorted(stats, key=lambda s: s[0]):
            if used <= 0.8 * self.disk_bytes:
                break
            try:
                p.unlink()
            except OSError:
                continue
            used -= size
        return used
