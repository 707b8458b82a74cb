"""PyTorch's SGD and Adam, step for step, without constructing a torch.optim optimizer.

Building the first torch.optim optimizer in a process imports torch._dynamo, torch._inductor and SymPy (its
`add_param_group` is wrapped by `torch._disable_dynamo`): about 800 modules and 86 MB in every compute worker,
for an update rule of a few foreach calls. These are those calls, in torch.optim's order (foreach=True, L2
weight decay added to the gradient, no dampening, no Nesterov, no AMSGrad), so the results are bit for bit the
library's; tests check them against torch.optim on the same gradients.
"""

from __future__ import annotations

import torch


class _Optimizer:
    """The parameters, learning rate and L2 weight decay both optimizers share, and torch.optim's zero_grad."""

    def __init__(self, params: list[torch.Tensor], lr: float, weight_decay: float = 0.0):
        self.params, self.lr, self.weight_decay = list(params), lr, weight_decay

    def _decayed(self, params: list[torch.Tensor]) -> list[torch.Tensor]:
        """The gradients of `params`, with weight_decay·w added (a new list of tensors) when there is decay."""
        grads = [p.grad for p in params]
        return torch._foreach_add(grads, params, alpha=self.weight_decay) if self.weight_decay else grads

    def zero_grad(self) -> None:
        """Zero every existing gradient in place (torch.optim's zero_grad(set_to_none=False))."""
        grads = [p.grad for p in self.params if p.grad is not None]
        if grads:
            torch._foreach_zero_(grads)


class SGD(_Optimizer):
    """torch.optim.SGD(params, lr, momentum, weight_decay, foreach=True); parameters without a gradient are skipped."""

    def __init__(self, params: list[torch.Tensor], lr: float, momentum: float = 0.0, weight_decay: float = 0.0):
        super().__init__(params, lr, weight_decay)
        self.momentum = momentum
        self.buffers: dict[int, torch.Tensor] = {}  # momentum buffers by parameter index, made on its first step

    @torch.no_grad()
    def step(self) -> None:
        live = [i for i, p in enumerate(self.params) if p.grad is not None]
        if not live:
            return
        params = [self.params[i] for i in live]
        grads = self._decayed(params)
        if self.momentum:
            if all(i in self.buffers for i in live):
                bufs = [self.buffers[i] for i in live]
                torch._foreach_mul_(bufs, self.momentum)
                torch._foreach_add_(bufs, grads, alpha=1.0)
            else:
                bufs = []
                for i, g in zip(live, grads, strict=True):
                    if i in self.buffers:
                        self.buffers[i].mul_(self.momentum).add_(g, alpha=1.0)
                    else:
                        self.buffers[i] = g.detach().clone()
                    bufs.append(self.buffers[i])
            grads = bufs
        torch._foreach_add_(params, grads, alpha=-self.lr)


class Adam(_Optimizer):
    """torch.optim.Adam(params, lr, betas, eps, weight_decay, foreach=True), one step count shared by all parameters."""

    def __init__(
        self, params: list[torch.Tensor], lr: float, betas=(0.9, 0.999), eps: float = 1e-8, weight_decay: float = 0.0
    ):
        super().__init__(params, lr, weight_decay)
        self.betas, self.eps, self.steps = betas, eps, 0
        self.exp_avg = [torch.zeros_like(p) for p in self.params]
        self.exp_avg_sq = [torch.zeros_like(p) for p in self.params]

    @torch.no_grad()
    def step(self) -> None:
        live = [i for i, p in enumerate(self.params) if p.grad is not None]
        if not live:
            return
        if len(live) != len(self.params):
            raise ValueError("Adam here keeps one step count: every parameter needs a gradient at every step")
        b1, b2 = self.betas
        params, grads = self.params, self._decayed(self.params)
        self.steps += 1
        torch._foreach_lerp_(self.exp_avg, grads, 1 - b1)
        torch._foreach_mul_(self.exp_avg_sq, b2)
        torch._foreach_addcmul_(self.exp_avg_sq, grads, grads, 1 - b2)
        step_size = -(self.lr / (1 - b1 ** float(self.steps)))
        denom = torch._foreach_sqrt(self.exp_avg_sq)
        torch._foreach_div_(denom, (1 - b2 ** float(self.steps)) ** 0.5)
        torch._foreach_add_(denom, self.eps)
        torch._foreach_addcdiv_(params, self.exp_avg, denom, step_size)
