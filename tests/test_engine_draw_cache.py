"""The draw cache (seeding.DRAWS): hits equal fresh draws, callers cannot corrupt it, bounded and thread-safe."""

import threading

import numpy as np
import pandas as pd
import pytest
import torch

from explainer.experiments import MLPConfig, gradient_profile, seeding
from explainer.experiments.activations import RELU, SIGMOID, TANH
from explainer.experiments.seeding import DATA_STREAM, WEIGHT_STREAM, DrawCache, draw, stream

SMALL = {"depth": 5, "width": 12, "batch_size": 16, "seeds": 3}


@pytest.fixture
def cache(monkeypatch):
    """A fresh 4 MB cache in place of the process-wide one."""
    fresh = DrawCache(4 * 2**20)
    monkeypatch.setattr(seeding, "DRAWS", fresh)
    return fresh


def uncached(seeds, plan, stream_id=WEIGHT_STREAM):
    """The draws of `plan` [(shape, normal, count), ...] with the cache switched off: the reference numbers."""
    saved = seeding.DRAWS
    seeding.DRAWS = DrawCache(0)
    try:
        gens = [stream(s, stream_id) for s in seeds]
        return [draw(gens, shape, normal, count) for shape, normal, count in plan]
    finally:
        seeding.DRAWS = saved


def drawn(seeds, plan, stream_id=WEIGHT_STREAM):
    """The draws of `plan` through the current cache."""
    gens = [stream(s, stream_id) for s in seeds]
    return [draw(gens, shape, normal, count) for shape, normal, count in plan]


PLAN = [((4, 3), False, 1), ((4, 4), True, 5), ((4, 4), False, 5), ((7,), True, 2)]


def assert_same(got, want):
    assert len(got) == len(want)
    for g, w in zip(got, want, strict=True):
        assert torch.equal(g, w)


def test_hits_return_the_numbers_an_uncached_stream_draws(cache):
    """A second identical request is served from the cache and is bit-identical to drawing without a cache."""
    first = drawn([0, 1], PLAN)
    held = len(cache)
    second = drawn([0, 1], PLAN)
    assert held == 2 * len(PLAN) and len(cache) == held  # one entry per (seed, draw); the repeat added none
    assert_same(first, uncached([0, 1], PLAN))
    assert_same(second, first)


def test_a_seed_alone_draws_what_it_draws_among_others(cache):
    """Seed 1's slots are the same whether it runs alone or inside seeds 0-2, in either order of warming the cache."""
    among = drawn([0, 1, 2], PLAN)
    alone = drawn([1], PLAN)
    assert_same([a[:, 0] for a in alone], [a[:, 1] for a in among])
    cache.clear()
    alone_first = drawn([1], PLAN)
    among_after = drawn([0, 1, 2], PLAN)
    assert_same([a[:, 1] for a in among_after], [a[:, 0] for a in alone_first])


def test_a_partial_hit_then_a_miss_continues_the_stream_exactly(cache):
    """A stream served from the cache for its first draws, then missing, produces what an uncached stream would."""
    drawn([2], PLAN[:2])  # cache holds the first two draws only
    assert_same(drawn([2], PLAN), uncached([2], PLAN))
    other_tail = [PLAN[0], ((3, 3), True, 4)]  # same first draw, different second: a miss after a hit
    assert_same(drawn([2], other_tail), uncached([2], other_tail))


def test_reading_a_generator_after_cached_draws_positions_it_as_without_cache(cache):
    """`.uniform` / `.normal` of a stream whose draws came from the cache continue exactly after them."""
    drawn([3], PLAN, DATA_STREAM)  # warm: every draw below is a hit
    hit = stream(3, DATA_STREAM)
    for shape, normal, count in PLAN:
        draw([hit], shape, normal, count)
    seeding.DRAWS = DrawCache(0)
    ref = stream(3, DATA_STREAM)  # made while the cache is off: it generates every draw
    for shape, normal, count in PLAN:
        draw([ref], shape, normal, count)
    assert np.array_equal(hit.uniform.random(5), ref.uniform.random(5))
    assert torch.equal(torch.empty(20).normal_(generator=hit.normal), torch.empty(20).normal_(generator=ref.normal))


def test_changing_a_returned_tensor_does_not_change_the_cache(cache):
    """Callers get their own tensors: scaling one in place (as the initialisers do) leaves later hits intact."""
    want = uncached([0], PLAN)
    for t in drawn([0], PLAN):
        t.mul_(0).add_(7)
    assert_same(drawn([0], PLAN), want)


def test_the_cache_stays_under_its_cap_and_evicts_the_least_recently_used():
    """Held bytes never exceed the cap; a hit refreshes an entry, so the oldest untouched one goes first."""
    lru = DrawCache(4 * 400)  # room for four 100-float entries
    for key in "abcd":
        lru.put(key, torch.ones(100))
    assert lru.copy_into("a", torch.empty(100))  # refresh a: b is now the oldest
    lru.put("e", torch.ones(100))
    out = torch.empty(100)
    assert [lru.copy_into(k, out) for k in "abcde"] == [True, False, True, True, True]
    assert lru.nbytes == 1600 and len(lru) == 4


def test_an_entry_above_a_quarter_of_the_cap_is_not_kept():
    """One huge draw (a 64-seed, width-512 config) is generated but not cached, so it cannot flush everything else."""
    lru = DrawCache(1000)
    lru.put("small", torch.ones(10))
    lru.put("big", torch.ones(100))  # 400 bytes > 1000 // 4
    assert len(lru) == 1 and lru.nbytes == 40


def test_profiles_from_many_threads_equal_the_serial_ones(cache):
    """Sessions running the engine at once share the cache safely: every thread gets the serial frames."""
    inits = ("pytorch_default", "he_normal")
    cfgs = [MLPConfig(**SMALL, activation=a, init=i) for a in (SIGMOID.name, RELU.name) for i in inits]
    cache.clear()
    serial = [gradient_profile(c) for c in cfgs]
    cache.clear()
    results: dict[int, list[pd.DataFrame]] = {}

    def run(n):
        results[n] = [gradient_profile(c) for c in (cfgs if n % 2 else cfgs[::-1])]

    threads = [threading.Thread(target=run, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for n, frames in results.items():
        for got, want in zip(frames if n % 2 else frames[::-1], serial, strict=True):
            pd.testing.assert_frame_equal(got, want, check_exact=True)
    assert cache.nbytes <= cache.max_bytes


def test_a_profile_is_bit_identical_with_and_without_the_cache(cache):
    """gradient_profile gives exactly the same frame cold, warm (every draw a hit) and with the cache off."""
    cfg = MLPConfig(**SMALL, init="xavier_uniform", activation=TANH.name)
    cold = gradient_profile(cfg)
    warm = gradient_profile(cfg)
    seeding.DRAWS = DrawCache(0)
    off = gradient_profile(cfg)
    pd.testing.assert_frame_equal(warm, cold, check_exact=True)
    pd.testing.assert_frame_equal(off, cold, check_exact=True)


def test_zero_megabytes_in_the_environment_switches_the_cache_off(monkeypatch):
    """$GRADIENT_LAB_DRAW_CACHE_MB=0 gives a cap of 0 (streams never cache); junk falls back to the default."""
    monkeypatch.setenv(seeding.CACHE_MB_ENV, "0")
    assert seeding._cache_bytes() == 0
    monkeypatch.setenv(seeding.CACHE_MB_ENV, "lots")
    assert seeding._cache_bytes() == seeding.DEFAULT_CACHE_MB * 2**20
