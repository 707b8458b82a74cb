"""Code text of the exported digits lab: deep nets on scikit-learn's 8x8 digits, step-0 profile, SGD (digits.py)."""

from explainer.lab.export import source_common as common
from explainer.lab.export.cell import Cell, md

ABOUT = (
    "Plain PyTorch, no Gradient Lab import: one `nn.Module` per remedy and seed, with the app's initialisation, "
    "data split, mini-batches and seeds (the same numpy/torch random streams, draw for draw), `loss.backward()`, "
    "each layer's gradient norm at step 0 read from `.grad`, and SGD with momentum. It trains one network at a "
    "time, so it is slower than the app's batched engine. The step-0 gradients match the app's up to "
    "floating-point rounding; over training rounding differences grow, so accuracies agree to within a few "
    "images where a run is sensitive to them."
)

DATA = '''\
import torch.nn.functional as F
from sklearn.datasets import load_digits


def digits_split() -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """(x_train, y_train, x_test, y_test): scikit-learn's 1,797 images of 8x8 pixels, split once into 1,437 training
    and 360 test images by a fixed permutation (not the experiment's seeds), standardised with the training set's
    mean and std."""
    data = load_digits()
    order = np.random.default_rng(0).permutation(len(data.target))
    test, train = order[:360], order[360:]
    x = data.data.astype(np.float32)
    mean, std = x[train].mean(0), x[train].std(0)
    x = (x - mean) / np.where(std > 0, std, 1.0)  # a few border pixels are always 0
    y = data.target.astype(np.int64)
    return tuple(torch.from_numpy(np.ascontiguousarray(a)) for a in (x[train], y[train], x[test], y[test]))


def batches(cfg: dict, seed: int, n_train: int) -> list[np.ndarray]:
    """The seed's mini-batches: batch_size training images per step, without replacement within a step."""
    rng = Stream(seed, DATA_STREAM).rng
    return [rng.choice(n_train, cfg["batch_size"], replace=False) for _ in range(cfg["steps"])]
'''

MODEL = '''\
VARIANT_FIELDS = {  # the baseline and each remedy: what changes in the network
    "baseline": {"activation": "sigmoid", "init": "pytorch_default"},
    "relu_he": {"activation": "relu", "init": "he_normal"},
    "batchnorm": {"activation": "sigmoid", "init": "pytorch_default", "norm": "batch"},
    "residual": {"activation": "sigmoid", "init": "pytorch_default", "residual": True},
    "tanh_xavier": {"activation": "tanh", "init": "xavier_normal"},
}
ACTIVATIONS = {"sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "relu": nn.ReLU}


class DigitsNet(nn.Module):
    """64 pixels -> `depth` hidden layers Linear -> [BatchNorm1d] -> activation (+ skip from layer 2 on) -> 10 logits.
    """

    def __init__(self, cfg: dict, variant: dict):
        super().__init__()
        width = cfg["width"]
        self.hidden = nn.ModuleList(nn.Linear(64 if i == 0 else width, width) for i in range(cfg["depth"]))
        self.norms = nn.ModuleList(nn.BatchNorm1d(width) for _ in self.hidden) if variant.get("norm") else None
        self.act = ACTIVATIONS[variant["activation"]]()
        self.residual = variant.get("residual", False)
        self.readout = nn.Linear(width, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = x
        for i, linear in enumerate(self.hidden):
            z = linear(h)
            if self.norms is not None:  # always in training mode: it normalises with the batch's own statistics
                z = self.norms[i](z)
            a = self.act(z)
            h = h + a if self.residual and i > 0 else a
        return self.readout(h)


def build_net(cfg: dict, name: str, seed: int) -> DigitsNet:
    """The seed's network for one variant, drawn layer by layer from the seed's weight and bias streams."""
    variant = VARIANT_FIELDS[name]
    model = DigitsNet(cfg, variant)
    weights, biases = Stream(seed, WEIGHT_STREAM), Stream(seed, BIAS_STREAM)
    with torch.no_grad():
        for linear in [*model.hidden, model.readout]:
            fan_out, fan_in = linear.weight.shape
            linear.weight.copy_(init_weight(weights, fan_out, fan_in, variant["init"], None, variant["activation"]))
            linear.bias.copy_(init_bias(biases, fan_out, fan_in, variant["init"]))
    return model
'''

PROFILE = '''\
def step0_profile(cfg: dict) -> pd.DataFrame:
    """Each variant's gradient norm per hidden layer on its seed's first training batch, before any update."""
    x_train, y_train, _, _ = digits_split()
    rows = []
    for name in cfg["variants"]:
        for seed in range(cfg["seed"], cfg["seed"] + cfg["seeds"]):
            model, idx = build_net(cfg, name, seed), batches(dict(cfg, steps=1), seed, len(x_train))[0]
            loss = F.cross_entropy(model(x_train[idx]), y_train[idx])
            loss.backward()
            for layer, linear in enumerate(model.hidden, start=1):
                rows.append({"variant": name, "seed": seed, "layer": layer,
                             "grad_norm": linear.weight.grad.norm().item()})
    return pd.DataFrame(rows)
'''

TRAIN = '''\
def digits_train(cfg: dict) -> pd.DataFrame:
    """SGD with momentum 0.9 on one mini-batch per step; loss and accuracy on every training and test image at
    step 0, every eval_every steps and after the last step."""
    x_train, y_train, x_test, y_test = digits_split()
    checkpoints = {0, *range(cfg["eval_every"], cfg["steps"], cfg["eval_every"]), cfg["steps"]}
    rows = []
    for name in cfg["variants"]:
        for seed in range(cfg["seed"], cfg["seed"] + cfg["seeds"]):
            model = build_net(cfg, name, seed)
            opt = torch.optim.SGD(model.parameters(), lr=cfg["lr"], momentum=0.9, foreach=True)
            steps = batches(cfg, seed, len(x_train))
            for step in range(cfg["steps"] + 1):
                if step in checkpoints:
                    with torch.no_grad():
                        for split, x, y in (("train", x_train, y_train), ("test", x_test, y_test)):
                            logits = model(x)
                            loss = F.cross_entropy(logits, y).item()
                            rows.append({"variant": name, "seed": seed, "step": step, "split": split,
                                         "loss": loss if math.isfinite(loss) else math.nan,
                                         "accuracy": (logits.argmax(-1) == y).float().mean().item()})
                if step == cfg["steps"]:
                    break
                opt.zero_grad()
                loss = F.cross_entropy(model(x_train[steps[step]]), y_train[steps[step]])
                loss.backward()
                opt.step()
    return pd.DataFrame(rows)
'''

RUN = '''\
LABELS = {"baseline": "baseline", "relu_he": "ReLU + He", "batchnorm": "BatchNorm", "residual": "residual",
          "tanh_xavier": "tanh + Xavier"}
profile = pd.concat([step0_profile(cfg).assign(setting=name) for name, cfg in VARIANTS], ignore_index=True)
profile["series"] = profile["variant"].map(LABELS)
results = pd.concat([digits_train(cfg).assign(setting=name) for name, cfg in VARIANTS], ignore_index=True)
results["series"] = results["variant"].map(LABELS)'''

SUMMARY = '''\
def outcome(profile: pd.DataFrame, results: pd.DataFrame, learned: float = 0.5) -> pd.DataFrame:
    """Per variant (medians over seeds): layer 1's gradient / the last hidden layer's at step 0, and the held-out
    accuracy after the last step: "learns" at >= 50 % (chance is 10 %), "diverged" when most seeds' loss is NaN."""
    wide = profile.pivot_table(index=["series", "seed"], columns="layer", values="grad_norm")
    ratio = (wide[wide.columns.min()] / wide[wide.columns.max()]).groupby("series", sort=False).median()
    test = results[(results["split"] == "test") & (results["step"] == results["step"].max())]
    rows = []
    for series, g in test.groupby("series", sort=False):
        ok = g[g["loss"].notna()]
        accuracy = ok["accuracy"].median()
        verdict = "diverged" if 2 * (len(g) - len(ok)) > len(g) else "learns" if accuracy >= learned else "stalls"
        rows.append({"series": series, "first/last gradient at step 0": ratio[series],
                     "test accuracy": accuracy, "verdict": verdict})
    return pd.DataFrame(rows)
'''

CHART = '''\
accuracy_chart = band_chart(results[results["split"] == "test"], "step", "accuracy", "training step",
                            "held-out accuracy (chance: 10 %)", log=False)
profile_chart = band_chart(profile, "layer", "grad_norm", "layer (1 = nearest the pixels)",
                           "gradient norm at step 0")
chart = alt.hconcat(accuracy_chart.properties(width=380), profile_chart.properties(width=380))
'''


def body() -> list[Cell]:
    """The cells after the variants, random streams and initialisers."""
    return [
        md("## Data: scikit-learn's handwritten digits"),
        Cell(DATA),
        md("## The networks: the baseline and each remedy"),
        Cell(MODEL),
        md("## Gradient per layer at step 0"),
        Cell(PROFILE),
        md("## Training, one network at a time"),
        Cell(TRAIN),
        Cell(RUN, show="results.head()"),
        md("## Summary"),
        Cell(SUMMARY, show="outcome(profile, results)"),
        md("## Charts: held-out accuracy over training beside the step-0 gradient profile"),
        Cell(common.BAND_CHART),
        Cell(CHART, show="chart", chart=True),
    ]
