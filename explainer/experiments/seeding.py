"""Per-seed random streams: seed s of a multi-seed run draws exactly the numbers it would draw alone.

Each (seed, stream) pair gets its own generators, mixed by numpy's SeedSequence (no aliasing between
neighbouring seeds or streams). Uniform floats come from numpy's PCG64 and normal floats from torch's
vectorised generator: on this CPU class each is 2-5x faster than the other library's, which matters when
64 seeds x 100 layers of weights are drawn per request.

Drawing is still a sixth of a gradient profile, and the runs of one page (its variants differ in activation,
norm or skips, not in seeds, init family or shapes) draw the same raw numbers again and again. So `draw` keeps
each seed's raw draws in a small process-wide LRU cache (DRAWS), keyed by everything that fixes them: seed,
stream, U or N, and the shapes and counts this stream drew before (its position in the generator). A hit
copies the cached numbers out, so callers own what they get and cannot change the cache.
"""

from __future__ import annotations

import math
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence

import numpy as np
import torch

WEIGHT_STREAM, BIAS_STREAM, DATA_STREAM = 0, 1, 2  # separate streams: data do not change with the init
CACHE_MB_ENV = "GRADIENT_LAB_DRAW_CACHE_MB"
DEFAULT_CACHE_MB = 32  # the reference workload (16 seeds x 50 layers x 64², both init families) needs 26 MB

DrawKey = tuple[int, int, bool, tuple[tuple[tuple[int, ...], int], ...]]


class DrawCache:
    """A thread-safe LRU of per-seed raw draws, bounded in bytes; entries are private and never handed out."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._entries: OrderedDict[DrawKey, torch.Tensor] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    @property
    def nbytes(self) -> int:
        """Bytes of tensor data held now (at most max_bytes)."""
        return self._bytes

    def __len__(self) -> int:
        return len(self._entries)

    def keeps(self, t: torch.Tensor) -> bool:
        """Whether an entry like t is kept: up to a quarter of the cap (a bigger one would evict most of the others)."""
        return 0 < t.numel() * t.element_size() <= self.max_bytes // 4

    def copy_into(self, key: DrawKey, dst: torch.Tensor) -> bool:
        """Copy the entry `key` into dst and mark it most recently used; False (dst untouched) if absent."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return False
            self._entries.move_to_end(key)
        dst.copy_(entry)  # outside the lock: entries are never written, eviction only drops the reference
        return True

    def put(self, key: DrawKey, entry: torch.Tensor) -> None:
        """Keep `entry` (the cache owns it now: nobody writes it); evict the least recently used beyond the cap."""
        size = entry.numel() * entry.element_size()
        if not self.keeps(entry):
            return
        with self._lock:
            if key in self._entries:
                return
            self._entries[key] = entry
            self._bytes += size
            while self._bytes > self.max_bytes:
                _, old = self._entries.popitem(last=False)
                self._bytes -= old.numel() * old.element_size()

    def clear(self) -> None:
        """Drop every entry (benchmarks start cold with it)."""
        with self._lock:
            self._entries.clear()
            self._bytes = 0


def _cache_bytes() -> int:
    """Cap from $GRADIENT_LAB_DRAW_CACHE_MB (0 disables the cache), else DEFAULT_CACHE_MB."""
    raw = os.environ.get(CACHE_MB_ENV, "").strip()
    try:
        mb = float(raw) if raw else DEFAULT_CACHE_MB
    except ValueError:
        mb = DEFAULT_CACHE_MB
    return max(0, int(mb * 2**20))


DRAWS = DrawCache(_cache_bytes())


class Stream:
    """The generators of one (seed, stream), made on first use; `draw` serves repeated draws from DRAWS.

    Reading `.uniform` or `.normal` hands the generator itself to the caller, who may draw from it directly:
    the stream first catches up with the draws the cache served, then stops using the cache.
    """

    def __init__(self, seed: int, stream_id: int):
        self.seed, self.stream_id = int(seed), stream_id
        self._gens: tuple[np.random.Generator, torch.Generator] | None = None
        self._taken: dict[bool, tuple] = {False: (), True: ()}  # (shape, count) of every draw so far, per kind
        self._made = {False: 0, True: 0}  # how many of them the generator has actually produced
        self._cached = True  # False once a generator was handed out

    @property
    def uniform(self) -> np.random.Generator:
        """numpy's PCG64 generator of this stream (U[0, 1) draws), positioned after every draw so far."""
        self._catch_up(False)
        self._cached = False
        return self._generators()[0]

    @property
    def normal(self) -> torch.Generator:
        """torch's generator of this stream (N(0, 1) draws), positioned after every draw so far."""
        self._catch_up(True)
        self._cached = False
        return self._generators()[1]

    def _generators(self) -> tuple[np.random.Generator, torch.Generator]:
        if self._gens is None:
            for_uniform, for_normal = np.random.SeedSequence([self.seed, self.stream_id]).spawn(2)
            normal = torch.Generator().manual_seed(int(for_normal.generate_state(1)[0]))
            self._gens = (np.random.default_rng(for_uniform), normal)
        return self._gens

    def _produce(self, dst: torch.Tensor, normal: bool) -> None:
        """Fill dst (count, *shape) from the generator: the numbers of `count` draws of `shape`, one after another.

        A contiguous dst takes one call where that makes the same numbers: numpy fills floats one by one, and
        torch's vectorised normal_ maps uniforms to normals in blocks of 16, which never straddle two draws of a
        multiple of 16 numbers. Otherwise one call per draw (torch's sequence depends on each call's size).
        """
        uniform, gen = self._generators()
        one_call = dst.is_contiguous() and (not normal or math.prod(dst.shape[1:]) % 16 == 0)
        for slot in [dst] if one_call else dst:
            if normal:
                slot.normal_(generator=gen)
            else:
                uniform.random(out=slot.numpy(), dtype=np.float32)

    def _catch_up(self, normal: bool) -> None:
        """Make the draws the cache served, so the generator stands where an uncached stream would."""
        for shape, count in self._taken[normal][self._made[normal]:]:
            self._produce(torch.empty((count, *shape), dtype=torch.float32), normal)
        self._made[normal] = len(self._taken[normal])

    def fill(self, dst: torch.Tensor, normal: bool) -> None:
        """The next draws of this stream into dst (count, *shape): from DRAWS if it holds them, else generated."""
        count, *shape = dst.shape
        taken = (*self._taken[normal], (tuple(shape), count))
        key = (self.seed, self.stream_id, normal, taken)
        if not (self._cached and DRAWS.keeps(dst)):  # too big to keep: straight into dst
            self._catch_up(normal)
            self._produce(dst, normal)
            self._made[normal] = len(taken)
        elif not DRAWS.copy_into(key, dst):
            self._catch_up(normal)
            entry = torch.empty(dst.shape, dtype=torch.float32)  # contiguous: one generator call, and the entry
            self._produce(entry, normal)
            self._made[normal] = len(taken)
            dst.copy_(entry)
            DRAWS.put(key, entry)
        self._taken[normal] = taken


def stream(seed: int, stream_id: int) -> Stream:
    """Generators for (seed, stream_id), spawned from one SeedSequence."""
    return Stream(seed, stream_id)


def draw(streams: Sequence[Stream], shape: tuple[int, ...], normal: bool, count: int = 1) -> torch.Tensor:
    """`count` float32 draws of `shape` per stream, U[0, 1) or N(0, 1): a tensor (count, len(streams), *shape).

    Stream s fills slots [0, s], [1, s], ... in order, so its numbers do not depend on the other seeds,
    and the layer-major result needs no transposing copy. The result is the caller's own (never the cache's).
    """
    out = torch.empty((count, len(streams), *shape), dtype=torch.float32)
    for i, st in enumerate(streams):
        st.fill(out[:, i], normal)
    return out


def seed_values(cfg) -> list[int]:
    """Absolute seeds of a config: seed, seed+1, ..., seed+seeds-1 (the `seed` column of every frame)."""
    return list(range(cfg.seed, cfg.seed + cfg.seeds))
