"""Forward hooks that watch any nn.Module: the order modules run in and the statistics of their outputs.

Used by `profile_model` (one pass) and `track` (during training). Everything lives in the watcher, nothing on
the model: `close()` removes every hook handle. Activations called as functions (F.relu inside a forward) are
invisible to hooks; only activation *modules* (nn.ReLU, nn.GELU, ...) get a saturated fraction.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import torch
from torch import nn

from explainer.experiments.activations import ACTIVATIONS
from explainer.experiments.models import SATURATION_FRACTION, saturated_mask

# Elementwise activation modules: their saturated/dead fraction is the share of inputs z with
# |f'(z)| < SATURATION_FRACTION x max |f'| (the engine's rule, models.py). ReLU6 is a Hardtanh.
ELEMENTWISE = (
    nn.Sigmoid, nn.Tanh, nn.ReLU, nn.LeakyReLU, nn.ELU, nn.GELU, nn.SiLU, nn.Mish, nn.Softplus, nn.Hardtanh,
    nn.Hardsigmoid, nn.Hardswish, nn.CELU, nn.SELU, nn.Softsign, nn.LogSigmoid, nn.PReLU,
)
GRID = torch.linspace(-30.0, 30.0, 60_001)  # where a generic activation's peak |f'| is looked for


def engine_activation(m: nn.Module) -> str | None:
    """The engine's name for an activation module that computes exactly one of its records (same class and settings,
    e.g. nn.GELU() but not nn.GELU(approximate="tanh")), else None."""
    for spec in ACTIVATIONS.values():
        if type(m).__name__ == spec.module_class and m.extra_repr() == spec.module().extra_repr():
            return spec.name
    return None


def _derivative(m: nn.Module, z: torch.Tensor) -> torch.Tensor:
    """f'(z) of an elementwise module by autograd; `m.forward` skips the hooks, autograd.grad leaves .grad alone."""
    with torch.enable_grad():
        zz = z.detach().requires_grad_()
        (grad,) = torch.autograd.grad(m.forward(zz).sum(), zz)
    return grad


def saturated_fraction(m: nn.Module, z: torch.Tensor, peaks: dict[nn.Module, float]) -> tuple[int, int]:
    """(saturated units, units) of activation module `m` at inputs z."""
    name = engine_activation(m)
    if name is not None:
        mask = saturated_mask(name, z)
    else:
        if m not in peaks:
            peaks[m] = float(_derivative(m, GRID.to(z.dtype)).abs().max())
        mask = _derivative(m, z).abs() < SATURATION_FRACTION * peaks[m]
    return int(mask.sum()), mask.numel()


@dataclass
class Moments:
    """Running mean, variance (population) and saturated count of one module's outputs, over all its calls."""

    n: int = 0
    mean: float = 0.0
    m2: float = 0.0
    saturated: int = 0
    sat_n: int = 0

    def add(self, x: torch.Tensor) -> None:
        """Merge one output tensor (its own moments computed two-pass)."""
        if x.numel():
            mean = float(x.mean())
            self.merge(Moments(x.numel(), mean, float((x - mean).square().sum())))

    def merge(self, other: Moments) -> Moments:
        """Add another part's moments in place (Chan et al.'s parallel update); returns self."""
        total = self.n + other.n
        if other.n:
            delta = other.mean - self.mean
            self.mean += delta * other.n / total
            self.m2 += other.m2 + delta * delta * self.n * other.n / total
            self.n = total
        self.saturated += other.saturated
        self.sat_n += other.sat_n
        return self

    @property
    def std(self) -> float:
        return math.sqrt(self.m2 / self.n) if self.n else math.nan

    @property
    def saturated_frac(self) -> float:
        return self.saturated / self.sat_n if self.sat_n else math.nan


def first_tensor(out) -> torch.Tensor | None:
    """The output itself, or the first floating tensor of a tuple/list output (nn.MultiheadAttention's)."""
    if isinstance(out, torch.Tensor):
        return out if out.is_floating_point() else None
    if isinstance(out, list | tuple):
        for item in out:
            found = first_tensor(item)
            if found is not None:
                return found
    return None


@dataclass
class Watcher:
    """Hooks on every submodule of a model; `recording` switches the statistics on and off."""

    model: nn.Module
    recording: bool = True
    order: dict[str, int] = field(default_factory=dict)  # module name -> rank of its first forward start
    events: list[tuple[str, Moments]] = field(default_factory=list)  # every forward end: module name, its output
    _handles: list = field(default_factory=list)
    _peaks: dict = field(default_factory=dict)
    _activations: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self._activations = {name for name, m in self.model.named_modules() if isinstance(m, ELEMENTWISE)}
        try:
            for name, m in self.model.named_modules():
                self._handles.append(m.register_forward_pre_hook(self._pre(name)))
                self._handles.append(m.register_forward_hook(self._post(name, m)))
        except BaseException:
            self.close()
            raise

    def _pre(self, name: str):
        def hook(_module, _args):
            if self.recording and name not in self.order:
                self.order[name] = len(self.order)

        return hook

    def _post(self, name: str, m: nn.Module):
        act = isinstance(m, ELEMENTWISE)

        def hook(_module, args, out):
            y = first_tensor(out) if self.recording else None
            if y is None:
                return
            moments = Moments()
            with torch.no_grad():
                moments.add(y.detach())
                if act and args and isinstance(args[0], torch.Tensor):
                    moments.saturated, moments.sat_n = saturated_fraction(m, args[0].detach(), self._peaks)
            self.events.append((name, moments))

        return hook

    def stats(self, names: set[str]) -> Moments | None:
        """Moments of the outputs of every call of the named modules, merged; None if none of them ran."""
        parts = [mo for n, mo in self.events if n in names]
        return sum_moments(parts)

    def reset(self) -> None:
        """Forget what was recorded (the hooks stay)."""
        self.order.clear()
        self.events.clear()

    def close(self) -> None:
        """Remove every hook this watcher added."""
        for h in self._handles:
            h.remove()
        self._handles.clear()

    def is_activation(self, name: str) -> bool:
        return name in self._activations


def sum_moments(parts: list[Moments]) -> Moments | None:
    if not parts:
        return None
    total = Moments()
    for part in parts:
        total.merge(part)
    return total


def ran_owner(watcher: Watcher, param: str) -> str | None:
    """The module that owns `param`, or its nearest ancestor that ran (nn.MultiheadAttention calls its out_proj's
    weight functionally, so out_proj never runs); None if none of them ran."""
    owner = param.rpartition(".")[0]
    while owner not in watcher.order:
        if owner == "":
            return None
        owner = owner.rpartition(".")[0]
    return owner


def arrange(watcher: Watcher, names: list[str]) -> list[tuple[str, str | None, Moments | None]]:
    """Parameters in the order their modules first ran, each with the module whose outputs describe it.

    After each call of the parameter's owner, that is the first activation module call to finish before any
    owner finishes again (Linear -> ReLU, Conv -> BatchNorm -> ReLU), as `gradient_profile` pairs W_l with
    f(z_l); an activation module used at several places (ResNet's shared ReLU) counts only where it follows.
    Without one it is the owner itself (its outputs' mean and std, no saturated fraction).
    Returns (parameter, describing module, merged moments).
    """
    owners = {n: ran_owner(watcher, n) for n in names}
    index = {n: i for i, n in enumerate(names)}
    ran = sorted((n for n in names if owners[n] is not None), key=lambda n: (watcher.order[owners[n]], index[n]))
    owner_set = set(owners.values())
    out = []
    for n in ran:
        owner = owners[n]
        follow: list[tuple[str, Moments]] = []
        if not watcher.is_activation(owner):
            for i, (name, _) in enumerate(watcher.events):
                if name != owner:
                    continue
                for later, moments in watcher.events[i + 1 :]:
                    if later in owner_set:
                        break
                    if watcher.is_activation(later):
                        follow.append((later, moments))
                        break
        if follow:
            modules = list(dict.fromkeys(name for name, _ in follow))
            out.append((n, ",".join(modules), sum_moments([mo for _, mo in follow])))
        else:
            out.append((n, owner, watcher.stats({owner})))
    return out


def profile_rows(watcher: Watcher, names: list[str], grads: dict[str, float]) -> list[dict]:
    """Rows layer, name, module, grad_norm, act_mean, act_std, saturated_frac for the parameters in `grads`."""
    rows = []
    nan = math.nan
    for layer, (name, source, st) in enumerate(arrange(watcher, [n for n in names if n in grads]), start=1):
        rows.append({
            "layer": layer, "name": name, "module": source, "grad_norm": grads[name],
            "act_mean": st.mean if st else nan, "act_std": st.std if st else nan,
            "saturated_frac": st.saturated_frac if st else nan,
        })
    return rows
