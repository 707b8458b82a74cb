"""Code text of the exported transformer lab: Post-LN / Pre-LN / no-norm stacks, init profile, Adam with warm-up."""

from explainer.lab.export import source_common as common
from explainer.lab.export.cell import Cell, md

ABOUT = (
    "Plain PyTorch, no Gradient Lab import: one `nn.Module` transformer stack per norm placement, schedule and "
    "seed, with the app's weights and batches (the same numpy/torch random streams, draw for draw), "
    "`loss.backward()`, the gradient of each block's weights at initialisation, and Adam with and without a "
    "learning-rate warm-up. It trains one stack at a time, so it is slower than the app's batched engine. The "
    "initial gradients match the app's up to floating-point rounding; training amplifies rounding differences, "
    "so a stack that stalls or diverges may wander differently after a few dozen steps."
)

MODEL = '''\
import torch.nn.functional as F

NORM_EPS = 1e-5  # nn.LayerNorm's default, used for RMSNorm too


def make_norm(norm_type: str, d: int) -> nn.Module:
    """LayerNorm (centre, scale, shift) or RMSNorm (divide by the root mean square, scale; no shift)."""
    return nn.LayerNorm(d, eps=NORM_EPS) if norm_type == "layer" else nn.RMSNorm(d, eps=NORM_EPS)


class Block(nn.Module):
    """Causal self-attention then a ReLU MLP, each a sub-layer F with its own norm N placed as

    post: h = N(h + F(h))     pre: h = h + F(N(h))     none: h = h + F(h)
    """

    def __init__(self, cfg: dict, placement: str):
        super().__init__()
        d, self.heads, self.placement = cfg["d_model"], cfg["heads"], placement
        self.qkv = nn.Linear(d, 3 * d, bias=False)  # queries, keys and values in one matrix
        self.proj = nn.Linear(d, d, bias=False)
        self.ff1 = nn.Linear(d, cfg["ff_mult"] * d)
        self.ff2 = nn.Linear(cfg["ff_mult"] * d, d)
        self.norms = nn.ModuleList(make_norm(cfg["norm_type"], d) for _ in range(2)) if placement != "none" else None

    def attention(self, x: torch.Tensor) -> torch.Tensor:
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        mixed = F.scaled_dot_product_attention(q, k, v, is_causal=True)  # (b, heads, t, d / heads)
        return self.proj(mixed.transpose(1, 2).reshape(b, t, d))

    def mlp(self, x: torch.Tensor) -> torch.Tensor:
        return self.ff2(torch.relu(self.ff1(x)))

    def forward(self, h: torch.Tensor) -> torch.Tensor:
        for i, sub in enumerate((self.attention, self.mlp)):
            if self.placement == "post":
                h = self.norms[i](h + sub(h))
            elif self.placement == "pre":
                h = h + sub(self.norms[i](h))
            else:
                h = h + sub(h)
        return h


def positions(seq_len: int, d: int) -> torch.Tensor:
    """Sinusoidal position codes (seq_len, d) of Vaswani et al. (2017)."""
    pos = torch.arange(seq_len, dtype=torch.float32).unsqueeze(1)
    angle = pos / 10_000 ** (torch.arange(0, d, 2, dtype=torch.float32) / d)
    out = torch.zeros(seq_len, d)
    out[:, 0::2], out[:, 1::2] = torch.sin(angle), torch.cos(angle[:, : d // 2])
    return out


class Transformer(nn.Module):
    """Token embedding + positions, `layers` blocks, (Pre-LN: a final norm,) a linear readout to the vocabulary."""

    def __init__(self, cfg: dict, placement: str):
        super().__init__()
        d, vocab = cfg["d_model"], cfg["vocab"]
        self.embed = nn.Embedding(vocab, d)
        self.blocks = nn.ModuleList(Block(cfg, placement) for _ in range(cfg["layers"]))
        self.final_norm = make_norm(cfg["norm_type"], d) if placement == "pre" else nn.Identity()
        self.readout = nn.Linear(d, vocab)

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        h = self.embed(tokens) + positions(tokens.shape[1], self.embed.embedding_dim)
        for block in self.blocks:
            h = block(h)
        return self.readout(self.final_norm(h))


def build_transformer(cfg: dict, placement: str, seed: int) -> Transformer:
    """The seed's stack: embeddings N(0, 1), every matrix Glorot-normal N(0, 2 / (fan_in + fan_out)), biases 0,
    norm gains 1 and shifts 0. The app draws each matrix as (fan_in, fan_out) (it computes x @ W), in this order:
    embedding, then each kind of matrix for all blocks; nn.Linear stores the transpose."""
    model = Transformer(cfg, placement)
    stream, layers = Stream(seed, WEIGHT_STREAM), cfg["layers"]

    def glorot(fan_in: int, fan_out: int) -> torch.Tensor:
        return stream.normal(fan_in, fan_out).mul_(math.sqrt(2.0 / (fan_in + fan_out))).T

    with torch.no_grad():
        model.embed.weight.copy_(stream.normal(cfg["vocab"], cfg["d_model"]))
        for name in ("qkv", "proj", "ff1", "ff2"):
            for block in model.blocks:
                linear = getattr(block, name)
                linear.weight.copy_(glorot(linear.in_features, linear.out_features))
        model.readout.weight.copy_(glorot(cfg["d_model"], cfg["vocab"]))
        for module in model.modules():
            if isinstance(module, nn.Linear) and module.bias is not None:
                module.bias.zero_()
    return model  # nn.LayerNorm / nn.RMSNorm start with gain 1 and shift 0 already


def task_batches(cfg: dict, seed: int, steps: int) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """A fresh batch per step: tokens uniform in 0..vocab-1; each position's target is the largest token so far."""
    stream, out = Stream(seed, DATA_STREAM), []
    for _ in range(steps):
        tokens = (stream.uniform(cfg["batch_size"], cfg["seq_len"]) * cfg["vocab"]).long().clamp(max=cfg["vocab"] - 1)
        out.append((tokens, tokens.cummax(-1).values))
    return out


def loss_and_accuracy(model: Transformer, tokens: torch.Tensor, targets: torch.Tensor):
    """Mean cross-entropy over every token, and the share of tokens whose most likely value is the target."""
    logits = model(tokens)
    loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1))
    return loss, (logits.argmax(-1) == targets).float().mean().item()
'''

PROFILE = '''\
def init_profile(cfg: dict) -> pd.DataFrame:
    """Gradient norm of each block's weights at initialisation, on the seed's first batch; every placement."""
    rows = []
    for placement in ("post", "pre", "none"):
        for seed in range(cfg["seed"], cfg["seed"] + cfg["seeds"]):
            model = build_transformer(cfg, placement, seed)
            loss, _ = loss_and_accuracy(model, *task_batches(cfg, seed, 1)[0])
            loss.backward()
            for layer, block in enumerate(model.blocks, start=1):
                attention = block.qkv.weight.grad.norm() ** 2 + block.proj.weight.grad.norm() ** 2
                mlp = block.ff1.weight.grad.norm() ** 2 + block.ff2.weight.grad.norm() ** 2
                rows.append({"placement": placement, "seed": seed, "layer": layer,
                             "grad_norm": (attention + mlp).sqrt().item(),
                             "attention_grad_norm": attention.sqrt().item(), "mlp_grad_norm": mlp.sqrt().item()})
    return pd.DataFrame(rows)
'''

TRAIN = '''\
def schedule(cfg: dict, warmup: int) -> np.ndarray:
    """Learning rate of every step: a linear warm-up over `warmup` steps (0: none), then constant."""
    steps = np.arange(cfg["steps"])
    return cfg["lr"] * (np.minimum(1.0, (steps + 1) / warmup) if warmup else np.ones(cfg["steps"]))


def transformer_train(cfg: dict) -> pd.DataFrame:
    """Train every placement x schedule x seed from the same initial weights; one row per step.

    Adam with beta = (0.9, 0.98) and eps = 1e-9 (Vaswani et al. 2017). Each step draws a fresh batch, so the
    training loss is a held-out loss too; loss and accuracy are measured before the step's update.
    """
    net, rows = cfg["model"], []
    for placement in net["placements"]:
        for warmup in (0, cfg["warmup_steps"]):
            for seed in range(net["seed"], net["seed"] + net["seeds"]):
                model = build_transformer(net, placement, seed)
                opt = torch.optim.Adam(model.parameters(), betas=(0.9, 0.98), eps=1e-9, foreach=True)
                lrs = schedule(cfg, warmup)
                for step, (tokens, targets) in enumerate(task_batches(net, seed, cfg["steps"])):
                    opt.zero_grad()
                    loss, accuracy = loss_and_accuracy(model, tokens, targets)
                    loss.backward()
                    rows.append({"placement": placement, "warmup_steps": warmup, "seed": seed, "step": step,
                                 "lr": lrs[step], "loss": loss.item() if loss.isfinite() else math.nan,
                                 "accuracy": accuracy})
                    for group in opt.param_groups:
                        group["lr"] = float(lrs[step])
                    opt.step()
    return pd.DataFrame(rows)
'''

RUN = '''\
PLACEMENT_LABELS = {"post": "Post-LN", "pre": "Pre-LN", "none": "no norm"}
profile = pd.concat([init_profile(cfg["model"]).assign(setting=label) for label, cfg in VARIANTS], ignore_index=True)
profile["series"] = profile["placement"].map(PLACEMENT_LABELS)
results = pd.concat([transformer_train(cfg).assign(setting=label) for label, cfg in VARIANTS], ignore_index=True)
results["series"] = results["placement"].map(PLACEMENT_LABELS)
results["schedule"] = np.where(results["warmup_steps"] > 0, "warm-up", "no warm-up")'''

SUMMARY = '''\
def outcome(df: pd.DataFrame, last: int = 10, learned: float = 0.9) -> pd.DataFrame:
    """Per placement and schedule: loss and accuracy averaged over the last `last` steps (median over seeds);
    "learns" at >= 90 % accuracy, "diverged" when most seeds' loss became inf/NaN, else "stalls"."""
    tail = df[df["step"] > df["step"].max() - last]
    per_seed = tail.groupby(["series", "schedule", "seed"], sort=False)[["loss", "accuracy"]].agg(
        lambda s: s.mean(skipna=False)).reset_index()
    rows = []
    for (series, sched), g in per_seed.groupby(["series", "schedule"], sort=False):
        ok, bad = g[g["loss"].notna()], int(g["loss"].isna().sum())
        accuracy = ok["accuracy"].median()
        verdict = "diverged" if 2 * bad > len(g) else "learns" if accuracy >= learned else "stalls"
        rows.append({"series": series, "schedule": sched, "final loss": ok["loss"].median(),
                     "final accuracy": accuracy, "verdict": verdict})
    return pd.DataFrame(rows)


def last_over_first(profile: pd.DataFrame) -> pd.Series:
    """Median over seeds of the last block's gradient norm / the first block's, at initialisation."""
    wide = profile.pivot_table(index=["series", "seed"], columns="layer", values="grad_norm")
    return (wide[wide.columns.max()] / wide[wide.columns.min()]).groupby("series", sort=False).median()
'''

CHART = '''\
loss_chart = band_chart(results.assign(series=results["series"] + ", " + results["schedule"]), "step", "loss",
                        "training step", "loss (cross-entropy)")
profile_chart = band_chart(profile, "layer", "grad_norm", "block (1 = next to the embedding)",
                           "gradient norm of the block's weights at init")
chart = alt.vconcat(profile_chart, loss_chart)
'''


def body() -> list[Cell]:
    """The cells after the variants and random streams."""
    return [
        md("## The task and the model\n\nTokens x_1..x_T are uniform in 0..vocab-1 and the target at position t is "
           "the running maximum max(x_1..x_t): attention has to look back over the whole prefix."),
        Cell(MODEL),
        md("## Gradients at initialisation, per block\n\nPost-LN's gradients are largest next to the output "
           "(Xiong et al. 2020); Pre-LN keeps an identity path from the loss to every block."),
        Cell(PROFILE),
        md("## Training with and without warm-up, one stack at a time"),
        Cell(TRAIN),
        Cell(RUN, show="results.head()"),
        md("## Summary"),
        Cell(SUMMARY, show="outcome(results)"),
        md("## Charts: gradient per block at init; loss over training (median over seeds and the 10-90 % band)"),
        Cell(common.BAND_CHART),
        Cell(CHART, show="chart", chart=True),
    ]
