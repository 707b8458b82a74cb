"""What the compute pool can run: per kind, the engine config class, its entry point, how to split it into chunks.

Every seeded runner draws seed s's numbers exactly as it would alone (explainer/experiments/seeding.py), so a job
can run its seeds in chunks (`seed`, `seeds` set per chunk) and the chunks' frames, concatenated, are the full
frame row for row: the first chunk is the preview, the rest refine it. A kind whose config lists independent runs
(the digits lab's networks) also splits along them (`Kind.parts`). Costs are rough one-core seconds, used only to
size the chunks. Pure: no torch, no streamlit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pydantic import BaseModel

from explainer.experiments.configs import (
    DIGITS_VARIANTS,
    PRECISION_RUNS,
    DigitsConfig,
    MLPConfig,
    PhaseConfig,
    PrecisionConfig,
    PrecisionTrainConfig,
    RNNConfig,
    TrainConfig,
    TransformerConfig,
    TransformerTrainConfig,
)
from explainer.lab.compute.engine_calls import AnchoredTheory

MACS_PER_S = 3e9  # forward multiply-adds per second of one core, backward included (bench: python -m bench engine)
PREVIEW_S = 0.25  # a preview chunk's target cost; it takes at most PREVIEW_SEEDS seeds
PREVIEW_SEEDS = 2
CHUNK_S = 1.0  # later chunks' target cost: a new request waits at most about this long for a worker
SPLIT_S = 0.5  # a job whose seeds cost less than this runs in one chunk: splitting would only add overhead
CHUNK_UNITS = 2**22  # floats a chunk keeps (activations, weights, gradients): bounds a worker's memory (~16 B each)
PREVIEW_MAX_S = 0.6  # a training run whose first chunk costs more previews its first steps (about PREVIEW_S)


@dataclass(frozen=True)
class Kind:
    """One kind of engine job."""

    model: type[BaseModel]  # validates a config dict once, in the requesting thread
    runner: str  # "module:function": the engine entry point, imported in the worker
    seeded: str | None = ""  # attribute holding `seed`/`seeds` ("" = the config itself); None: never split
    per_seed: Callable[[BaseModel], float] = lambda c: 0.0  # estimated seconds per seed
    fixed: Callable[[BaseModel], float] = lambda c: 0.0  # estimated seconds per call, whatever the seeds
    units: Callable[[BaseModel], int] = lambda c: 0  # floats kept per seed: activations, weights and gradients
    outer: tuple[str, ...] = ()  # frame columns that vary more slowly than `seed` (rows: placement, then seed)
    steps: bool = False  # a training run: the same config with fewer `steps` gives the first steps of the curves
    overlay: bool = False  # drawn over other runs' results (theory curves): never what a page shows first
    # (attribute, the engine's order): a tuple of independent runs, each computing alone exactly as beside the
    # others, one after the other (their per-step overhead adds up, unlike a seed's): a job splits along it first
    parts: tuple[str, tuple[str, ...]] | None = None


def _mlp_units(c: MLPConfig) -> int:
    """Floats a seed keeps: activations (batch x depth x width) and weights with their gradients."""
    return c.batch_size * c.depth * c.width + 2 * c.depth * c.width**2


def _rnn_units(c: RNNConfig) -> int:
    gates = {"lstm": 4, "gru": 3}.get(c.cell, 1)
    return gates * (c.batch_size * c.seq_len * c.hidden + 2 * c.hidden * (c.hidden + 4))


def _model_units(c: MLPConfig | RNNConfig) -> int:
    return _mlp_units(c) if isinstance(c, MLPConfig) else _rnn_units(c)


def _precision_units(c: PrecisionConfig) -> int:
    """Floats a seed keeps: every format's activations and its weights, gradients and optimizer state."""
    return PRECISION_RUNS * c.depth * c.width * (c.batch_size + 4 * c.width)


def _length(c: MLPConfig | RNNConfig) -> int:
    return c.depth if isinstance(c, MLPConfig) else c.seq_len


KINDS: dict[str, Kind] = {
    "mlp": Kind(MLPConfig, "explainer.experiments:gradient_profile",
                per_seed=lambda c: c.macs / c.seeds / MACS_PER_S, fixed=lambda c: 2e-3 + 3e-4 * c.depth,
                units=_mlp_units),
    "rnn": Kind(RNNConfig, "explainer.experiments:bptt_profile",
                per_seed=lambda c: c.macs / c.seeds / MACS_PER_S, fixed=lambda c: 2e-3 + 2e-4 * c.seq_len,
                units=_rnn_units),
    "train": Kind(TrainConfig, "explainer.experiments:train_run", seeded="model", steps=True,
                  per_seed=lambda c: c.model.macs / c.model.seeds * c.steps / MACS_PER_S,
                  fixed=lambda c: 2e-3 + 4e-4 * c.steps * _length(c.model),
                  units=lambda c: 2 * _model_units(c.model)),  # the optimizer's state doubles the weights' share
    # One-pass labs: every grid point, placement, format or variant in one call, its rows grouped by `outer`.
    "phase": Kind(PhaseConfig, "explainer.experiments:phase_diagram", outer=("sigma_w", "sigma_b"),
                  per_seed=lambda c: c.grid_points * c.batch_size * c.depth * c.width**2 / MACS_PER_S,
                  units=lambda c: c.grid_points * c.batch_size * c.depth * c.width),
    "critical_line": Kind(PhaseConfig, "explainer.experiments:critical_line", seeded=None),
    "theory": Kind(AnchoredTheory, "explainer.lab.compute.engine_calls:anchored_theory", seeded=None,
                   fixed=lambda c: 0.05, overlay=True),
    "transformer": Kind(TransformerTrainConfig, "explainer.experiments:transformer_train", seeded="model", steps=True,
                        outer=("placement", "warmup_steps"), fixed=lambda c: 4e-4 * c.steps * c.model.layers,
                        per_seed=lambda c: 4 * len(c.model.placements) * c.model.batch_size * c.model.seq_len
                        * c.model.layers * c.model.d_model**2 * (4 + 2 * c.model.ff_mult) * c.steps / MACS_PER_S),
    "transformer_profile": Kind(TransformerConfig, "explainer.experiments:transformer_profile", seeded=None),
    "precision": Kind(PrecisionTrainConfig, "explainer.experiments:precision_train", seeded="model", steps=True,
                      outer=("dtype", "scaling"), fixed=lambda c: 1e-4 * c.steps * c.model.depth,
                      per_seed=lambda c: PRECISION_RUNS * c.model.batch_size * c.model.depth * c.model.width**2
                      * c.steps / MACS_PER_S,
                      units=lambda c: _precision_units(c.model)),
    "precision_profile": Kind(PrecisionConfig, "explainer.experiments:precision_profile", seeded=None,
                              units=lambda c: c.seeds * _precision_units(c)),
    "digits": Kind(DigitsConfig, "explainer.experiments:digits_train", outer=("variant",), steps=True,
                   parts=("variants", DIGITS_VARIANTS),
                   fixed=lambda c: 3.5e-3 * len(c.variants) * c.steps,
                   per_seed=lambda c: len(c.variants) * c.batch_size * c.depth * c.width**2 * c.steps / MACS_PER_S,
                   units=lambda c: len(c.variants) * c.depth * c.width * (c.batch_size + 4 * c.width)),
    "digits_profile": Kind(DigitsConfig, "explainer.experiments:digits_profile", seeded=None),
}


def seeds_of(kind: Kind, config: BaseModel) -> tuple[int, int] | None:
    """(first seed, number of seeds) of a config, or None if the kind is never split."""
    if kind.seeded is None:
        return None
    holder = getattr(config, kind.seeded) if kind.seeded else config
    return holder.seed, holder.seeds


def with_seeds(kind: Kind, config: BaseModel, seed: int, seeds: int) -> BaseModel:
    """The same config over seeds seed..seed+seeds-1 (no re-validation: a subset of valid seeds is valid)."""
    if not kind.seeded:
        return config.model_copy(update={"seed": seed, "seeds": seeds})
    inner = getattr(config, kind.seeded).model_copy(update={"seed": seed, "seeds": seeds})
    return config.model_copy(update={kind.seeded: inner})


def parts_of(kind: Kind, config: BaseModel) -> tuple[str, ...]:
    """A config's parts in the order the engine emits them (empty if the kind has none)."""
    if kind.parts is None:
        return ()
    attr, order = kind.parts
    mine = set(getattr(config, attr))
    return tuple(p for p in order if p in mine)


def with_parts(kind: Kind, config: BaseModel, parts: tuple[str, ...]) -> BaseModel:
    """The same config over a subset of its parts (no re-validation: fewer parts is never over a budget)."""
    return config.model_copy(update={kind.parts[0]: parts})


def chunk_units(kind: Kind, config: BaseModel) -> int:
    """Floats a config keeps while it runs (all its seeds): what CHUNK_UNITS bounds. A single seed may exceed the
    bound (a seed is never split); such a chunk is heavy, and the scheduler runs one at a time."""
    span = seeds_of(kind, config)
    return kind.units(config) * (span[1] if span else 1)


def estimate(kind: Kind, config: BaseModel) -> float:
    """Rough one-core seconds of the whole config."""
    span = seeds_of(kind, config)
    return kind.fixed(config) + (kind.per_seed(config) * span[1] if span else 0.0)


def plan(kind: Kind, config: BaseModel) -> list[int]:
    """Seeds per chunk, in order (one entry: run whole). When splitting pays, a small first chunk: the preview."""
    span = seeds_of(kind, config)
    if span is None:
        return [1]
    total, per, fixed = span[1], max(kind.per_seed(config), 1e-9), kind.fixed(config)
    by_units = max(1, CHUNK_UNITS // max(kind.units(config), 1))
    # cheap, or dominated by per-call overhead (many steps of a small net): splitting would only add cost
    if total == 1 or total * per < SPLIT_S or fixed > total * per / 4:
        return _fill([], total, by_units)
    first = max(1, min(PREVIEW_SEEDS, int((PREVIEW_S - fixed) / per), by_units, total - 1))
    # a later chunk: about CHUNK_S of work, but never so small that per-call overhead exceeds a quarter of it
    size = max(1, min(by_units, max(int((CHUNK_S - fixed) / per), int(4 * fixed / per))))
    return _fill([first], total - first, size)


@dataclass(frozen=True)
class Piece:
    """One chunk of a job: seeds offset..offset+seeds-1 (from the config's first seed) of the parts `parts` (None:
    every part)."""

    offset: int
    seeds: int
    parts: tuple[str, ...] | None = None


def layout(kind: Kind, config: BaseModel) -> tuple[list[Piece], BaseModel | None]:
    """A job's chunks and its first-steps preview (None: its first chunk is quick enough to be the preview).

    A job longer than a chunk whose kind has parts runs part by part (each part's seeds split by `plan`), and previews
    every part's first steps: a learner sees all the curves at once, early, and then the full result. Otherwise the
    chunks split the seeds (`plan`), and the preview is the first chunk's first steps.
    """
    names = parts_of(kind, config)
    if len(names) > 1 and estimate(kind, config) > CHUNK_S:
        preview = first_steps(kind, config, min(PREVIEW_SEEDS, seeds_of(kind, config)[1]))
        if preview is not None:
            out: list[Piece] = []
            for name in names:
                out += _pieces(plan(kind, with_parts(kind, config, (name,))), (name,))
            return out, preview
    sizes = plan(kind, config)
    return _pieces(sizes, None), first_steps(kind, config, sizes[0])


def _pieces(sizes: list[int], parts: tuple[str, ...] | None) -> list[Piece]:
    starts = [sum(sizes[:i]) for i in range(len(sizes))]
    return [Piece(start, n, parts) for start, n in zip(starts, sizes, strict=True)]


def _fill(out: list[int], left: int, size: int) -> list[int]:
    while left > 0:
        out.append(min(size, left))
        left -= out[-1]
    return out


def first_steps(kind: Kind, config: BaseModel, first: int) -> BaseModel | None:
    """A preview of a training run too slow for one: its first chunk's seeds over only the first steps (about
    PREVIEW_S of work; a multiple of eval_every where the run evaluates), or None if the first chunk is quick."""
    span = seeds_of(kind, config)
    chunk = with_seeds(kind, config, span[0], first) if span and first < span[1] else config
    cost = estimate(kind, chunk)
    if not kind.steps or cost <= PREVIEW_MAX_S:
        return None
    short = max(1, int(config.steps * PREVIEW_S / cost))
    every = getattr(config, "eval_every", 1)
    short = max(every, short // every * every)
    return chunk.model_copy(update={"steps": short}) if short < config.steps else None
