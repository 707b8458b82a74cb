"""A job (one engine config, split into chunks by seeds or parts) and the status a page reads of its jobs. Pure
data."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd
from pydantic import BaseModel

from explainer.lab.compute.kinds import KINDS, Piece, estimate, parts_of, seeds_of, with_parts, with_seeds


@dataclass(eq=False)
class Job:
    key: str
    kind: str
    config: BaseModel
    pieces: list[Piece]  # its chunks (kinds.layout)
    seq: int  # order of the first request (warming counts from a later range)
    warm: bool = False
    first_steps: BaseModel | None = None  # a training run's preview: its first steps only (kinds.first_steps)
    preview: pd.DataFrame | None = None  # that preview's frame, shown until the first chunk is done
    frames: list[pd.DataFrame] = field(default_factory=list)
    result: pd.DataFrame | None = None
    error: str | None = None
    holders: dict[str, float] = field(default_factory=dict)  # holder -> lease expiry
    waiters: int = 0  # threads blocked in Scheduler.result
    running: bool = False
    background: bool = False  # its running chunk may not take the last free worker (Scheduler._pump)
    heavy: bool = False  # its running chunk keeps more than kinds.CHUNK_UNITS floats
    queued: tuple | None = None  # the live heap entry: (class, size class, seq, n)
    version: int = 0
    retried: bool = False

    @property
    def done(self) -> bool:
        return self.result is not None or self.error is not None

    @property
    def by_parts(self) -> bool:
        """Split along its parts: until every part is done it shows its first-steps preview (not some of the curves)."""
        return self.pieces[0].parts is not None

    @property
    def sizes(self) -> list[int]:
        """Seed runs per chunk (a seed of each part in it)."""
        every = max(1, len(parts_of(KINDS[self.kind], self.config)))
        return [p.seeds * (len(p.parts) if p.parts else every) for p in self.pieces]

    @property
    def stage(self) -> str | None:
        """What `partial` shows: "seeds" (some seeds of every curve), "steps" (the first steps) or None (nothing)."""
        if self.frames and not self.by_parts:
            return "seeds"
        return "steps" if self.preview is not None else None

    @property
    def opening(self) -> bool:
        """Nothing to show yet: the next chunk is the one that gives the page its first chart."""
        return self.stage is None

    def next_chunk(self) -> tuple[int, BaseModel]:
        """(index, config) of the chunk to run next; index -1 is the first-steps preview."""
        if self.first_steps is not None and self.opening and not self.warm:
            return -1, self.first_steps
        return len(self.frames), self.chunk(len(self.frames))

    def chunk(self, i: int) -> BaseModel:
        kind, piece = KINDS[self.kind], self.pieces[i]
        config = self.config if piece.parts is None else with_parts(kind, self.config, piece.parts)
        span = seeds_of(kind, config)
        if span is None or piece.seeds == span[1]:
            return config
        return with_seeds(kind, config, span[0] + piece.offset, piece.seeds)

    def size_class(self) -> int:
        """log2 of the work before this job shows something new (its preview, or the rest of its seeds), in
        quarter seconds: the queue serves small classes first, so one heavy run does not hold up many light ones."""
        kind = KINDS[self.kind]
        index, config = self.next_chunk()
        if index < 0 or self.opening:
            cost = estimate(kind, config)
        else:
            cost = sum(estimate(kind, self.chunk(i)) for i in range(index, len(self.sizes)))
        return 0 if cost <= 0.25 else min(12, math.ceil(math.log2(cost / 0.25)))

    def partial(self) -> pd.DataFrame | None:
        """What the page can draw so far: the result, the seeds done so far, or the first-steps preview."""
        if self.result is not None:
            return self.result
        return self.combined() if self.stage == "seeds" else self.preview

    def combined(self) -> pd.DataFrame:
        """The chunks done so far, in the row order one whole run would give."""
        if len(self.frames) == 1:
            return self.frames[0]
        return in_run_order(pd.concat(self.frames, ignore_index=True), KINDS[self.kind].outer)


@dataclass(frozen=True)
class Status:
    """Where a page's configs stand: per config its frame so far (None: nothing yet) and whether it is complete."""

    frames: tuple[pd.DataFrame | None, ...]
    complete: tuple[bool, ...]
    stages: tuple[str | None, ...]  # per config: "full", "seeds" (some seeds), "steps" (first steps), None
    seeds_done: int
    seeds_total: int
    ahead: int  # chunks of other requests queued or running before this page's next chunk
    error: str | None
    version: int  # changes whenever any of the page's configs makes progress

    @property
    def done(self) -> bool:
        return self.error is not None or all(self.complete)

    @property
    def preview(self) -> bool:
        """Every config has at least its first chunk: a chart can be drawn from the seeds done so far."""
        return all(f is not None for f in self.frames)


def in_run_order(df: pd.DataFrame, outer: tuple[str, ...]) -> pd.DataFrame:
    """Chunks concatenated seed range by seed range, regrouped by the `outer` columns (each in order of first
    appearance, a stable sort), which is the order of one run over every seed."""
    if not outer:
        return df
    ranks = {f"_rank{i}": df[c].map({v: r for r, v in enumerate(pd.unique(df[c]))}) for i, c in enumerate(outer)}
    order = df.assign(**ranks).sort_values(list(ranks), kind="stable").index
    return df.loc[order].reset_index(drop=True)
