"""Issue 14's runners at their defaults, each against the per-run loop a notebook user would write, in this process.

For every runner: the uncached CPU time at its config defaults (what a lab page pays on first load; the targets are
the issue's: ~1 s for the phase grid, 250 ms for the transformer init profile, ~2 s for training labs), then a
baseline doing the same work the plain way (one nn.Module per run, nn.init, autograd, .norm().item()), timed on
the same config (training baselines on a shortened run, with the engine re-timed on that same shortened run), and
the ratio. The precision runner's baseline is the lab's own float32 engine (`gradient_profile`) on the same net
and seeds: its ratio (below 1) is one float32 pass over the pass that simulates all five formats. CPU seconds of
this process (time.process_time, one torch thread), best of a few repeats; only ratios are meaningful on a shared
machine. The first scikit-learn import (about a second, paid once per process by the digits lab) is timed in a
fresh interpreter and printed separately.
"""

from __future__ import annotations

import math
import subprocess
import sys
from collections.abc import Callable

import torch
import torch.nn.functional as F
from torch import nn

from bench.bench_engine import best_of
from explainer.experiments import (
    DigitsConfig,
    MLPConfig,
    PhaseConfig,
    PrecisionConfig,
    PrecisionTrainConfig,
    TransformerConfig,
    TransformerTrainConfig,
    digits_train,
    gradient_profile,
    phase_diagram,
    precision_profile,
    precision_train,
    transformer_profile,
    transformer_train,
)
from explainer.experiments.digits import VARIANT_FIELDS, digits_split
from explainer.experiments.models import TORCH_MODULES
from explainer.experiments.phase import grid
from explainer.experiments.runtime import ensure_runtime
from explainer.experiments.transformer import positions, task_batch


def naive_phase(cfg: PhaseConfig) -> None:
    """One nn.Sequential per (σ_w, σ_b, seed): normal_ init, forward, backward, first/last weight-gradient norms."""
    act = TORCH_MODULES[cfg.activation]
    for sw, sb in zip(*grid(cfg), strict=True):
        for seed in range(cfg.seed, cfg.seed + cfg.seeds):
            torch.manual_seed(seed)
            layers = []
            for _ in range(cfg.depth):
                lin = nn.Linear(cfg.width, cfg.width)
                nn.init.normal_(lin.weight, std=sw / math.sqrt(cfg.width))
                nn.init.normal_(lin.bias, std=max(sb, 1e-12))
                layers += [lin, act()]
            net = nn.Sequential(*layers)
            readout = torch.randn(cfg.width) / math.sqrt(cfg.width)
            (net(torch.randn(cfg.batch_size, cfg.width)) @ readout).mean().backward()
            math.log10(layers[0].weight.grad.norm().item() / layers[-2].weight.grad.norm().item() + 1e-300)


def _encoder(cfg: TransformerConfig, placement: str) -> tuple[nn.Module, nn.Embedding, nn.Linear]:
    """A notebook's stack: nn.TransformerEncoder of nn.TransformerEncoderLayer (norm_first for Pre-LN)."""
    layer = nn.TransformerEncoderLayer(
        cfg.d_model, cfg.heads, cfg.ff_mult * cfg.d_model, dropout=0.0, batch_first=True, norm_first=placement == "pre"
    )
    final = nn.LayerNorm(cfg.d_model) if placement == "pre" else None
    stack = nn.TransformerEncoder(layer, cfg.layers, norm=final, enable_nested_tensor=False)
    return stack, nn.Embedding(cfg.vocab, cfg.d_model), nn.Linear(cfg.d_model, cfg.vocab)


def _encoder_loss(cfg: TransformerConfig, parts, tokens: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    stack, emb, out = parts
    t = tokens.shape[-1]
    h = stack(emb(tokens) + positions(t, cfg.d_model), mask=nn.Transformer.generate_square_subsequent_mask(t),
              is_causal=True)
    return F.cross_entropy(out(h).reshape(-1, cfg.vocab), targets.reshape(-1))


def naive_transformer_profile(cfg: TransformerConfig) -> None:
    """Per placement and seed: build the encoder stack, one backward, per-layer weight-gradient norms via .item()."""
    tokens, targets = task_batch(list(range(cfg.seeds)), 1, cfg.batch_size, cfg.seq_len, cfg.vocab)
    for placement in cfg.placements:
        if placement == "none":
            continue  # nn.TransformerEncoderLayer always normalises; the engine's no-norm runs come free
        for seed in range(cfg.seeds):
            torch.manual_seed(seed)
            parts = _encoder(cfg, placement)
            _encoder_loss(cfg, parts, tokens[0, seed], targets[0, seed]).backward()
            for block in parts[0].layers:
                [p.grad.norm().item() for name, p in block.named_parameters() if p.dim() == 2]


def naive_transformer_train(cfg: TransformerTrainConfig) -> None:
    """Per placement, schedule and seed: encoder stack, torch.optim.Adam, LambdaLR warm-up, loss.item() per step."""
    m = cfg.model
    tokens, targets = task_batch(list(range(m.seeds)), cfg.steps, m.batch_size, m.seq_len, m.vocab)
    for placement in m.placements:
        for warm in (0, cfg.warmup_steps):
            for seed in range(m.seeds):
                torch.manual_seed(seed)
                parts = _encoder(m, placement)
                params = [p for part in parts for p in part.parameters()]
                opt = torch.optim.Adam(params, lr=cfg.lr, betas=(0.9, 0.98), eps=1e-9)
                sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s, w=warm: min(1.0, (s + 1) / w) if w else 1.0)
                for step in range(cfg.steps):
                    opt.zero_grad()
                    loss = _encoder_loss(m, parts, tokens[step, seed], targets[step, seed])
                    loss.backward()
                    opt.step()
                    sched.step()
                    loss.item()


def naive_digits(cfg: DigitsConfig) -> None:
    """Per variant and seed: nn.Sequential (BatchNorm1d, residual blocks), torch.optim.SGD, loss.item() per step."""
    x_train, y_train, x_test, y_test = digits_split()
    for variant in cfg.variants:
        fields = VARIANT_FIELDS[variant]
        act = TORCH_MODULES[str(fields["activation"])]
        for seed in range(cfg.seeds):
            torch.manual_seed(seed)
            blocks = nn.ModuleList(
                nn.Sequential(nn.Linear(64 if i == 0 else cfg.width, cfg.width),
                              *([nn.BatchNorm1d(cfg.width)] if fields.get("norm") == "batch" else []), act())
                for i in range(cfg.depth)
            )
            readout = nn.Linear(cfg.width, 10)
            params = [*blocks.parameters(), *readout.parameters()]
            opt = torch.optim.SGD(params, lr=cfg.lr, momentum=0.9)

            residual = bool(fields.get("residual"))

            def run(x, blocks=blocks, readout=readout, residual=residual):
                h = blocks[0](x)
                for block in blocks[1:]:
                    h = h + block(h) if residual else block(h)
                return readout(h)

            for step in range(cfg.steps):
                idx = torch.randint(0, len(x_train), (cfg.batch_size,))
                opt.zero_grad()
                loss = F.cross_entropy(run(x_train[idx]), y_train[idx])
                loss.backward()
                opt.step()
                loss.item()
                if step % cfg.eval_every == 0:
                    with torch.no_grad():
                        (run(x_test).argmax(1) == y_test).float().mean().item()


def sklearn_first_import_s() -> float:
    """CPU seconds of `from sklearn.datasets import load_digits` in a fresh interpreter."""
    code = (
        "import time; t = time.process_time(); from sklearn.datasets import load_digits; "
        "print(time.process_time() - t)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


def _row(label: str, engine: Callable[[], object], naive: Callable[[], object] | None, repeats: int = 3) -> None:
    t_engine = best_of(engine, repeats)
    if naive is None:
        print(f"{label:58s} {t_engine * 1e3:9.1f} ms")
        return
    t_naive = best_of(naive, 1)
    print(f"{label:58s} {t_engine * 1e3:9.1f} ms   baseline {t_naive * 1e3:9.1f} ms   {t_naive / t_engine:6.1f}x")


def main() -> None:
    """Print each runner's default time, its baseline and the ratio."""
    ensure_runtime()
    digits_split()  # the one-off scikit-learn import is reported on its own line below
    print(f"torch {torch.__version__}, {torch.get_num_threads()} intra-op thread(s), CPU ms, best of 1-3 runs")
    phase = PhaseConfig()
    _row("phase_diagram(PhaseConfig()) [target ~1 s]", lambda: phase_diagram(phase), lambda: naive_phase(phase))
    tp = TransformerConfig()
    _row("transformer_profile(TransformerConfig()) [target 250 ms]", lambda: transformer_profile(tp),
         lambda: naive_transformer_profile(tp))
    tt = TransformerTrainConfig()
    _row("transformer_train(TransformerTrainConfig()) [target ~2 s]", lambda: transformer_train(tt), None, repeats=1)
    short = TransformerTrainConfig(steps=20, warmup_steps=5)
    _row("  same, 20 steps", lambda: transformer_train(short), lambda: naive_transformer_train(short), repeats=1)
    pp = PrecisionConfig()
    same_net = MLPConfig(depth=pp.depth, width=pp.width, batch_size=pp.batch_size, seeds=pp.seeds)
    _row("precision_profile(PrecisionConfig()) vs float32 engine", lambda: precision_profile(pp),
         lambda: gradient_profile(same_net))
    _row("precision_train(PrecisionTrainConfig()) [target ~2 s]", lambda: precision_train(PrecisionTrainConfig()),
         None, repeats=1)
    _row("digits_train(DigitsConfig()) [target ~2 s]", lambda: digits_train(DigitsConfig()), None, repeats=1)
    dshort = DigitsConfig(steps=40)
    _row("  same, 40 steps", lambda: digits_train(dshort), lambda: naive_digits(dshort), repeats=1)
    print(f"first scikit-learn import (fresh interpreter, once per process): {sklearn_first_import_s() * 1e3:.0f} ms")

