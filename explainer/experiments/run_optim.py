"""Optimizers for stacked runs: one learning rate per run, and runs that may skip a step (an overflowed fp16 step).

Tensors hold many independent runs along one axis (seeds, schedules, precision modes); `axes[i]` names that axis
for tensors[i]. The update rules are PyTorch's (torch.optim.Adam, torch.optim.SGD without momentum); tests check
them against the library run on each slice alone.
"""

from __future__ import annotations

import torch


def along(values: torch.Tensor, t: torch.Tensor, axis: int) -> torch.Tensor:
    """A per-run vector (R,) shaped to broadcast along `axis` of `t`."""
    shape = [1] * t.dim()
    shape[axis] = -1
    return values.view(shape)


class RunAdam:
    """Adam with a learning rate and a step count per run; a run marked inactive keeps its weights and moments."""

    def __init__(self, tensors: list[torch.Tensor], axes: list[int], betas=(0.9, 0.999), eps: float = 1e-8):
        self.tensors, self.axes, self.betas, self.eps = tensors, axes, betas, eps
        runs = tensors[0].shape[axes[0]]
        self.t = torch.zeros(runs)
        self.m = [torch.zeros_like(p) for p in tensors]
        self.v = [torch.zeros_like(p) for p in tensors]

    @torch.no_grad()
    def step(self, lr: torch.Tensor, active: torch.Tensor | None = None) -> None:
        """One update of every active run with the gradients in `.grad`; lr (R,), active (R,) bool or None (all)."""
        b1, b2 = self.betas
        everyone = active is None or bool(active.all())
        live = torch.ones_like(self.t, dtype=torch.bool) if everyone else active
        self.t += live.float()
        t = self.t.clamp(min=1.0)
        step_lr = lr / (1 - b1**t) if everyone else torch.where(live, lr / (1 - b1**t), 0.0)
        root_bc2 = (1 - b2**t).sqrt()
        grads = [p.grad for p in self.tensors]
        if everyone:  # the common case: fused in-place moment updates
            torch._foreach_lerp_(self.m, grads, 1 - b1)
            torch._foreach_mul_(self.v, b2)
            torch._foreach_addcmul_(self.v, grads, grads, 1 - b2)
        else:  # skipped runs keep their moments
            for p, g, m, v, axis in zip(self.tensors, grads, self.m, self.v, self.axes, strict=True):
                mask = along(live, p, axis)
                m.copy_(torch.where(mask, m.lerp(g, 1 - b1), m))
                v.copy_(torch.where(mask, v * b2 + (1 - b2) * g * g, v))
        for p, m, v, axis in zip(self.tensors, self.m, self.v, self.axes, strict=True):
            denom = v.sqrt().div_(along(root_bc2, p, axis)).add_(self.eps)
            p.sub_(m.div(denom).mul_(along(step_lr, p, axis)))


@torch.no_grad()
def run_sgd(tensors: list[torch.Tensor], axes: list[int], lr: torch.Tensor, active: torch.Tensor | None = None) -> None:
    """Plain SGD, p -= lr_run · grad, for every active run; a skipped run keeps its weights even if its grad is inf."""
    if active is None:
        for p, axis in zip(tensors, axes, strict=True):
            p.sub_(p.grad * along(lr, p, axis))
        return
    for p, axis in zip(tensors, axes, strict=True):  # inf · 0 would be NaN: select instead of scaling by 0
        p.copy_(torch.where(along(active, p, axis), p - p.grad * along(lr, p, axis), p))
