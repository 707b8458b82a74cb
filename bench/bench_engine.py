"""Engine speed: a reference workload (below) vs a naive per-seed loop and a bare bmm pass, plus page defaults.

Reference workload: 8 variants x 16 seeds x depth 50 x width 64 x batch 128, one gradient profile each.
- naive: what a notebook user writes per seed: an nn.Sequential (or a residual nn.Module), nn.init, forward
  hooks calling .item() for the activation statistics, loss.backward(), then a loop over named_parameters()
  calling .norm().item(). Run with the notebook's defaults (denormals not flushed) and, for a like-for-like
  view, with flushed denormals too. Same thread count as the engine.
- bare: stacked weights, one baddbmm + activation per layer, autograd backward; no statistics, no BatchNorm (the
  page line also prints a bare pass of the same networks: BatchNorm and skips in plain autograd ops).
Timings are CPU seconds of this process (time.process_time, one torch thread), best of a few repeats, so
other jobs on the shared cores disturb them less than wall time; only ratios are meaningful. All three do the
same matrix products, so naive/bare bounds what any batched engine can gain over the naive loop; it is
printed next to the engine's own ratio.
The engine's per-variant times start from an empty draw cache (seeding.DRAWS), as a config alone would; the
page line runs the 8 variants one after the other from an empty cache, as one page does, so variants of the
same init family share their raw draws (the target's figure); it also prints the page from a warm cache (a
session that ran these seeds before) and with the cache off, all interleaved with the bare pass.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable

import torch
from torch import nn

from explainer.experiments import MLPConfig, RNNConfig, TrainConfig, bptt_profile, gradient_profile, train_run
from explainer.experiments.activations import ACTIVATIONS, ELU, GELU, LEAKY_RELU, RELU, SIGMOID, TANH
from explainer.experiments.mlp import build_mlp
from explainer.experiments.runtime import ensure_runtime
from explainer.experiments.seeding import DRAWS

SHAPE = {"seeds": 16, "depth": 50, "width": 64, "batch_size": 128}
VARIANTS = [
    {"activation": SIGMOID.name},
    {"activation": TANH.name, "init": "xavier_uniform"},
    *({"activation": spec.name, "init": "he_normal"} for spec in (RELU, LEAKY_RELU, ELU, GELU)),
    {"activation": SIGMOID.name, "norm": "batch"},
    {"activation": SIGMOID.name, "residual": True},
]


def best_of(fn: Callable[[], object], repeats: int = 3, setup: Callable[[], object] = lambda: None) -> float:
    """Best CPU time in seconds of `repeats` calls after one warm-up; `setup` runs untimed before each call."""
    return min(interleaved({"run": fn}, repeats, setup)["run"])


def interleaved(fns: dict[str, Callable[[], object]], repeats: int, setup: Callable[[], object] = lambda: None):
    """CPU times in seconds of each function, called in turns after one warm-up round; `setup` runs untimed first.

    The order reverses every round, so a noisy spell on the shared cores hits all of them alike.
    """
    times: dict[str, list[float]] = {name: [] for name in fns}
    for r in range(repeats + 1):
        for name, fn in list(fns.items())[:: 1 if r % 2 else -1]:
            setup()
            start = time.process_time()
            fn()
            if r:
                times[name].append(time.process_time() - start)
    return times


@contextlib.contextmanager
def draw_cache_off():
    """No draw is served from or kept in the process-wide draw cache inside the block (its entries stay)."""
    saved = DRAWS.max_bytes
    DRAWS.max_bytes = 0
    try:
        yield
    finally:
        DRAWS.max_bytes = saved


class Residual(nn.Module):
    """The residual net a notebook user would write: h = h + f(Linear(h)) after the first layer."""

    def __init__(self, linears: list[nn.Linear], act: nn.Module, readout: nn.Linear):
        super().__init__()
        self.linears, self.act, self.readout = nn.ModuleList(linears), act, readout

    def forward(self, x):
        h = self.act(self.linears[0](x))
        for lin in self.linears[1:]:
            h = h + self.act(lin(h))
        return self.readout(h)


def naive_profile(cfg: MLPConfig) -> list[list[float]]:
    """One seed at a time, the plain PyTorch way; returns per-layer [grad_norm, mean, std, saturated] rows."""
    out = []
    for seed in range(cfg.seed, cfg.seed + cfg.seeds):
        torch.manual_seed(seed)
        linears = [nn.Linear(cfg.width, cfg.width) for _ in range(cfg.depth)]
        for lin in linears:
            if cfg.init == "xavier_uniform":
                nn.init.xavier_uniform_(lin.weight)
            elif cfg.init == "he_normal":
                nn.init.kaiming_normal_(lin.weight, nonlinearity=RELU.name)
        readout = nn.Linear(cfg.width, 1)
        stats: list[list[float]] = []
        spec = ACTIVATIONS[cfg.activation]

        def hook(_module, inputs, output, stats=stats, spec=spec):
            sat = spec.saturated_at(inputs[0])
            stats.append([output.mean().item(), output.std().item(), sat.float().mean().item()])

        if cfg.residual:
            net = Residual(linears, spec.module(), readout)
            net.act.register_forward_hook(hook)
        else:
            layers: list[nn.Module] = []
            for lin in linears:
                act = spec.module()
                act.register_forward_hook(hook)
                layers += [lin, nn.BatchNorm1d(cfg.width), act] if cfg.norm == "batch" else [lin, act]
            net = nn.Sequential(*layers, readout)
        x, y = torch.randn(cfg.batch_size, cfg.width), torch.randn(cfg.batch_size, 1)
        loss = ((net(x) - y) ** 2).mean()
        loss.backward()
        norms = [p.grad.norm().item() for name, p in net.named_parameters() if p.dim() == 2]
        out += [[g, *s] for g, s in zip(norms, stats, strict=False)]
    return out


def bare_pass(cfg: MLPConfig, weights: torch.Tensor, biases: torch.Tensor, x: torch.Tensor,
              network: bool = False) -> None:
    """Stacked weights, baddbmm + activation per layer, autograd backward: the floor for these shapes.

    network=True also does what the variant's network itself computes, in plain autograd ops: BatchNorm over the
    batch (with its scale and shift) and the skip connections. It is the like-for-like floor for those variants;
    without it their BatchNorm or additions count as the engine's overhead.
    """
    weights.grad = biases.grad = None
    act = ACTIVATIONS[cfg.activation].torch_kernel()
    bn = network and cfg.norm == "batch"
    gamma = torch.ones(weights.shape[0], 1, 1, weights.shape[-1], requires_grad=True) if bn else None
    beta = torch.zeros_like(gamma, requires_grad=True) if bn else None
    h = x
    for layer, (w, b) in enumerate(zip(weights.unbind(0), biases.unbind(0), strict=True)):
        z = torch.baddbmm(b.unsqueeze(1), h, w)
        if bn:
            var, mean = torch.var_mean(z, dim=1, keepdim=True, correction=0)
            z = (z - mean) * torch.rsqrt(var + 1e-5) * gamma[layer] + beta[layer]
        a = act(z)
        h = h + a if network and cfg.residual and layer > 0 else a
    h.square().mean().backward()


def reference_workload() -> None:
    """Time the 8 variants three ways and print per-variant times and the ratios."""
    cfgs = [MLPConfig(**SHAPE, **v) for v in VARIANTS]
    s, d, w, b = SHAPE["seeds"], SHAPE["depth"], SHAPE["width"], SHAPE["batch_size"]
    weights = (torch.randn(d, s, w, w) / w**0.5).requires_grad_()
    biases = torch.zeros(d, s, w).requires_grad_()
    x = torch.randn(s, b, w)
    totals = {"engine": 0.0, "naive": 0.0, "naive_flushed": 0.0, "bare": 0.0, "init": 0.0}
    print(f"{'variant':34s} {'engine':>9s} {'naive':>9s} {'naive*':>9s} {'bare':>9s} {'init':>9s}"
          "   (ms; naive* = flushed; init = the engine's weight and data draws, part of engine; engine and init "
          "from an empty draw cache)")
    for cfg, variant in zip(cfgs, VARIANTS, strict=True):
        t = {"engine": best_of(lambda cfg=cfg: gradient_profile(cfg), setup=DRAWS.clear)}
        torch.set_flush_denormal(False)  # a notebook's default
        t["naive"] = best_of(lambda cfg=cfg: naive_profile(cfg), repeats=2)
        torch.set_flush_denormal(True)
        t["naive_flushed"] = best_of(lambda cfg=cfg: naive_profile(cfg), repeats=2)
        t["bare"] = best_of(lambda cfg=cfg: bare_pass(cfg, weights, biases, x))
        t["init"] = best_of(lambda cfg=cfg: build_mlp(cfg), setup=DRAWS.clear)
        for k in totals:
            totals[k] += t[k]
        label = " ".join(f"{k}={v}" for k, v in variant.items())
        print(f"{label:34s} " + " ".join(f"{t[k] * 1e3:9.1f}" for k in totals))
    print(f"{'total':34s} " + " ".join(f"{totals[k] * 1e3:9.1f}" for k in totals))
    print(f"speed-up vs naive loop (notebook defaults): {totals['naive'] / totals['engine']:.1f}x   (target >= 8x)")
    print(f"speed-up vs naive loop (denormals flushed): {totals['naive_flushed'] / totals['engine']:.1f}x")
    print(f"bound for any engine doing the same products (naive / bare): {totals['naive'] / totals['bare']:.1f}x")
    print(f"engine time / bare bmm forward+backward, each variant alone: {totals['engine'] / totals['bare']:.2f}x")
    # bare starts from weights already drawn; the engine draws every seed's weights and data from its own
    # streams (seeding.py), which no faster generator can do without changing the numbers
    rest = totals["engine"] - totals["init"]
    print(f"  without drawing the initial weights and data: {rest / totals['bare']:.2f}x "
          f"(init is {totals['init'] / totals['engine']:.0%} of engine time)")
    workload(cfgs, weights, biases, x)


def workload(cfgs: list[MLPConfig], weights: torch.Tensor, biases: torch.Tensor, x: torch.Tensor) -> None:
    """The 8 variants in a row as one page: from an empty draw cache, from a warm one, without it; bare; in turns."""
    def page() -> None:
        for cfg in cfgs:
            gradient_profile(cfg)

    def cold() -> None:
        DRAWS.clear()
        page()

    def uncached() -> None:
        with draw_cache_off():
            page()

    def bare() -> None:
        for cfg in cfgs:
            bare_pass(cfg, weights, biases, x)

    def network() -> None:
        for cfg in cfgs:
            bare_pass(cfg, weights, biases, x, network=True)

    # cold clears the cache inside its timing (a few dict operations); warm finds what the previous call left
    times = interleaved({"cold": cold, "warm": page, "uncached": uncached, "bare": bare, "network": network},
                        repeats=4)
    best = {k: min(v) for k, v in times.items()}
    held, cap = DRAWS.nbytes / 2**20, DRAWS.max_bytes / 2**20
    print(f"the 8 variants as one page (ms, best of 4 in turns): engine {best['cold'] * 1e3:.1f} from an empty draw "
          f"cache, {best['warm'] * 1e3:.1f} from a warm one, {best['uncached'] * 1e3:.1f} without it; "
          f"bare {best['bare'] * 1e3:.1f}")
    print(f"engine time / bare bmm forward+backward:    {best['cold'] / best['bare']:.2f}x   (target <= 1.25x; "
          f"{best['warm'] / best['bare']:.2f}x when another session drew these seeds, "
          f"{best['uncached'] / best['bare']:.2f}x without the draw cache)")
    print(f"engine time / bare pass of the same networks (BatchNorm and skips included, "
          f"{best['network'] * 1e3:.1f} ms): "
          f"{best['cold'] / best['network']:.2f}x from an empty draw cache, {best['warm'] / best['network']:.2f}x warm")
    print(f"  draw cache after the page: {held:.1f} MB in {len(DRAWS)} entries (cap {cap:.0f} MB)")


def page_defaults() -> None:
    """Uncached CPU time of each runner at its config defaults (what an experiment page pays on first load)."""
    cases = [
        ("gradient_profile(MLPConfig())", lambda: gradient_profile(MLPConfig())),
        ("bptt_profile(RNNConfig())", lambda: bptt_profile(RNNConfig())),
        ("train_run(TrainConfig())", lambda: train_run(TrainConfig())),
        ("train_run(TrainConfig(model=MLPConfig()))", lambda: train_run(TrainConfig(model=MLPConfig()))),
        ("train_run(TrainConfig(model=RNNConfig()))", lambda: train_run(TrainConfig(model=RNNConfig()))),
    ]
    for label, fn in cases:
        print(f"{label:44s} {best_of(fn) * 1e3:8.1f} ms")


def main() -> None:
    """Print the reference-workload ratios and the per-page default timings."""
    ensure_runtime()
    threads = torch.get_num_threads()
    print(f"torch {torch.__version__}, {threads} intra-op thread(s), CPU ms of this process, best of 2-3 runs")
    reference_workload()
    page_defaults()
