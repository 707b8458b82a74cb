"""The lab compute pool: chunking by seeds, one computation per config, priorities, leases, cancellation, errors.

Deterministic: a manual runner holds every submitted chunk until the test finishes it, and the clock is a
variable the test moves; nothing here waits on time.
"""

from __future__ import annotations

import dataclasses
import time
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool

import pandas as pd
import pytest
from pydantic import BaseModel, ConfigDict, Field

from explainer.experiments import DigitsConfig, MLPConfig, TrainConfig, digits_train
from explainer.lab.compute import kinds as kinds_module
from explainer.lab.compute.cache import ResultCache
from explainer.lab.compute.kinds import CHUNK_UNITS, KINDS, Kind, layout, plan
from explainer.lab.compute.runners import InlineRunner, call
from explainer.lab.compute.scheduler import EngineError, Scheduler


class Toy(BaseModel):
    """A seeded config: one row per seed, value = seed x size."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    seed: int = 0
    seeds: int = Field(8, ge=1)
    size: int = 1
    fail: bool = False


def toy_run(c: Toy) -> pd.DataFrame:
    if c.fail:
        raise ValueError("toy refuses")
    seeds = range(c.seed, c.seed + c.seeds)
    return pd.DataFrame({"seed": list(seeds), "value": [s * c.size for s in seeds]})


TOY = Kind(Toy, "tests.test_lab_compute:toy_run", per_seed=lambda c: 0.2, units=lambda c: 1)  # plan: 1, 5, 2


class Run(BaseModel):
    """A seeded training run: one row per (seed, step)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    seed: int = 0
    seeds: int = 4
    steps: int = 1000


def run_steps(c: Run) -> pd.DataFrame:
    return pd.DataFrame([{"seed": s, "step": t} for s in range(c.seed, c.seed + c.seeds) for t in range(c.steps)])


RUN = Kind(Run, "tests.test_lab_compute:run_steps", steps=True, fixed=lambda c: 0.01 * c.steps,
           per_seed=lambda c: 0.001 * c.steps)  # per-step overhead dominates: never split by seeds


class ManualRunner:
    """Holds each submitted chunk until `finish` runs it (or `crash` fails it)."""

    def __init__(self, workers: int = 1, queued_ahead: int = 0) -> None:
        self.workers, self.queued_ahead = workers, queued_ahead
        self.calls: list[tuple[str, BaseModel, Future]] = []

    def submit(self, entry: str, config) -> Future:
        fut: Future = Future()
        self.calls.append((entry, config, fut))
        return fut

    def finish(self, i: int = 0) -> BaseModel:
        entry, config, fut = self.calls.pop(i)
        fut.set_result(call(entry, config))
        return config

    def crash(self, exc: BaseException, i: int = 0) -> None:
        self.calls.pop(i)[2].set_exception(exc)

    def restart(self) -> None:
        pass


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def toy(monkeypatch):
    monkeypatch.setitem(KINDS, "toy", TOY)


def scheduler(runner, clock=None, tmp=None) -> Scheduler:
    return Scheduler(runner, ResultCache(directory=tmp), clock=clock or Clock(), lease_s=10)


def finish_all(runner: ManualRunner) -> None:
    while runner.calls:
        runner.finish()


def test_plan_splits_by_seeds_with_a_small_preview_first(toy):
    """A costly config runs as a preview chunk of at most PREVIEW_SEEDS seeds, then chunks covering every seed."""
    sizes = plan(TOY, Toy(seeds=8))
    assert sizes == [1, 5, 2] and sum(sizes) == 8
    big = MLPConfig(width=512, depth=20, batch_size=64, seeds=8)
    sizes = plan(KINDS["mlp"], big)
    assert len(sizes) > 1 and sizes[0] <= kinds_module.PREVIEW_SEEDS and sum(sizes) == 8


def test_plan_keeps_cheap_configs_whole():
    """A config estimated under SPLIT_S runs in one chunk: splitting would only add per-call overhead."""
    assert plan(KINDS["mlp"], MLPConfig(depth=6, width=16, seeds=8)) == [8]
    assert plan(KINDS["train"], TrainConfig()) == [4]


def test_plan_bounds_the_stored_units_of_a_chunk():
    """No chunk stores more than CHUNK_UNITS activations, however cheap it is estimated to be."""
    cfg = MLPConfig(depth=100, width=64, batch_size=1024, seeds=2)  # 6.5M units per seed, cheap to compute
    per_seed = KINDS["mlp"].units(cfg)
    assert plan(KINDS["mlp"], cfg) == [1, 1]
    cfg = MLPConfig(depth=50, width=64, batch_size=256, seeds=16)  # 0.8M units per seed
    sizes = plan(KINDS["mlp"], cfg)
    assert sum(sizes) == 16 and all(n * KINDS["mlp"].units(cfg) <= kinds_module.CHUNK_UNITS for n in sizes)
    assert per_seed > kinds_module.CHUNK_UNITS


def test_chunked_engine_frame_equals_the_whole_run(monkeypatch):
    """Seed s draws the same numbers alone or with others, so the chunks' frames concatenate to the full frame."""
    cfg = {"depth": 5, "width": 8, "batch_size": 8, "seeds": 5, "norm": "batch", "activation": "tanh"}
    monkeypatch.setattr(kinds_module, "CHUNK_UNITS", 2 * KINDS["mlp"].units(MLPConfig(**cfg)))  # 2 seeds a chunk
    pool = scheduler(InlineRunner())
    assert plan(KINDS["mlp"], MLPConfig(**cfg)) == [2, 2, 1]
    chunked = pool.result("mlp", cfg)
    from explainer.experiments import gradient_profile

    pd.testing.assert_frame_equal(chunked, gradient_profile(MLPConfig(**cfg)))


@pytest.mark.parametrize("kind,cfg", [
    ("transformer", {"model": {"placements": ("post", "pre"), "layers": 2, "batch_size": 2, "seeds": 3},
                     "steps": 12, "warmup_steps": 4}),
    ("precision", {"model": {"depth": 3, "width": 8, "batch_size": 8, "seeds": 3}, "steps": 6}),
    ("digits", {"depth": 2, "width": 8, "batch_size": 8, "steps": 4, "eval_every": 2, "seeds": 3}),
    ("phase", {"depth": 3, "width": 16, "batch_size": 2, "seeds": 3, "sigma_w_steps": 3, "sigma_b_steps": 2}),
])
def test_one_pass_labs_chunked_by_seeds_give_the_whole_runs_frame(monkeypatch, kind, cfg):
    """A one-pass lab's frame groups rows by placement/format/variant/grid point, then seed: chunks by seeds,
    regrouped, equal the whole run row for row."""
    monkeypatch.setattr(kinds_module, "CHUNK_UNITS", 1)  # one seed per chunk
    monkeypatch.setattr(kinds_module, "SPLIT_S", 0.0)
    monkeypatch.setitem(KINDS, kind, dataclasses.replace(KINDS[kind], fixed=lambda c: 0.0))
    config = KINDS[kind].model(**cfg)
    assert plan(KINDS[kind], config) == [1, 1, 1]
    chunked = scheduler(InlineRunner()).result(kind, cfg)
    pd.testing.assert_frame_equal(chunked, call(KINDS[kind].runner, config))


def test_the_same_config_asked_by_many_sessions_computes_once(toy):
    """Two sessions asking for the same config (dict with or without defaults) share one job and one result."""
    runner = ManualRunner()
    pool = scheduler(runner)
    a = pool.request("alice", [("toy", {"seeds": 8})])
    b = pool.request("bob", [("toy", {"seeds": 8, "seed": 0, "size": 1})])
    assert a == b and len(runner.calls) == 1
    finish_all(runner)
    st = pool.status(a)
    assert st.done and st.frames[0]["seed"].tolist() == list(range(8))
    assert pool.request("carol", [("toy", {})]) == a and not runner.calls  # cached now


def test_status_shows_a_preview_after_the_first_chunk(toy):
    """After the first chunk the page has a frame of those seeds (a preview), not yet complete."""
    runner = ManualRunner()
    pool = scheduler(runner)
    keys = pool.request("alice", [("toy", {"size": 3})])
    assert not pool.status(keys).preview
    runner.finish()
    st = pool.status(keys)
    assert st.preview and not st.done
    assert st.frames[0]["value"].tolist() == [0] and (st.seeds_done, st.seeds_total) == (1, 8)


def test_a_slow_training_run_previews_its_first_steps(monkeypatch):
    """A run too slow to preview by seeds shows its first steps first, then the whole run replaces them."""
    monkeypatch.setitem(KINDS, "run", RUN)
    runner = ManualRunner()
    pool = scheduler(runner)
    keys = pool.request("alice", [("run", {})])
    assert runner.finish().steps == 17  # about PREVIEW_S of the estimated 14 s
    st = pool.status(keys)
    assert st.preview and not st.done and st.frames[0]["step"].max() == 16
    assert runner.finish().steps == 1000
    st = pool.status(keys)
    assert st.done and len(st.frames[0]) == 4 * 1000


def test_the_digits_lab_runs_network_by_network_and_equals_one_whole_run(monkeypatch):
    """Its networks train one after the other (per-step overhead adds up per network, not per seed): a long job
    splits by network, in the engine's order, previews every network's first steps, keeps that preview until every
    network is done (not some of the curves), and its chunks join into exactly the frame of one whole run."""
    monkeypatch.setattr(kinds_module, "CHUNK_S", 0.1)  # a small net stands in for a long run
    monkeypatch.setattr(kinds_module, "PREVIEW_MAX_S", 0.1)
    cfg = DigitsConfig(variants=("residual", "baseline", "relu_he"), depth=3, width=8, batch_size=8, steps=30,
                       eval_every=10, seeds=2)
    pieces, preview = layout(KINDS["digits"], cfg)
    assert [p.parts for p in pieces] == [("baseline",), ("relu_he",), ("residual",)]
    assert preview.variants == cfg.variants and preview.steps < cfg.steps
    runner = ManualRunner(workers=1)
    pool = scheduler(runner)
    keys = pool.request("alice", [("digits", cfg)])
    runner.finish()
    status = pool.status(keys)
    assert status.stages == ("steps",) and set(status.frames[0]["variant"]) == set(cfg.variants)
    runner.finish()  # the first network
    status = pool.status(keys)
    assert status.stages == ("steps",) and status.frames[0]["step"].max() == preview.steps
    assert (status.seeds_done, status.seeds_total) == (2, 6)
    finish_all(runner)
    pd.testing.assert_frame_equal(pool.status(keys).frames[0], digits_train(cfg))


def test_every_preview_runs_before_any_refinement(toy):
    """With one worker, a later page's first chunk runs before an earlier page's second chunk."""
    runner = ManualRunner(workers=1)
    pool = scheduler(runner)
    pool.request("alice", [("toy", {"size": 1})])
    pool.request("bob", [("toy", {"size": 2})])
    assert runner.finish().size == 1  # alice's preview
    assert runner.finish().size == 2  # bob's preview, before alice's refinement
    assert runner.calls[0][1].size == 1 and runner.calls[0][1].seed == 1  # then alice's seeds 1..5


def test_an_overlay_waits_behind_every_first_chart(toy, monkeypatch):
    """Theory curves (an overlay over runs a page already shows) run after other pages' previews, before
    refinements."""
    monkeypatch.setitem(KINDS, "overlay", dataclasses.replace(TOY, overlay=True))
    runner = ManualRunner(workers=1)
    pool = scheduler(runner)
    pool.request("alice", [("toy", {"size": 1})])  # runs at once
    pool.request("bob", [("overlay", {"size": 2})])
    pool.request("carol", [("toy", {"size": 3})])
    assert runner.finish().size == 1
    assert runner.finish().size == 3  # carol's preview, asked later, before bob's overlay
    assert runner.finish().size == 2  # then the overlay, before alice's refinement
    assert runner.calls[0][1].size == 1


def test_a_light_run_overtakes_a_heavy_one_waiting(toy):
    """Within a class the queue serves smaller jobs first: a cheap config asked later refines before a costly one."""
    runner = ManualRunner(workers=1)
    pool = scheduler(runner)
    pool.request("alice", [("toy", {"size": 1, "seeds": 8})])  # 1 seed, then 7 more (1.4 s)
    pool.request("carol", [("toy", {"size": 3, "seeds": 3})])  # 1 seed, then 2 more (0.4 s)
    assert runner.finish().size == 1 and runner.finish().size == 3  # the previews, in order of asking
    assert runner.finish().size == 3  # carol's rest before alice's
    assert runner.calls[0][1].size == 1


def test_long_chunks_leave_a_worker_for_short_ones(toy, monkeypatch):
    """With two workers, a second long chunk waits while a short one (a preview, a cheap config) takes the worker."""
    monkeypatch.setitem(KINDS, "slow", dataclasses.replace(TOY, per_seed=lambda c: 2.0))  # 2 s per seed
    runner = ManualRunner(workers=2)
    pool = scheduler(runner)
    pool.request("alice", [("slow", {"size": 1})])
    pool.request("bob", [("slow", {"size": 2})])
    assert [c.size for _, c, _ in runner.calls] == [1]  # bob's long chunk waits
    pool.request("carol", [("toy", {"size": 3})])
    assert [c.size for _, c, _ in runner.calls] == [1, 3]
    runner.finish(0)  # alice's chunk done: bob's may start now
    assert sorted(c.size for _, c, _ in runner.calls) == [2, 3]


def test_refinements_leave_a_worker_for_the_next_first_chart(toy):
    """With two workers, refinements (and warming) take one at most: a learner who just moved a slider does not
    wait for every worker to finish other learners' remaining seeds."""
    runner = ManualRunner(workers=2)
    pool = scheduler(runner)
    pool.request("alice", [("toy", {"size": 1})])
    pool.request("bob", [("toy", {"size": 2})])
    assert [(c.size, c.seeds) for _, c, _ in runner.calls] == [(1, 1), (2, 1)]  # both previews
    runner.finish(0)
    runner.finish(0)
    assert [(c.size, c.seeds) for _, c, _ in runner.calls] == [(1, 5)]  # alice's refinement; bob's waits
    pool.request("carol", [("toy", {"size": 3})])
    assert [(c.size, c.seeds) for _, c, _ in runner.calls] == [(1, 5), (3, 1)]  # carol's preview at once
    runner.finish(1)
    assert [(c.size, c.seeds) for _, c, _ in runner.calls] == [(1, 5)]  # refinements still one at a time
    finish_all(runner)
    assert pool.pending() == 0


def test_heavy_chunks_run_one_at_a_time(toy, monkeypatch):
    """A chunk keeping more than CHUNK_UNITS floats (a seed too big to split) waits while another one runs, so two
    workers never reach their peak memory together; a light chunk takes the other worker meanwhile."""
    monkeypatch.setitem(KINDS, "big", dataclasses.replace(TOY, units=lambda c: CHUNK_UNITS + 1))
    runner = ManualRunner(workers=2)
    pool = scheduler(runner)
    pool.request("alice", [("big", {"seeds": 1, "size": 1})])
    pool.request("bob", [("big", {"seeds": 1, "size": 2})])
    pool.request("carol", [("toy", {"size": 3})])
    assert [c.size for _, c, _ in runner.calls] == [1, 3]  # bob's heavy run waits for alice's
    runner.finish(0)
    assert [c.size for _, c, _ in runner.calls] == [3, 2]


def test_a_wide_precision_profile_is_heavy_and_the_default_is_not():
    """The one-pass precision profile cannot be split by seeds: its memory estimate marks its widest settings heavy."""
    from explainer.experiments.configs import PrecisionConfig
    from explainer.lab.compute.kinds import chunk_units

    kind = KINDS["precision_profile"]
    assert chunk_units(kind, PrecisionConfig()) <= CHUNK_UNITS < chunk_units(kind, PrecisionConfig(width=256))


def test_default_pool_keeps_a_worker_for_first_charts():
    """Two workers at least (one core but the server's each on bigger machines)."""
    from explainer.lab.compute import default_workers

    assert [default_workers(n) for n in (1, 2, 3, 8)] == [2, 2, 2, 7]


def test_a_busy_worker_gets_the_next_short_chunk_in_its_queue(toy):
    """With a queue slot, the next short interactive chunk waits in the worker's queue (no idle hand-over between
    chunks); a long chunk or a warm one never does, so a new preview waits behind one short chunk at most."""
    runner = ManualRunner(workers=1, queued_ahead=1)
    pool = scheduler(runner)
    pool.warm([("toy", {"size": 9})])
    assert [c.size for _, c, _ in runner.calls] == [9]  # nothing else waited: warming's first chunk runs
    pool.request("alice", [("toy", {"size": 1})])
    assert [c.size for _, c, _ in runner.calls] == [9, 1]  # alice's preview (0.2 s) waits in the queue
    pool.request("bob", [("toy", {"size": 2})])
    assert [c.size for _, c, _ in runner.calls] == [9, 1]  # the slot is taken
    runner.finish()
    assert [c.size for _, c, _ in runner.calls] == [1, 2]  # warming's chunk done: bob's preview queues
    runner.finish()
    assert [c.size for _, c, _ in runner.calls] == [2]  # alice's 1 s refinement is too long to wait in line
    while runner.calls:  # bob's preview, then every refinement and warming's remaining chunks: one at a time
        runner.finish()
        assert len(runner.calls) <= 1
    assert pool.pending() == 0


def test_queue_position_counts_the_chunks_ahead(toy):
    """A page waiting behind others reports how many chunks go first."""
    runner = ManualRunner(workers=1)
    pool = scheduler(runner)
    pool.request("alice", [("toy", {"size": 1})])
    pool.request("bob", [("toy", {"size": 2})])
    carol = pool.request("carol", [("toy", {"size": 3})])
    assert pool.status(carol).ahead == 2  # alice's running preview and bob's queued one


def test_a_page_is_not_queued_behind_its_own_running_chunk(toy):
    """A page whose first config runs while its second waits is not told that other learners go first."""
    runner = ManualRunner(workers=1)
    pool = scheduler(runner)
    keys = pool.request("alice", [("toy", {"size": 1}), ("toy", {"size": 2})])
    assert len(runner.calls) == 1  # size 1's preview runs, size 2's waits
    assert pool.status(keys).ahead == 0
    bob = pool.request("bob", [("toy", {"size": 3})])
    assert pool.status(bob).ahead == 2  # alice's running chunk and her queued preview


def test_warming_runs_only_when_no_session_waits(toy):
    """Warm configs wait behind every session's chunks; asking for one promotes it to a session's priority."""
    runner = ManualRunner(workers=1)
    pool = scheduler(runner)
    done = []
    assert pool.warm([("toy", {"size": 7}), ("toy", {"size": 8})], on_done=lambda: done.append(True)) == 2
    assert runner.calls[0][1].size == 7  # nothing else waited
    pool.request("alice", [("toy", {"size": 1})])
    pool.request("bob", [("toy", {"size": 8})])  # promoted out of the warm queue
    runner.finish()
    assert runner.calls[0][1].size == 1  # alice's preview before warm size 7's second chunk
    finish_all(runner)
    assert done == [True] and pool.warm_left == 0 and pool.pending() == 0


def test_warming_reads_no_stored_result(toy, tmp_path):
    """A restart over a full disk cache: warming finds every config stored and queues nothing, without parsing a
    single file in the server process or filling the memory cache; a session's request then reads its own."""
    stored = ResultCache(directory=tmp_path)
    runner = ManualRunner(workers=1)
    pool = Scheduler(runner, stored)
    pool.warm([("toy", {"size": 7})])
    finish_all(runner)
    restarted = ResultCache(directory=tmp_path)
    reads = []
    restarted._read = lambda key, read=restarted._read: reads.append(key) or read(key)
    pool = Scheduler(ManualRunner(workers=1), restarted)
    done = []
    assert pool.warm([("toy", {"size": 7})], on_done=lambda: done.append(True)) == 0
    assert done == [True] and reads == [] and not restarted._memory
    key = pool.request("alice", [("toy", {"size": 7})])[0]
    assert reads == [key] and pool.status([key]).done


def test_warming_is_done_when_its_last_config_was_taken_over_by_a_session(toy):
    """A warm config a session asks for leaves warming's count; if it was the last, warming is done all the same
    (the start-up thread then queues the theory overlays and writes its marker)."""
    runner = ManualRunner(workers=1)
    pool = scheduler(runner)
    done = []
    pool.warm([("toy", {"size": 7})], on_done=lambda: done.append(True))
    pool.request("alice", [("toy", {"size": 7})])
    assert done == [True] and pool.warm_left == 0
    finish_all(runner)
    assert done == [True] and pool.pending() == 0


def test_a_session_that_moves_on_cancels_work_nobody_wants(toy):
    """Asking for a new page drops the session's interest in the old one: its next chunk never runs."""
    runner = ManualRunner(workers=1)
    pool = scheduler(runner)
    old = pool.request("alice", [("toy", {"size": 1})])
    pool.request("alice", [("toy", {"size": 2})])
    runner.finish()  # the old page's running preview completes, but nobody wants the rest
    assert runner.calls[0][1].size == 2
    finish_all(runner)
    assert all(c.size == 2 for _, c, _ in runner.calls) and pool.pending() == 0
    assert pool.status(old).complete == (False,)  # dropped: a page asking again starts it anew


def test_a_lapsed_lease_cancels_queued_work(toy):
    """A session that stops asking (closed tab) loses its claim after the lease; its queued chunks are dropped."""
    clock = Clock()
    runner = ManualRunner(workers=1)
    pool = scheduler(runner, clock)
    pool.request("alice", [("toy", {"size": 1})])
    bob = pool.request("bob", [("toy", {"size": 2})])
    clock.now = 5.0
    pool.request("alice", [("toy", {"size": 1})])  # alice polls; bob has gone quiet
    clock.now = 12.0
    runner.finish()  # alice's preview; bob's lease (until 10.0) has lapsed
    assert [c.size for _, c, _ in runner.calls] == [1]
    assert pool.status(bob).error


def test_a_job_shared_with_another_session_survives_one_leaving(toy):
    """Cancelling needs every holder gone: the other session's claim keeps the job running."""
    runner = ManualRunner(workers=1)
    pool = scheduler(runner)
    keys = pool.request("alice", [("toy", {"size": 1})])
    pool.request("bob", [("toy", {"size": 1})])
    pool.release("alice")
    finish_all(runner)
    assert pool.status(keys).done


def test_a_page_stops_waiting_once_it_can_show_a_preview(toy):
    """With preview_after, wait returns once every config has its first chunk (and that long has passed), not at
    its timeout: under load a page draws the labelled preview at once instead of waiting for the full band."""
    runner = ManualRunner()
    pool = scheduler(runner)
    keys = pool.request("a", [("toy", {"seeds": 8})])
    assert not pool.wait(keys, timeout=0.0, preview_after=0.0).preview  # nothing computed yet
    runner.finish()  # the preview chunk
    t0 = time.monotonic()
    status = pool.wait(keys, timeout=60.0, preview_after=0.0)
    assert status.preview and not status.done and time.monotonic() - t0 < 30
    finish_all(runner)
    assert pool.wait(keys, timeout=60.0).done


def test_blocking_result_waits_for_the_job_and_raises_engine_errors(toy):
    """result() returns the full frame; a config the engine refuses raises EngineError with the engine's message."""
    pool = scheduler(InlineRunner())
    assert pool.result("toy", {"size": 2})["value"].tolist() == [2 * s for s in range(8)]
    with pytest.raises(EngineError, match="toy refuses"):
        pool.result("toy", {"fail": True})


def test_an_engine_error_reaches_the_page_status(toy):
    """A failing config's status carries the error instead of waiting forever."""
    runner = ManualRunner()
    pool = scheduler(runner)
    keys = pool.request("alice", [("toy", {"fail": True})])
    runner.crash(ValueError("toy refuses"))
    st = pool.status(keys)
    assert st.done and "toy refuses" in st.error
    pool.request("alice", [("toy", {"fail": True})])  # the page polling again does not rerun it
    assert not runner.calls and "toy refuses" in pool.status(keys).error


def test_a_dead_worker_is_retried_once(toy):
    """A chunk whose worker process died is run once more before the job fails."""
    runner = ManualRunner()
    pool = scheduler(runner)
    keys = pool.request("alice", [("toy", {"seeds": 1})])
    runner.crash(BrokenProcessPool("killed"))
    assert len(runner.calls) == 1  # resubmitted
    runner.finish()
    assert pool.status(keys).done and pool.status(keys).error is None


def test_results_on_disk_serve_another_replica(toy, tmp_path):
    """A result written by one server is read by another sharing the cache directory, without recomputing."""
    first = scheduler(InlineRunner(), tmp=tmp_path)
    frame = first.result("toy", {"size": 5})
    runner = ManualRunner()
    second = scheduler(runner, tmp=tmp_path)
    keys = second.request("bob", [("toy", {"size": 5})])
    assert not runner.calls
    pd.testing.assert_frame_equal(second.status(keys).frames[0], frame)


def test_disk_cache_round_trips_engine_frames_exactly(tmp_path):
    """Every column and dtype of the engine's frames survives the parquet file (training frames included)."""
    from explainer.experiments import gradient_profile, train_run

    cache = ResultCache(directory=tmp_path)
    for i, df in enumerate([gradient_profile(MLPConfig(depth=3, width=4, seeds=2)),
                            train_run(TrainConfig(model=MLPConfig(depth=2, width=4, seeds=2), steps=3))]):
        cache.persist(f"k{i}", df)
        pd.testing.assert_frame_equal(ResultCache(directory=tmp_path).get(f"k{i}"), df)


def test_keys_name_the_config_and_the_engine_version():
    """The same config (defaults spelt out or not) has one key; another config or engine version another."""
    from explainer.lab.compute.cache import result_key

    assert result_key("mlp", MLPConfig()) == result_key("mlp", MLPConfig(depth=20, seeds=8))
    assert result_key("mlp", MLPConfig()) != result_key("mlp", MLPConfig(depth=21))
    assert result_key("mlp", MLPConfig(), "v1") != result_key("mlp", MLPConfig(), "v2")


def test_disk_cache_stays_under_its_cap(tmp_path):
    """Past its cap the directory drops its least recently used files."""
    df = pd.DataFrame({"x": range(10_000)})
    ResultCache(directory=tmp_path / "one").persist("size", df)
    size = (tmp_path / "one" / "si" / "size.parquet").stat().st_size
    cache = ResultCache(directory=tmp_path / "capped", disk_bytes=int(3.5 * size))
    for i in range(12):
        cache.persist(f"{i:02d}key", df)
    files = sorted(p.name for p in (tmp_path / "capped").glob("*/*.parquet"))
    assert len(files) <= 3 and "11key.parquet" in files and "00key.parquet" not in files


def test_memory_cache_evicts_by_bytes():
    """The in-memory LRU keeps the most recent frames within its byte cap."""
    df = pd.DataFrame({"x": range(1000)})  # 8 kB of int64 plus the index
    cache = ResultCache(memory_bytes=20_000)
    for key in "abc":
        cache.remember(key, df)
    assert cache.peek("a") is None and cache.peek("c") is not None


def test_warm_list_starts_with_every_page_default_and_reaches_each_extreme():
    """Warming covers each lab page's defaults first, then every one-control move, all valid configs."""
    from explainer.lab.compute.warming import page_items, page_settings, warm_items
    from explainer.lab.specs import LABS

    items = warm_items()
    texts = [f"{k}:{KINDS[k].model(**c).model_dump_json()}" for k, c in items]
    assert len(texts) == len(set(texts))
    assert all(lab.kind in KINDS for lab in LABS.values())
    defaults = {f"{k}:{KINDS[k].model(**c).model_dump_json()}" for lab in LABS.values()
                for k, c in page_items(lab.kind, lab.variants(lab.defaults))}
    assert set(texts[:len(defaults)]) == defaults
    depth_max = next(v for v in page_settings(LABS["lab-activations"]) if v["depth"] == 100)
    assert all(("mlp", c) in items for _, c in LABS["lab-activations"].variants(depth_max))


def test_warmed_theory_covers_the_mlp_pages_variants_and_nothing_else():
    """The theory warming list: each MLP page's variants at every warmed setting, once each; no other lab's."""
    from pydantic import ValidationError

    from explainer.lab.compute.warming import page_settings, theory_configs
    from explainer.lab.specs import LABS

    texts = [KINDS["mlp"].model(**c).model_dump_json() for c in theory_configs()]
    assert len(texts) == len(set(texts))
    expected = set()
    for lab in (lab for lab in LABS.values() if lab.kind == "mlp"):
        for values in page_settings(lab):
            try:
                expected |= {KINDS["mlp"].model(**c).model_dump_json() for _, c in lab.variants(values)}
            except ValidationError:
                continue
    assert set(texts) == expected and len(expected) > 100


def test_a_spawned_worker_returns_the_engines_frame():
    """The process runner (the server's default) runs a config in a spawned worker and returns the same frame."""
    from explainer.experiments import gradient_profile
    from explainer.lab.compute.runners import ProcessRunner

    cfg = MLPConfig(depth=3, width=4, batch_size=8, seeds=2)
    runner = ProcessRunner(1)
    try:
        frame = runner.submit(KINDS["mlp"].runner, cfg).result(timeout=300)
    finally:
        runner.close()
    pd.testing.assert_frame_equal(frame, gradient_profile(cfg))


def test_a_worker_importing_the_app_file_runs_nothing():
    """A spawned worker imports the parent's main file (streamlit_app.py under `streamlit run`) as __mp_main__:
    that must not import streamlit, draw the router, or start warming (a worker starting a pool of its own would
    spawn workers without end)."""
    import subprocess
    import sys

    from tests.conftest import APP

    code = ("import runpy, sys, explainer.lab.compute as c, explainer.lab.warmup as w; "
            "runpy.run_path(sys.argv[1], run_name='__mp_main__'); "
            "print('streamlit' in sys.modules, w.started(), c._shared is not None)")
    out = subprocess.run([sys.executable, "-c", code, APP], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.split() == ["False", "False", "False"]


def test_start_up_warming_computes_the_mlp_pages_theory_overlays_then_marks_itself_done(monkeypatch, tmp_path):
    """Warming runs the pages' configs, then the MLP pages' theory overlays anchored to those runs (a lab view
    of a warmed page then computes nothing), then writes its marker."""
    from explainer.lab import compute

    class Counting(InlineRunner):
        entries: list[str] = []

        def submit(self, entry, config):
            self.entries.append(entry)
            return super().submit(entry, config)

    cfg = {"depth": 4, "width": 8, "batch_size": 8, "seeds": 2}
    runner = Counting()
    monkeypatch.setattr(compute, "warm_items", lambda: [("mlp", cfg)])
    monkeypatch.setattr(compute, "theory_configs", lambda: [cfg])
    monkeypatch.setattr(compute, "_shared", Scheduler(runner, ResultCache(directory=None)))
    monkeypatch.setenv("GRADIENT_LAB_CACHE_DIR", str(tmp_path))
    compute.warm()
    assert runner.entries == [KINDS["mlp"].runner, KINDS["theory"].runner]
    assert compute.warm_marker().exists()
