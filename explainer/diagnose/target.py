"""Load `path/to/file.py:build_model`, call it per seed and profile what it returns (model, batch, loss_fn)."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd
import torch
from torch import nn

from explainer.experiments.profile import profile_model

DEFAULT_BATCH = 32  # samples in a generated batch
DEFAULT_SIDE = 32  # height/width of generated images (Conv2d), length of sequences (Conv1d, Transformer, Embedding)


def load_target(spec: str) -> Callable:
    """The callable named by "path/to/file.py:name" (the file runs as a module named after its stem)."""
    path, sep, name = spec.rpartition(":")
    if not sep or not path or not name:
        raise ValueError(f"expected path/to/file.py:callable, got {spec!r}")
    file = Path(path)
    if not file.is_file():
        raise FileNotFoundError(f"no such file: {file}")
    module_spec = importlib.util.spec_from_file_location(file.stem, file)
    module = importlib.util.module_from_spec(module_spec)
    sys.path.insert(0, str(file.resolve().parent))  # the file may import its neighbours
    try:
        module_spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(file.resolve().parent))
    target = getattr(module, name, None)
    if not callable(target):
        raise AttributeError(f"{file} has no callable {name!r}")
    return target


def default_batch(model: nn.Module, shape: Sequence[int] | None = None) -> torch.Tensor:
    """A random input for `model`: N(0, 1) of `shape`, else guessed from its first layer (tokens for nn.Embedding)."""
    if shape:
        return torch.randn(*shape)
    for m in model.modules():
        if isinstance(m, nn.Embedding):
            return torch.randint(m.num_embeddings, (DEFAULT_BATCH, DEFAULT_SIDE))
        if isinstance(m, nn.Linear):
            return torch.randn(DEFAULT_BATCH, m.in_features)
        if isinstance(m, nn.Conv2d):
            return torch.randn(DEFAULT_BATCH, m.in_channels, DEFAULT_SIDE, DEFAULT_SIDE)
        if isinstance(m, nn.Conv1d):
            return torch.randn(DEFAULT_BATCH, m.in_channels, DEFAULT_SIDE)
        if isinstance(m, nn.TransformerEncoderLayer):
            d = m.linear1.in_features
            return torch.randn(DEFAULT_BATCH, DEFAULT_SIDE, d) if m.self_attn.batch_first else torch.randn(
                DEFAULT_SIDE, DEFAULT_BATCH, d)
        if isinstance(m, nn.RNNBase):
            first, second = (DEFAULT_BATCH, DEFAULT_SIDE) if m.batch_first else (DEFAULT_SIDE, DEFAULT_BATCH)
            return torch.randn(first, second, m.input_size)
    raise ValueError("cannot guess the model's input: pass --batch-shape, or return (model, batch) from the callable")


def _unpack(built) -> tuple[nn.Module, object, Callable | None]:
    """model, (model, batch) or (model, batch, loss_fn) -> (model, batch or None, loss_fn or None)."""
    if isinstance(built, nn.Module):
        return built, None, None
    if isinstance(built, tuple | list) and len(built) in (2, 3) and isinstance(built[0], nn.Module):
        return built[0], built[1], built[2] if len(built) == 3 else None
    raise TypeError(f"the callable must return a model, (model, batch) or (model, batch, loss_fn); got {type(built)}")


def run(build: Callable, seeds: Sequence[int], *, batch_shape: Sequence[int] | None = None,
        params: str = "weights", train: bool = True) -> pd.DataFrame:
    """profile_model over seeds, calling `build` under each seed; the batch is drawn under that seed too."""
    frames = []
    for seed in seeds:
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed)
            model, batch, loss_fn = _unpack(build())
            if batch is None:
                batch = default_batch(model, batch_shape)
        frames.append(profile_model(model, batch, loss_fn, seeds=[seed], params=params, train=train))
    df = pd.concat(frames, ignore_index=True)
    df.attrs.update(frames[-1].attrs)
    return df
