"""Code text of the exported deep-MLP experiment: data, model, per-seed gradient profile (mirrors mlp.py, models.py)."""

DATA = '''\
def make_data(cfg: dict, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """The seed's fixed batch: x ~ N(0, I), y = sin(x . u) (gaussian), or two interleaved noisy spirals, y = +-1."""
    stream, b, width = Stream(seed, DATA_STREAM), cfg["batch_size"], cfg["width"]
    if cfg["data"] == "spirals":
        arm = (torch.arange(b) % 2).float()
        t = stream.uniform(b).sqrt()  # sqrt spreads the points evenly along each arm
        angle = 3 * math.pi * t + math.pi * arm
        x = torch.stack([t * torch.cos(angle), t * torch.sin(angle)], -1) * 2
        x = x + 0.05 * stream.normal(b, 2)
        return x, (2 * arm - 1).unsqueeze(-1)
    x = stream.normal(b, width)
    u = stream.normal(width, 1) / math.sqrt(width)  # a fixed random "teacher" direction
    return x, torch.sin(x @ u)
'''

MODEL = '''\
ACTIVATIONS = {
    "sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "relu": nn.ReLU, "leaky_relu": lambda: nn.LeakyReLU(LEAKY_SLOPE),
    "elu": nn.ELU, "gelu": nn.GELU, "linear": nn.Identity,
}


class MLP(nn.Module):
    """`depth` hidden layers Linear -> [BatchNorm1d] -> activation (+ skip connection from layer 2 on), a readout."""

    def __init__(self, cfg: dict):
        super().__init__()
        width, d_in = cfg["width"], 2 if cfg["data"] == "spirals" else cfg["width"]
        self.hidden = nn.ModuleList(nn.Linear(d_in if i == 0 else width, width) for i in range(cfg["depth"]))
        self.norms = nn.ModuleList(nn.BatchNorm1d(width) for _ in self.hidden) if cfg["norm"] == "batch" else None
        self.act = ACTIVATIONS[cfg["activation"]]()
        self.readout = nn.Linear(width, 1)
        self.residual = cfg["residual"]
        self.z: list[torch.Tensor] = []  # pre-activations and activations of the last forward pass
        self.a: list[torch.Tensor] = []

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self.z, self.a = [], []
        h = x
        for i, linear in enumerate(self.hidden):
            z = linear(h)
            if self.norms is not None:
                z = self.norms[i](z)
            a = self.act(z)
            self.z.append(z.detach())
            self.a.append(a.detach())
            h = h + a if self.residual and i > 0 else a
        return self.readout(h)


def build_mlp(cfg: dict, seed: int) -> MLP:
    """The seed's network with the app's initial weights: layer by layer from the seed's weight and bias streams."""
    model = MLP(cfg)
    weights, biases = Stream(seed, WEIGHT_STREAM), Stream(seed, BIAS_STREAM)
    with torch.no_grad():
        for linear in [*model.hidden, model.readout]:
            fan_out, fan_in = linear.weight.shape
            linear.weight.copy_(init_weight(weights, fan_out, fan_in, cfg["init"], cfg["init_scale"],
                                            cfg["activation"]))
            linear.bias.copy_(init_bias(biases, fan_out, fan_in, cfg["init"]))
    return model
'''

PROFILE = '''\
SATURATION = 0.1  # a unit is saturated (or dead) where |f'(z)| < 10 % of the activation's peak |f'|
GELU_PEAK = 0.5 * (1 + math.erf(1.0)) + math.sqrt(2) * math.exp(-1.0) / math.sqrt(2 * math.pi)  # gelu' at sqrt(2)


def saturated(activation: str, a: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
    """Mask of saturated sigmoid/tanh/elu/gelu units and dead (leaky) ReLUs, from the activations a = f(z)."""
    if activation == "sigmoid":  # s(1 - s) < 0.025  <=>  |s - 1/2| > sqrt(1/4 - 0.025)
        return (a - 0.5).abs() > math.sqrt(0.25 - SATURATION * 0.25)
    if activation == "tanh":  # 1 - a^2 < 0.1
        return a.abs() > math.sqrt(1 - SATURATION)
    if activation in ("relu", "leaky_relu"):
        return a <= 0
    if activation == "elu":  # elu'(z) = a + 1 for z <= 0
        return a < SATURATION - 1
    if activation == "gelu":
        slope = 0.5 * (1 + torch.erf(z / math.sqrt(2))) + z * torch.exp(-0.5 * z * z) / math.sqrt(2 * math.pi)
        return slope.abs() < SATURATION * GELU_PEAK
    return torch.zeros_like(a, dtype=torch.bool)


def gradient_profile(cfg: dict) -> pd.DataFrame:
    """One forward/backward pass per seed; one row per (seed, hidden layer).

    grad_norm is the Frobenius norm of dL/dW of each hidden layer for the mean squared error; act_mean and act_std
    describe the layer's activations f(z); saturated_frac is the share of saturated or dead units.
    """
    rows = []
    for seed in range(cfg["seed"], cfg["seed"] + cfg["seeds"]):
        model = build_mlp(cfg, seed)  # train mode: BatchNorm normalises over the batch
        x, y = make_data(cfg, seed)
        loss = ((model(x) - y) ** 2).mean()
        loss.backward()
        for layer, (linear, z, a) in enumerate(zip(model.hidden, model.z, model.a, strict=True), start=1):
            # the population std as the app computes it: float32 squares below 1e-38 flush to 0, so activations
            # smaller than ~1e-19 have std 0 here (a.std() would give a tiny nonzero value)
            std = torch.linalg.vector_norm(a - a.mean()) / math.sqrt(a.numel())
            rows.append({
                "seed": seed, "layer": layer, "grad_norm": linear.weight.grad.norm().item(),
                "act_mean": a.mean().item(), "act_std": std.item(),
                "saturated_frac": saturated(cfg["activation"], a, z).float().mean().item(),
            })
    return pd.DataFrame(rows)
'''

RUN = '''\
results = pd.concat([gradient_profile(cfg).assign(series=label) for label, cfg in VARIANTS], ignore_index=True)'''

SUMMARY = '''\
def verdicts(df: pd.DataFrame, x: str, first_is_max: bool = False) -> pd.DataFrame:
    """Median over seeds of grad_norm(first) / grad_norm(last): < 1e-2 vanishing, > 1e2 exploding, else healthy."""
    rows = []
    for label, g in df.groupby("series", sort=False):
        wide = g.pivot(index="seed", columns=x, values="grad_norm")
        first, last = (wide.columns.max(), wide.columns.min()) if first_is_max else (wide.columns.min(),
                                                                                     wide.columns.max())
        ratio = float((wide[first] / wide[last]).median())
        verdict = "vanishing" if ratio < 1e-2 else "exploding" if ratio > 1e2 else "healthy"
        rows.append({"series": label, "first/last gradient": ratio, "verdict": verdict})
    return pd.DataFrame(rows)
'''

CHART = '''\
chart = band_chart(results, "layer", "grad_norm", "layer (1 = nearest the input)", "gradient norm of the weights")
'''

SUMMARY_CALL = 'verdicts(results, "layer")'
