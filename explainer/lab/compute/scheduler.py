"""The compute scheduler: one queue of engine chunks for every session, run by a bounded pool of workers.

A page asks for its configs on behalf of a holder (one session): a cached config is ready at once; any other
becomes a job (or joins the job another session already started: each config computes once), split by seeds or
parts into chunks (kinds.layout). Chunks run in priority order: every job's first chunk (the preview) before an
overlay's (theory curves drawn over runs a page already shows), those before any later chunk, start-up warming
only when nothing else waits, and within each, smaller jobs (by log2 of their estimated work) before larger ones,
then the oldest request first. A holder keeps its interest alive by asking again (a lease of `lease_s` seconds; the
page's progress panel asks every second) and holds one page at a time: asking for a new page drops its interest in
the old one. A job nobody holds is dropped before its next chunk, so a session that leaves leaves no work behind.
Pure: no torch, no streamlit; the clock is injectable.
"""

from __future__ import annotations

import heapq
import itertools
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool

import pandas as pd
from pydantic import BaseModel

from explainer.lab.compute.cache import ResultCache, result_key
from explainer.lab.compute.jobs import Job, Status
from explainer.lab.compute.kinds import CHUNK_UNITS, KINDS, chunk_units, estimate, layout

# Chunk priority classes, lowest first; within one, small jobs first. An overlay (drawn over runs a page already
# shows, e.g. the theory curves) is never a page's first chart: it waits behind every first chunk.
PREVIEW, OVERLAY, REFINE, WARM = 0, 1, 2, 3
LEASE_S = 15.0
LONG_S = 1.0  # a chunk estimated longer than this is long; long and background chunks may occupy every worker but one
AHEAD_S = 0.3  # a chunk this short may wait in a busy worker's queue (a runner's `queued_ahead`)


class EngineError(RuntimeError):
    """The engine raised while running a config; the message is the engine's."""


class Scheduler:
    """Runs engine configs for many sessions on `runner` (see runners.py), caching results in `cache`."""

    def __init__(self, runner, cache: ResultCache, *, clock: Callable[[], float] = time.monotonic,
                 lease_s: float = LEASE_S) -> None:
        self.runner, self.cache, self.clock, self.lease_s = runner, cache, clock, lease_s
        self.workers = runner.workers
        self.queued_ahead = getattr(runner, "queued_ahead", 0)
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._jobs: dict[str, Job] = {}
        self._heap: list[tuple] = []
        self._order = itertools.count()  # heap tie-breaker
        self._seq = itertools.count()  # interactive request order
        self._warm_seq = itertools.count(10**12)
        self._held: dict[str, set[str]] = {}  # holder -> keys of the jobs it holds
        self._running = 0
        self._background = 0  # running chunks that may not take the last free worker (long, refining or warming)
        self._heavy = 0  # running chunks over CHUNK_UNITS: one at a time, so two workers never peak together
        self._failed: dict[str, str] = {}  # key -> the engine's message, for the pages still asking (recent ones)
        self.warm_left = 0
        self._on_warm: Callable[[], None] | None = None

    # -- asking --------------------------------------------------------------------------------------------------
    def request(self, holder: str, items: Iterable[tuple[str, dict | BaseModel]]) -> list[str]:
        """Ask for (kind, config) items for `holder`; returns their keys (for `status`). Renews the holder's lease
        and drops its interest in any job it held that is not among these."""
        keyed = [self._keyed(kind, cfg) for kind, cfg in items]
        for _, _, key in keyed:
            self.cache.get(key)  # brings a result another replica (or an earlier run) wrote into memory
        expiry = self.clock() + self.lease_s
        with self._lock:
            wanted = set()
            for kind, config, key in keyed:
                if self.cache.peek(key) is not None or key in self._failed:
                    continue  # done, or failed recently: the status says so, asking again does not rerun it
                job = self._job(kind, config, key)
                job.holders[holder] = expiry
                wanted.add(key)
            for key in self._held.get(holder, set()) - wanted:
                job = self._jobs.get(key)
                if job is not None:
                    job.holders.pop(holder, None)
            self._held[holder] = wanted
            self._pump()
        return [key for _, _, key in keyed]

    def release(self, holder: str) -> None:
        """The holder needs nothing any more (it left the page)."""
        with self._lock:
            for key in self._held.pop(holder, set()):
                job = self._jobs.get(key)
                if job is not None:
                    job.holders.pop(holder, None)

    def status(self, keys: list[str]) -> Status:
        with self._lock:
            frames, complete, stages, done, total, version, errors, jobs = [], [], [], 0, 0, 0, [], []
            for key in keys:
                job = self._jobs.get(key)
                if job is None:
                    hit = self.cache.peek(key)
                    frames.append(hit)
                    complete.append(hit is not None)
                    stages.append("full" if hit is not None else None)
                    if hit is None:
                        errors.append(self._failed.get(key, "not computed: ask for it again"))
                    continue
                jobs.append(job)
                frames.append(job.partial())
                complete.append(False)
                stages.append(job.stage)
                done += sum(job.sizes[:len(job.frames)])
                total += sum(job.sizes)
                version += job.version
            error = errors[0] if errors else None
            return Status(tuple(frames), tuple(complete), tuple(stages), done, total, self._ahead(jobs), error,
                          version)

    def wait(self, keys: list[str], timeout: float, since: int | None = None,
             preview_after: float | None = None) -> Status:
        """Block up to `timeout` seconds until the page is done (or, with `since`, until its version changes; with
        `preview_after`, until every config can show a preview and that many seconds have passed: a page that
        would otherwise wait out its timeout draws the preview now)."""
        start = time.monotonic()
        deadline = start + timeout
        with self._changed:
            while True:
                done, shown, version = self._progress(keys)
                now = time.monotonic()
                if (done or (since is not None and version != since) or now >= deadline
                        or (preview_after is not None and shown and now - start >= preview_after)):
                    return self.status(keys)
                step = deadline - now
                if preview_after is not None and shown:
                    step = min(step, start + preview_after - now)
                self._changed.wait(min(step, 1.0))
                self._pump()  # every second: a queued chunk never waits for another session's request to start

    def _progress(self, keys: list[str]) -> tuple[bool, bool, int]:
        """(every key finished or failed, every key has something to show, sum of versions): the cheap part of
        `status`, for waiting."""
        done, shown, version = True, True, 0
        for key in keys:
            job = self._jobs.get(key)
            if job is not None:
                done = False
                shown = shown and not job.opening
                version += job.version
        return done, shown, version

    def result(self, kind: str, cfg: dict | BaseModel) -> pd.DataFrame:
        """One config's full frame, computed now at interactive priority if not cached (blocks until done)."""
        return self.results([(kind, cfg)])[0]

    def results(self, items: Iterable[tuple[str, dict | BaseModel]]) -> list[pd.DataFrame]:
        """Several configs' full frames, all queued at once (blocks until every one is done); EngineError if any
        failed."""
        keyed = [self._keyed(kind, cfg) for kind, cfg in items]
        out: dict[str, pd.DataFrame] = {key: hit for _, _, key in keyed if (hit := self.cache.get(key)) is not None}
        with self._changed:
            jobs = []
            for kind, config, key in keyed:
                hit = out.get(key)
                if hit is None and (hit := self.cache.peek(key)) is not None:
                    out[key] = hit
                if hit is not None:
                    continue
                if key in self._failed:
                    raise EngineError(self._failed[key])
                job = self._job(kind, config, key)
                job.waiters += 1
                jobs.append(job)
            try:
                self._pump()
                while not all(job.done for job in jobs):
                    self._changed.wait()
            finally:
                for job in jobs:
                    job.waiters -= 1
        for job in jobs:
            if job.error is not None:
                raise EngineError(job.error)
            out[job.key] = job.result
        return [out[key] for _, _, key in keyed]

    def warm(self, items: Iterable[tuple[str, dict | BaseModel]], on_done: Callable[[], None] | None = None) -> int:
        """Queue configs at the lowest priority (run only when no session waits); returns how many were queued."""
        keyed = [(kind, config, key) for kind, config, key in (self._keyed(k, c) for k, c in items)
                 if not self.cache.has(key)]
        with self._lock:
            n = 0
            for kind, config, key in keyed:
                if key in self._jobs or self.cache.peek(key) is not None:
                    continue
                self._job(kind, config, key, warm=True)
                n += 1
            self.warm_left += n
            self._on_warm = on_done
            if not self.warm_left and on_done:
                on_done()
            self._pump()
            return n

    def pending(self) -> int:
        """Jobs queued or running."""
        with self._lock:
            return len(self._jobs)

    # -- inside ---------------------------------------------------------------------------------------------------
    def _keyed(self, kind: str, cfg: dict | BaseModel) -> tuple[str, BaseModel, str]:
        model = KINDS[kind].model
        config = cfg if isinstance(cfg, model) else model(**cfg)
        return kind, config, result_key(kind, config)

    def _job(self, kind: str, config: BaseModel, key: str, warm: bool = False) -> Job:
        """The job computing `key`, created and queued if there is none; a warm job asked for is promoted."""
        job = self._jobs.get(key)
        if job is None:
            seq = next(self._warm_seq) if warm else next(self._seq)
            pieces, preview = layout(KINDS[kind], config)
            job = Job(key, kind, config, pieces, seq, warm=warm, first_steps=preview)
            self._jobs[key] = job
            self._enqueue(job)
        elif job.warm and not warm:
            job.warm = False  # a session asks for it: no longer warming's
            self._one_less_to_warm()
            job.seq = next(self._seq)
            if job.queued is not None:
                self._enqueue(job)  # the old heap entry goes stale
        return job

    def _enqueue(self, job: Job) -> None:
        cls = (WARM if job.warm else REFINE if not job.opening else OVERLAY if KINDS[job.kind].overlay
               else PREVIEW)
        job.queued = (cls, job.size_class(), job.seq, next(self._order))
        heapq.heappush(self._heap, (*job.queued, job.key))

    def _wanted(self, job: Job) -> bool:
        now = self.clock()
        for holder, expiry in list(job.holders.items()):
            if expiry <= now:
                del job.holders[holder]
        return job.warm or job.waiters > 0 or bool(job.holders)

    def _drop(self, job: Job) -> None:
        """Forget a job nobody wants any more (its finished chunks are discarded)."""
        self._jobs.pop(job.key, None)
        job.error = job.error or "cancelled: nobody is waiting for it"
        self._changed.notify_all()

    def _ahead(self, jobs: list[Job]) -> int:
        """Chunks of other requests queued before this page's next chunk, or running (the page's own running chunk
        is not another learner's)."""
        mine = [j.queued[:3] for j in jobs if j.queued is not None]
        if not mine:
            return 0
        best = min(mine)
        keys = {j.key for j in jobs}
        live = sum(1 for entry in self._heap
                   if entry[4] not in keys and entry[:3] < best and self._jobs.get(entry[4]) is not None
                   and self._jobs[entry[4]].queued == entry[:4])
        return live + sum(1 for job in self._jobs.values() if job.running and job.key not in keys)

    def _pump(self) -> None:
        """Start queued chunks while workers are free (under the lock). Long chunks (over LONG_S) and, with two
        workers or more, refinements and warming may hold all workers but one, so a page's first chunk never waits
        behind several of them; a heavy chunk (over CHUNK_UNITS floats) waits while another one runs. A runner with
        `queued_ahead` slots also gets that many short interactive chunks (up to AHEAD_S) while every worker is busy:
        a worker then starts its next chunk at once, instead of idling until the server's result thread (which
        needs the GIL that every page's script thread wants) has handed back the last one."""
        deferred = []
        while self._running < self.workers + self.queued_ahead and self._heap:
            *entry, key = heapq.heappop(self._heap)
            job = self._jobs.get(key)
            if job is None or job.queued != tuple(entry):
                continue  # stale entry: the job finished, was dropped or re-queued
            if not self._wanted(job):
                job.queued = None
                self._drop(job)
                continue
            index, config = job.next_chunk()
            cost = estimate(KINDS[job.kind], config)
            # With two workers or more, one stays free for the next page's first chart: under a burst, previews
            # queued behind refinements on every worker were what most late charts waited for.
            background = cost > LONG_S or (entry[0] >= REFINE and self.workers > 1)
            if self._running >= self.workers and (entry[0] == WARM or cost > AHEAD_S):
                deferred.append((*entry, key))
                break  # only the next chunk in line may wait in a worker's queue, and only a short one
            heavy = chunk_units(KINDS[job.kind], config) > CHUNK_UNITS
            if (background and self._background >= max(1, self.workers - 1)) or (heavy and self._heavy):
                deferred.append((*entry, key))
                continue
            job.queued = None
            job.running, job.background, job.heavy = True, background, heavy
            self._running += 1
            self._background += background
            self._heavy += heavy
            fut = self.runner.submit(KINDS[job.kind].runner, config)
            if fut.done():  # an inline runner: finish here, iteratively (no recursion through callbacks)
                self._settle(job, fut, index, persist=True)
            else:
                fut.add_done_callback(lambda f, j=job, i=index: self._finished(j, f, i))
        for entry in deferred:
            heapq.heappush(self._heap, entry)

    def _finished(self, job: Job, fut: Future, index: int) -> None:
        """A worker's chunk is done (called on the executor's thread)."""
        with self._lock:
            complete = self._settle(job, fut, index, persist=False)
            self._pump()
        if complete is not None:
            self.cache.persist(job.key, complete)  # disk I/O outside the lock; memory already has it

    def _settle(self, job: Job, fut: Future, index: int, persist: bool) -> pd.DataFrame | None:
        """Record a finished chunk: the job's next chunk is queued, or its result cached; returns a full result."""
        complete = None
        self._running -= 1
        self._background -= job.background
        self._heavy -= job.heavy
        job.running = job.background = job.heavy = False
        try:
            frame = fut.result()
        except BrokenProcessPool:
            if hasattr(self.runner, "restart"):
                self.runner.restart()
            if not job.retried:  # a worker died (e.g. killed for memory): try the chunk once more
                job.retried = True
                self._enqueue(job)
            else:
                self._fail(job, "a compute worker stopped while running this experiment")
        except Exception as e:  # noqa: BLE001 - the engine's message is shown on the page
            self._fail(job, f"{type(e).__name__}: {e}")
        else:
            job.version += 1
            if index < 0:
                job.preview = frame
            else:
                job.frames.append(frame)
            if len(job.frames) == len(job.sizes):
                complete = job.result = job.combined()
                self.cache.remember(job.key, complete)
                self._jobs.pop(job.key, None)
                self._warm_done(job)
                if persist:
                    self.cache.persist(job.key, complete)
            elif self._wanted(job):
                self._enqueue(job)
            else:
                self._drop(job)
        self._changed.notify_all()
        return complete

    def _fail(self, job: Job, message: str) -> None:
        job.error = message
        self._jobs.pop(job.key, None)
        self._failed[job.key] = message
        while len(self._failed) > 256:
            self._failed.pop(next(iter(self._failed)))
        self._warm_done(job)

    def _warm_done(self, job: Job) -> None:
        if job.warm:
            self._one_less_to_warm()

    def _one_less_to_warm(self) -> None:
        self.warm_left -= 1
        if self.warm_left == 0 and self._on_warm:
            self._on_warm()
