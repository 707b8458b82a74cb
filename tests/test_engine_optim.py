"""The hand-written SGD and Adam (explainer/experiments/optim.py) against torch.optim on the same gradients, and
the reason they exist: a worker that trains never imports torch._dynamo, nor scikit-learn for the digits."""

import subprocess
import sys

import pytest
import torch

from explainer.experiments.optim import SGD, Adam

SHAPES = [(3, 5, 4), (3, 4), (7,)]


def _params(seed: int) -> list[torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    return [torch.randn(s, generator=g).requires_grad_() for s in SHAPES]


def _run(make, steps: int, seed: int, *, skip_first: bool = False, zero: bool = False) -> list[torch.Tensor]:
    """Parameters after `steps` updates with gradients drawn from a fixed stream (and, with skip_first, the last
    tensor getting no gradient on the first step; with zero, grads accumulated and zeroed as autograd users do)."""
    params = _params(seed)
    opt = make(params)
    g = torch.Generator().manual_seed(seed + 1)
    for step in range(steps):
        for i, p in enumerate(params):
            grad = torch.randn(p.shape, generator=g) * 10 ** (i - 1)
            if skip_first and step == 0 and i == len(params) - 1:
                continue
            if zero and p.grad is not None:
                p.grad += grad
            else:
                p.grad = grad
        opt.step()
        if zero:
            opt.zero_grad() if not isinstance(opt, torch.optim.Optimizer) else opt.zero_grad(set_to_none=False)
    return [p.detach() for p in params]


def _same(ours, theirs):
    for a, b in zip(ours, theirs, strict=True):
        assert torch.equal(a, b), (a - b).abs().max()


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize(("momentum", "wd"), [(0.0, 0.0), (0.0, 1e-2), (0.9, 0.0), (0.9, 5e-4)])
def test_sgd_is_torch_optim_sgd_bit_for_bit(seed, momentum, wd):
    """Plain, momentum and L2 weight decay, over 12 steps, including a parameter that had no gradient on the first
    step (its momentum buffer starts later, as torch's does)."""
    for skip in (False, True):
        ours = _run(lambda p: SGD(p, lr=0.05, momentum=momentum, weight_decay=wd), 12, seed, skip_first=skip)
        theirs = _run(
            lambda p: torch.optim.SGD(p, lr=0.05, momentum=momentum, weight_decay=wd, foreach=True), 12, seed,
            skip_first=skip,
        )
        _same(ours, theirs)


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("wd", [0.0, 1e-2])
@pytest.mark.parametrize("betas", [(0.9, 0.999), (0.9, 0.98)])
def test_adam_is_torch_optim_adam_bit_for_bit(seed, wd, betas):
    """Bias corrections, epsilon and L2 weight decay over 30 steps, with gradients 0.1 to 10 in scale, and with
    gradients accumulated then zeroed in place as the RNN runner does."""
    for zero in (False, True):
        ours = _run(lambda p: Adam(p, lr=1e-2, betas=betas, eps=1e-8, weight_decay=wd), 30, seed, zero=zero)
        theirs = _run(
            lambda p: torch.optim.Adam(p, lr=1e-2, betas=betas, eps=1e-8, weight_decay=wd, foreach=True), 30, seed,
            zero=zero,
        )
        _same(ours, theirs)


def test_adam_refuses_a_parameter_without_a_gradient():
    """One step count for all: a missing gradient would silently desynchronise the bias correction."""
    params = _params(0)
    params[0].grad = torch.ones_like(params[0])
    with pytest.raises(ValueError, match="every parameter"):
        Adam(params, lr=1e-3).step()


def test_a_worker_that_trains_loads_neither_dynamo_nor_scikit_learn():
    """The training, digits and RNN runners in a fresh interpreter: torch.optim's first optimizer would import
    torch._dynamo (~86 MB per worker), and load_digits scikit-learn with SciPy (~70 MB)."""
    code = """
import sys
from explainer.experiments import DigitsConfig, MLPConfig, RNNConfig, TrainConfig, digits_train, train_run
digits_train(DigitsConfig(depth=3, width=8, batch_size=16, steps=2, eval_every=1, seeds=1))
for optimizer in ("adam", "sgd"):
    train_run(TrainConfig(model=MLPConfig(depth=3, width=8, batch_size=8, seeds=2), steps=3, optimizer=optimizer,
                          weight_decay=1e-3))
    train_run(TrainConfig(model=RNNConfig(seq_len=5, hidden=8, batch_size=8, seeds=2), steps=3, optimizer=optimizer))
loaded = sorted(m for m in ("torch._dynamo", "torch._inductor", "sympy", "sklearn", "scipy") if m in sys.modules)
print(",".join(loaded) or "none")
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=True)
    assert out.stdout.strip().splitlines()[-1] == "none", out.stdout + out.stderr
