"""Code text of the exported phase diagram: a deep net per (σ_w, σ_b, seed), ‖δ_1‖/‖δ_L‖, mean-field χ₁ (phase.py)."""

from explainer.lab.export.cell import Cell, md

ABOUT = (
    "Plain PyTorch, no Gradient Lab import: for every (σ_w, σ_b) of the grid and every seed, a deep net with the "
    "app's weights (the same numpy/torch random streams, draw for draw), `loss.backward()`, and the error gradient "
    "δ_l = ∂L/∂z_l read from `.grad`; then the mean-field theory that draws the critical line. It runs one σ_w of "
    "the grid at a time, in float64, so it is slower than the app's batched engine. The numbers match the app's up "
    "to floating-point rounding, except on the chaotic side (χ₁ > 1): there a deep net amplifies any rounding "
    "difference, and the app's own numbers move as much when σ_w moves by a millionth."
)

MODEL = '''\
ACTIVATIONS = {"tanh": nn.Tanh, "relu": nn.ReLU, "sigmoid": nn.Sigmoid}
SIGMA_W_MAX = {"tanh": 4.0, "relu": 4.0, "sigmoid": 16.0}  # the sigma_w axis's end when sigma_w_max is None


class GridNets(nn.Module):
    """G deep nets side by side, one per grid point g: z_l = W_l h_{l-1} + b_l, h_l = phi(z_l), with
    W_l = sigma_w[g] Z_l / sqrt(width) ~ N(0, sigma_w^2 / fan_in) and b_l = sigma_b[g] b_l ~ N(0, sigma_b^2).

    Every net scales the same draws Z_l, b_l, so neighbouring cells differ only in sigma_w and sigma_b. The nets
    share nothing else: the sum of their losses gives each its own gradient.
    """

    def __init__(self, activation: str, draws: dict, sigma_w: np.ndarray, sigma_b: np.ndarray):
        super().__init__()
        width = draws["x"].shape[1]
        sw = torch.as_tensor(sigma_w, dtype=torch.float64).view(-1, 1, 1) / math.sqrt(width)
        sb = torch.as_tensor(sigma_b, dtype=torch.float64).view(-1, 1, 1)
        self.weights = nn.ParameterList(sw * Z_l.double() for Z_l in draws["Z"])  # (G, width, width) per layer
        self.biases = nn.ParameterList(sb * b_l.double() for b_l in draws["b"])  # (G, 1, width)
        self.register_buffer("v", draws["v"].double())  # the fixed random readout
        self.act = ACTIVATIONS[activation]()
        self.z: list[torch.Tensor] = []  # pre-activations (G, batch, width) of the last pass; .grad = delta_l

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Each net's loss, the batch mean of v . h_depth: shape (G,)."""
        self.z, h = [], x.double()
        for W, b in zip(self.weights, self.biases, strict=True):
            z = h @ W.mT + b
            z.retain_grad()
            self.z.append(z)
            h = self.act(z)
        return (h @ self.v).mean(1)


def seed_draws(cfg: dict, seed: int) -> dict:
    """The seed's standard-normal numbers, the same at every grid point: Z_l for each layer and the readout v from
    the weight stream, b_l from the bias stream, the inputs x from the data stream."""
    width, depth = cfg["width"], cfg["depth"]
    weights, biases = Stream(seed, WEIGHT_STREAM), Stream(seed, BIAS_STREAM)
    Z = [weights.normal(width, width) for _ in range(depth)]
    v = weights.normal(width) / math.sqrt(width)
    b = [biases.normal(width) for _ in range(depth)]
    return {"Z": Z, "v": v, "b": b, "x": Stream(seed, DATA_STREAM).normal(cfg["batch_size"], width)}


def grid_axes(cfg: dict) -> tuple[np.ndarray, np.ndarray]:
    """The sigma_w and sigma_b values of the grid."""
    w_max = cfg["sigma_w_max"] or SIGMA_W_MAX[cfg["activation"]]
    return (np.linspace(cfg["sigma_w_min"], w_max, cfg["sigma_w_steps"]),
            np.linspace(cfg["sigma_b_min"], cfg["sigma_b_max"], cfg["sigma_b_steps"]))
'''

MEASURE = '''\
def log10_ratio(first: torch.Tensor, last: torch.Tensor) -> np.ndarray:
    """log10(||first|| / ||last||) per net (norms over all but the first axis); NaN where a layer's units all died."""
    ratio = torch.log10(first.flatten(1).norm(dim=1) / last.flatten(1).norm(dim=1)).numpy()
    return np.where(np.isfinite(ratio), ratio, math.nan)


def phase_diagram(cfg: dict) -> pd.DataFrame:
    """One forward/backward pass per seed and sigma_w (all sigma_b at once); one row per (sigma_w, sigma_b, seed).

    log10_ratio compares layer 1's error gradient delta_1 = dL/dz_1 with the top layer's (what mean-field theory
    predicts); log10_weight_ratio compares dL/dW_1 with dL/dW_depth (what an optimizer sees).
    float64: in the ordered phase a deep sigmoid net's layer 1 gets 10^-45 of the top's gradient, below float32's
    range (the app stays in float32 and rescales the error to unit norm at every layer instead).
    """
    sigma_ws, sigma_bs = grid_axes(cfg)
    frames = []
    for seed in range(cfg["seed"], cfg["seed"] + cfg["seeds"]):
        draws = seed_draws(cfg, seed)
        for sigma_w in sigma_ws:
            nets = GridNets(cfg["activation"], draws, np.full_like(sigma_bs, sigma_w), sigma_bs)
            loss = nets(draws["x"]).sum()
            loss.backward()
            frames.append(pd.DataFrame({
                "sigma_w": sigma_w, "sigma_b": sigma_bs, "seed": seed,
                "log10_ratio": log10_ratio(nets.z[0].grad, nets.z[-1].grad),
                "log10_weight_ratio": log10_ratio(nets.weights[0].grad, nets.weights[-1].grad)}))
    return pd.concat(frames, ignore_index=True)
'''

THEORY = '''\
EPS = (torch.arange(-8000, 8000, dtype=torch.float64) + 0.5) * 1e-3  # e in (-8, 8), midpoint rule with step 1e-3
EPS_WEIGHT = torch.exp(-0.5 * EPS**2) / math.sqrt(2 * math.pi) * 1e-3  # N(0, 1) density x step
SLOPES = {"tanh": lambda u: 1 - torch.tanh(u) ** 2, "relu": lambda u: (u > 0).double(),
          "sigmoid": lambda u: torch.sigmoid(u) * (1 - torch.sigmoid(u))}
FUNCTIONS = {"tanh": torch.tanh, "relu": torch.relu, "sigmoid": torch.sigmoid}
Q_MIN = 1e-10
Q_NODES = np.concatenate([[0.0], np.geomspace(Q_MIN, 1e4, 561)])  # q where E[.] is tabulated (40 per decade)
TABLES: dict[str, tuple[np.ndarray, np.ndarray]] = {}


def dense_moments(activation: str, q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(E[phi(sqrt(q) e)^2], E[phi'(sqrt(q) e)^2]), e ~ N(0, 1), for each q, by the midpoint rule on EPS."""
    m2, d2 = [], []
    for chunk in np.array_split(q, max(1, len(q) // 100)):  # 100 q at a time: 16,000 points each
        u = torch.from_numpy(np.sqrt(chunk)).unsqueeze(1) * EPS
        m2.append((FUNCTIONS[activation](u) ** 2 @ EPS_WEIGHT).numpy())
        d2.append((SLOPES[activation](u) ** 2 @ EPS_WEIGHT).numpy())
    return np.concatenate(m2), np.concatenate(d2)


def interpolate(log_table: np.ndarray, q: np.ndarray) -> np.ndarray:
    """A tabulated moment at q: linear in (log q, log E) above Q_MIN, linear in q below."""
    above = np.exp(np.interp(np.log(np.maximum(q, Q_MIN)), np.log(Q_NODES[1:]), log_table[1:]))
    at_0, at_min = np.exp(log_table[0]), np.exp(log_table[1])
    return np.where(q < Q_MIN, at_0 + (at_min - at_0) * q / Q_MIN, above)


def table(activation: str) -> tuple[np.ndarray, np.ndarray]:
    """log E[phi^2] and log E[phi'^2] at Q_NODES, computed once per activation."""
    if activation not in TABLES:
        with np.errstate(divide="ignore"):  # tanh: E[phi^2] = 0 at q = 0
            TABLES[activation] = tuple(np.log(t) for t in dense_moments(activation, Q_NODES))
    return TABLES[activation]


def moments(activation: str, q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """E[phi^2] and E[phi'^2] at the variances q. ReLU scales exactly (relu(c u) = c relu(u)); tanh and sigmoid are
    tabulated once and interpolated (a Gauss-Hermite rule fails at large q, where phi'^2 is a narrow spike)."""
    if activation == "relu":
        m2, d2 = dense_moments("relu", np.array([1.0]))
        return q * m2[0], np.full_like(q, d2[0])
    log_m2, log_d2 = table(activation)
    return interpolate(log_m2, q), interpolate(log_d2, q)


def fixed_point(activation: str, sw: np.ndarray, sb: np.ndarray) -> np.ndarray:
    """q* of the variance map q -> sw^2 E[phi(sqrt(q) e)^2] + sb^2 (inf where ReLU's grows without bound)."""
    if activation == "relu":  # the map is linear: q* = sb^2 / (1 - sw^2 E[relu(e)^2])
        slope = sw**2 * moments("relu", np.ones(1))[0][0]
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(slope < 1, sb**2 / (1 - slope), math.inf)
    lo, hi = np.zeros_like(sw), sw**2 + sb**2 + 1.0  # |phi| <= 1 for tanh and sigmoid bounds q*
    log_m2 = table(activation)[0]
    for _ in range(60):  # bisection for the largest root, the stable one
        mid = 0.5 * (lo + hi)
        above = sw**2 * interpolate(log_m2, mid) + sb**2 >= mid
        lo, hi = np.where(above, mid, lo), np.where(above, hi, mid)
    return lo


def chi1(activation: str, sw: np.ndarray, sb: np.ndarray) -> np.ndarray:
    """chi_1 = sw^2 E[phi'(sqrt(q*) e)^2]: below 1 ordered (gradients vanish), above 1 chaotic (they explode)."""
    q = fixed_point(activation, sw, sb)
    return sw**2 * moments(activation, np.where(np.isfinite(q), q, 1.0))[1]


def predicted_log10_ratio(activation: str, sw: np.ndarray, sb: np.ndarray, depth: int) -> np.ndarray:
    """log10(||delta_1|| / ||delta_depth||) = 1/2 sum of log10 chi_l along the variance map from q_1 = sw^2 + sb^2."""
    q, total = sw**2 + sb**2, np.zeros_like(sw)
    for _ in range(depth - 1):
        m2, d2 = moments(activation, q)
        with np.errstate(divide="ignore"):
            total += 0.5 * np.log10(sw**2 * d2)
        q = sw**2 * m2 + sb**2
    return total


def critical_sigma_w(activation: str, sb: np.ndarray) -> np.ndarray:
    """For each sigma_b, the sigma_w where chi_1 = 1 (bisection in [0.05, 24]; NaN where there is none)."""
    lo, hi = np.full_like(sb, 0.05), np.full_like(sb, 24.0)
    bracketed = (chi1(activation, lo, sb) < 1) & (chi1(activation, hi, sb) > 1)
    for _ in range(40):
        mid = 0.5 * (lo + hi)
        below = chi1(activation, mid, sb) < 1
        lo, hi = np.where(below, mid, lo), np.where(below, hi, mid)
    return np.where(bracketed, 0.5 * (lo + hi), math.nan)


def theory(cfg: dict) -> pd.DataFrame:
    """Mean-field quantities of every grid point: q_star, chi1, phase, predicted_log10_ratio."""
    sigma_ws, sigma_bs = grid_axes(cfg)
    sw, sb = (a.ravel() for a in np.meshgrid(sigma_ws, sigma_bs, indexing="ij"))
    c, act = chi1(cfg["activation"], sw, sb), cfg["activation"]
    return pd.DataFrame({"sigma_w": sw, "sigma_b": sb, "q_star": fixed_point(act, sw, sb), "chi1": c,
                         "phase": np.where(c < 1, "ordered", np.where(c > 1, "chaotic", "critical")),
                         "predicted_log10_ratio": predicted_log10_ratio(act, sw, sb, cfg["depth"])})
'''

RUN = '''\
results = pd.concat([phase_diagram(cfg).merge(theory(cfg), on=["sigma_w", "sigma_b"]).assign(series=label)
                     for label, cfg in VARIANTS], ignore_index=True)'''

SUMMARY = '''\
def agreement(df: pd.DataFrame, margin: float = 0.25) -> pd.DataFrame:
    """Per variant: the median cell's measured log10 ratio in each phase, and on how many cells away from the critical
    line (|ln chi_1| > margin) the measurement has the sign theory predicts."""
    rows = []
    for label, g in df.groupby("series", sort=False):
        cells = g.groupby(["sigma_w", "sigma_b"]).agg(measured=("log10_ratio", "median"), chi1=("chi1", "first"))
        away = cells[np.abs(np.log(cells["chi1"])) > margin]
        agree = int((np.sign(away["measured"]) == np.sign(np.log(away["chi1"]))).sum())
        rows.append({"series": label,
                     "ordered: median log10(first/last)": cells.loc[cells["chi1"] < 1, "measured"].median(),
                     "chaotic: median log10(first/last)": cells.loc[cells["chi1"] > 1, "measured"].median(),
                     "sign as theory predicts": f"{agree} of {len(away)} cells"})
    return pd.DataFrame(rows)
'''

CHART = '''\
def phase_chart(df: pd.DataFrame, cfg: dict, clamp: float = 6.0) -> alt.LayerChart:
    """Heatmap of the median measured log10(first/last) over seeds (blue vanishing, red exploding), with the
    critical line chi_1 = 1 from the theory (dashed)."""
    cells = df.groupby(["sigma_w", "sigma_b"]).agg(measured=("log10_ratio", "median"), chi1=("chi1", "first"),
                                                   predicted=("predicted_log10_ratio", "first")).reset_index()
    for axis in ("sigma_w", "sigma_b"):
        half = np.diff(np.sort(cells[axis].unique()))[0] / 2
        cells[f"{axis}_lo"], cells[f"{axis}_hi"] = cells[axis] - half, cells[axis] + half
    color = alt.Color("measured:Q", title="log10(first / last)", scale=alt.Scale(
        scheme="redblue", reverse=True, domain=[-clamp, clamp], domainMid=0, clamp=True))
    heat = alt.Chart(cells).mark_rect().encode(
        x=alt.X("sigma_w_lo:Q", title="sigma_w (weight scale)", scale=alt.Scale(nice=False)), x2="sigma_w_hi",
        y=alt.Y("sigma_b_lo:Q", title="sigma_b (bias scale)", scale=alt.Scale(nice=False)), y2="sigma_b_hi",
        color=color, tooltip=["sigma_w", "sigma_b", "measured", "predicted", "chi1"])
    sb = np.linspace(cfg["sigma_b_min"], cfg["sigma_b_max"], 41)
    line = pd.DataFrame({"sigma_b": sb, "sigma_w": critical_sigma_w(cfg["activation"], sb)}).dropna()
    line = line[line["sigma_w"].between(cells["sigma_w_lo"].min(), cells["sigma_w_hi"].max())]
    crit = alt.Chart(line).mark_line(color="black", strokeDash=[7, 3], strokeWidth=2.5).encode(
        x="sigma_w:Q", y="sigma_b:Q", order="sigma_b:Q")
    return (heat + crit).properties(width=420, height=360, title=f"{cfg['activation']}, depth {cfg['depth']}")


chart = alt.hconcat(*[phase_chart(results[results["series"] == label], cfg) for label, cfg in VARIANTS])
'''


def body() -> list[Cell]:
    """The cells after the variants and random streams."""
    return [
        md("## The networks\n\nOne deep net per grid point (σ_w, σ_b); the nets of one σ_w run side by side."),
        Cell(MODEL),
        md("## Forward and backward passes: the error gradient of every layer"),
        Cell(MEASURE),
        md("## Mean-field theory\n\nA wide random net's pre-activations have variance q_{l+1} = σ_w²·E[φ(√q_l ε)²] + "
           "σ_b² (Poole et al. 2016); each layer multiplies the error's mean square by χ_l = σ_w²·E[φ'(√q_l ε)²], "
           "and at the fixed point q* that is χ₁ (Schoenholz et al. 2017): χ₁ < 1 ordered (vanishing), χ₁ > 1 "
           "chaotic (exploding). The critical line χ₁ = 1 is found by bisection, not drawn by hand."),
        Cell(THEORY),
        Cell(RUN, show="results.head()"),
        md("## Summary"),
        Cell(SUMMARY, show="agreement(results)"),
        md("## Chart: the measured phase diagram and the critical line"),
        Cell(CHART, show="chart", chart=True),
    ]
