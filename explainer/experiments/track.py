"""Watch gradient flow during your own training loop (the plot_grad_flow use case), with a verdict per step.

    with track(model, every=50) as t:
        for x, y in loader:
            loss = loss_fn(model(x), y); loss.backward(); opt.step(); opt.zero_grad()
    t.frame()      # step, layer, name, grad_norm, act_mean, act_std, saturated_frac, verdict
    t.verdicts()   # one row per recorded step: first/last ratio, decay per layer, verdict
"""

from __future__ import annotations

import pandas as pd
import torch
from torch import nn

from explainer.experiments.model_hooks import Watcher, profile_rows
from explainer.experiments.profile import COLUMNS, profiled
from explainer.experiments.summary import summarize_profile

TRACK_COLUMNS = ["step", *COLUMNS, "verdict"]


class Tracker:
    """Hooks that record every `every`-th training step; a step is one forward pass of `model` with grad enabled.

    Gradient norms are read when autograd has accumulated each parameter's `.grad` (so with gradient
    accumulation they include the earlier micro-batches, as `.grad` does). `close()` (or leaving the `with`
    block) removes every hook; the model's weights, `.grad` and modes are never touched.
    """

    def __init__(self, model: nn.Module, every: int = 1, params: str = "weights"):
        if every < 1:
            raise ValueError(f"every must be >= 1, got {every}")
        self.model, self.every = model, every
        self.step = -1
        self._chosen, self.frozen = profiled(model, params)
        self._pending: dict[str, float] | None = None
        self._rows: list[dict] = []
        self._handles: list = []
        self._watcher = Watcher(model, recording=False)
        try:
            self._handles.append(model.register_forward_pre_hook(self._on_forward, prepend=True))
            for name, p in self._chosen:
                self._handles.append(p.register_post_accumulate_grad_hook(self._on_grad(name)))
        except BaseException:
            self.close()
            raise

    def _on_forward(self, _module, _args) -> None:
        if not torch.is_grad_enabled():  # an evaluation pass: not a training step, nothing recorded
            self._watcher.recording = False
            return
        self._flush()
        self.step += 1
        record = self.step % self.every == 0
        self._watcher.reset()
        self._watcher.recording = record
        self._pending = {} if record else None

    def _on_grad(self, name: str):
        def hook(p: torch.Tensor) -> None:
            if self._pending is not None:
                self._pending[name] = float(p.grad.norm())

        return hook

    def _flush(self) -> None:
        """Turn the recorded step (forward statistics + gradient norms) into rows."""
        grads, self._pending = self._pending, None
        self._watcher.recording = False
        if grads:
            rows = profile_rows(self._watcher, [n for n, _ in self._chosen], grads)
            self._rows += [{"step": self.step, "seed": 0, **row} for row in rows]

    def frame(self) -> pd.DataFrame:
        """One row per (recorded step, parameter), with that step's verdict (see `summarize_profile`)."""
        self._flush()
        df = pd.DataFrame(self._rows, columns=TRACK_COLUMNS[:-1])
        verdicts = {s: summarize_profile(g).verdict for s, g in df.groupby("step")} if len(df) else {}
        return df.assign(verdict=df["step"].map(verdicts))

    def verdicts(self) -> pd.DataFrame:
        """One row per recorded step: step, first_last_ratio, decay_per_layer, verdict."""
        rows = []
        for step, g in self.frame().groupby("step"):
            s = summarize_profile(g)
            rows.append({"step": step, "first_last_ratio": s.first_last_ratio, "decay_per_layer": s.decay_per_layer,
                         "verdict": s.verdict})
        return pd.DataFrame(rows, columns=["step", "first_last_ratio", "decay_per_layer", "verdict"])

    def close(self) -> None:
        """Remove every hook (idempotent)."""
        self._watcher.close()
        for h in self._handles:
            h.remove()
        self._handles.clear()

    def __enter__(self) -> Tracker:
        return self

    def __exit__(self, *exc) -> None:
        self._flush()
        self.close()


def track(model: nn.Module, every: int = 1, params: str = "weights") -> Tracker:
    """Start recording `model`'s gradient flow every `every` training steps; use as a context manager."""
    return Tracker(model, every, params)
