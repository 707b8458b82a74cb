"""Code text of the exported mixed-precision lab: half precision simulated in float32, loss scaling, GradScaler."""

from explainer.lab.export import source_common as common
from explainer.lab.export import source_mlp as mlp
from explainer.lab.export.cell import Cell, md

ABOUT = (
    "Plain PyTorch, no Gradient Lab import: one `nn.Module` per storage format, loss scaling and seed, with the "
    "app's initialisation, data and seeds (the same numpy/torch random streams, draw for draw), `loss.backward()` "
    "and the gradients read from `.grad`. Half precision is simulated as in the app: computed in float32 and "
    "rounded to float16 or bfloat16 wherever autocast would store a tensor (CPU float16 kernels are slow, and a "
    "float16 matmul accumulates in float32 and rounds its result, as here). It runs one network at a time, so it "
    "is slower than the app's batched engine; the numbers match the app's up to floating-point rounding, which "
    "can move an entry across float16's underflow threshold now and then."
)

STORAGE = '''\
import torch.nn.functional as F

FORMATS = {"float32": None, "float16": torch.float16, "bfloat16": torch.bfloat16}
MODES = [("float32", "none"), ("float16", "none"), ("float16", "fixed"), ("float16", "dynamic"), ("bfloat16", "none")]
SMALLEST_NORMAL = {"float32": 2.0**-126, "float16": 2.0**-14, "bfloat16": 2.0**-126}  # below: subnormal


def stored(t: torch.Tensor, fmt) -> torch.Tensor:
    """t as stored in `fmt`: rounded to it and back to float32 (fmt None: float32, unchanged). On the way back
    autograd casts the gradient to each tensor's format too, so the gradient of a stored tensor is stored as well."""
    return t if fmt is None else t.to(fmt).float()


def slope_times(activation: str, grad: torch.Tensor, a: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
    """grad x phi'(z), from the stored output a = phi(z), in the same floating-point steps as autograd's kernels."""
    if activation == "sigmoid":
        return grad * (1 - a) * a
    if activation == "tanh":
        return grad * torch.addcmul(torch.ones_like(a), a, a, value=-1)  # 1 - a^2, with one rounding (fused)
    if activation == "relu":
        return torch.where(a > 0, grad, 0.0)
    if activation == "leaky_relu":
        return torch.where(a > 0, grad, grad * LEAKY_SLOPE)
    if activation == "elu":
        return torch.where(a > 0, grad, grad * (a + 1))
    if activation == "gelu":  # GELU is not invertible: its derivative reads z, through autograd's own kernel
        with torch.enable_grad():
            z = z.detach().requires_grad_()
            return torch.autograd.grad(F.gelu(z), z, grad)[0]
    return grad  # linear


class StoredActivation(torch.autograd.Function):
    """a = phi(z), stored in `fmt`. Its backward stores the incoming gradient in `fmt` and computes phi' from the
    stored tensors, as a half-precision kernel would (autograd's own sigmoid would read its unrounded output)."""

    @staticmethod
    def forward(ctx, z: torch.Tensor, activation: str, fmt) -> torch.Tensor:
        a = stored(ACTIVATIONS[activation]()(z), fmt)
        ctx.save_for_backward(z, a)
        ctx.activation, ctx.fmt = activation, fmt
        return a

    @staticmethod
    def backward(ctx, grad: torch.Tensor):
        z, a = ctx.saved_tensors
        return stored(slope_times(ctx.activation, stored(grad, ctx.fmt), a, z), ctx.fmt), None, None


def amp_loss(model: MLP, x: torch.Tensor, y: torch.Tensor, activation: str, fmt) -> torch.Tensor:
    """The mean squared error, with what autocast keeps in half precision stored in `fmt`: the weights' half copies,
    the inputs, every layer's output z and activation a, the network's output. The loss stays float32."""
    h = stored(x, fmt)
    for linear in model.hidden:
        z = stored(F.linear(h, stored(linear.weight, fmt), linear.bias), fmt)
        h = StoredActivation.apply(z, activation, fmt)
    out = stored(F.linear(h, stored(model.readout.weight, fmt), model.readout.bias), fmt)
    return ((out - y) ** 2).mean()


def scaled_backward(model: MLP, x: torch.Tensor, y: torch.Tensor, activation: str, fmt, scale: float):
    """Backward of scale x loss; every gradient stored in `fmt`, then divided by the scale for the update.

    Returns the loss, the stored (still scaled) weight gradients of the hidden layers, and whether any stored
    gradient holds inf/NaN (GradScaler then skips the step).
    """
    model.zero_grad()
    loss = amp_loss(model, x, y, activation, fmt)
    (loss * scale).backward()
    params = list(model.parameters())
    for p in params:
        p.grad = stored(p.grad, fmt)  # the bias gradients too (the weights' already are)
    grads = [linear.weight.grad.clone() for linear in model.hidden]
    found_inf = not all(torch.isfinite(p.grad).all() for p in params)
    for p in params:
        p.grad.mul_(1.0 / scale)
    return loss.item(), grads, found_inf


def as_mlp(net: dict) -> dict:
    """The lab's MLP config of a precision config (its init_scale is GradScaler's start, not a weight scale)."""
    return dict(net, data="gaussian", norm="none", residual=False, init_scale=None)


def first_scale(net: dict, scaling: str) -> float:
    return {"none": 1.0, "fixed": net["fixed_scale"], "dynamic": net["init_scale"]}[scaling]
'''

PROFILE = '''\
def init_profile(net: dict) -> pd.DataFrame:
    """One pass at initialisation per format, scaling and seed; one row per hidden layer.

    zero_frac: share of the layer's stored weight-gradient entries that are exactly 0; subnormal_frac: nonzero but
    below the format's smallest normal number; grad_norm: of the unscaled gradient. Dynamic scaling halves its scale
    while the stored gradient overflows, as GradScaler's first skipped steps do.
    """
    rows = []
    for dtype, scaling in MODES:
        for seed in range(net["seed"], net["seed"] + net["seeds"]):
            model, (x, y) = build_mlp(as_mlp(net), seed), make_data(as_mlp(net), seed)
            scale = first_scale(net, scaling)
            for _ in range(64):
                _, grads, found_inf = scaled_backward(model, x, y, net["activation"], FORMATS[dtype], scale)
                if not (found_inf and scaling == "dynamic"):
                    break
                scale *= 0.5
            for layer, (g, linear) in enumerate(zip(grads, model.hidden, strict=True), start=1):
                zero = (g == 0).float().mean().item()
                rows.append({"dtype": dtype, "scaling": scaling, "seed": seed, "layer": layer, "scale": scale,
                             "zero_frac": zero,
                             "subnormal_frac": (g.abs() < SMALLEST_NORMAL[dtype]).float().mean().item() - zero,
                             "grad_norm": linear.weight.grad.norm().item()})
    return pd.DataFrame(rows)
'''

TRAIN = '''\
def precision_train(cfg: dict) -> pd.DataFrame:
    """Train every format x scaling x seed on its fixed batch; one row per step, measured before the update.

    A step whose stored gradient holds inf/NaN is skipped (GradScaler.step). Dynamic scaling (GradScaler.update)
    halves the scale on inf/NaN and doubles it after growth_interval clean steps in a row.
    """
    net, rows = cfg["model"], []
    for dtype, scaling in MODES:
        for seed in range(net["seed"], net["seed"] + net["seeds"]):
            model, (x, y) = build_mlp(as_mlp(net), seed), make_data(as_mlp(net), seed)
            optimizer = torch.optim.Adam if cfg["optimizer"] == "adam" else torch.optim.SGD
            opt = optimizer(model.parameters(), lr=cfg["lr"], foreach=True)
            scale, clean = first_scale(net, scaling), 0
            first = model.hidden[0].weight.detach().clone()
            for step in range(cfg["steps"]):
                moved = ((model.hidden[0].weight - first).norm() / first.norm()).item()
                loss, grads, found_inf = scaled_backward(model, x, y, net["activation"], FORMATS[dtype], scale)
                zeros = [(g == 0).sum().item() for g in grads]
                rows.append({"dtype": dtype, "scaling": scaling, "seed": seed, "step": step,
                             "loss": loss if math.isfinite(loss) else math.nan, "scale": scale, "skipped": found_inf,
                             "zero_frac_first": zeros[0] / grads[0].numel(),
                             "zero_frac": sum(zeros) / sum(g.numel() for g in grads), "first_layer_moved": moved})
                if not found_inf:
                    opt.step()
                if scaling == "dynamic":
                    clean = 0 if found_inf else clean + 1
                    if found_inf:
                        scale *= 0.5
                    elif clean == cfg["growth_interval"]:
                        scale, clean = scale * 2.0, 0
    return pd.DataFrame(rows)
'''

RUN = '''\
def label(dtype: str, scaling: str) -> str:
    """Legend name of a run: "float16, dynamic scaling", "bfloat16", "float32"."""
    return f"{dtype}, {'no' if scaling == 'none' else scaling} scaling" if dtype == "float16" else dtype


profile = pd.concat([init_profile(cfg["model"]).assign(setting=name) for name, cfg in VARIANTS], ignore_index=True)
profile["series"] = [label(d, s) for d, s in zip(profile["dtype"], profile["scaling"], strict=True)]
results = pd.concat([precision_train(cfg).assign(setting=name) for name, cfg in VARIANTS], ignore_index=True)
results["series"] = [label(d, s) for d, s in zip(results["dtype"], results["scaling"], strict=True)]'''

SUMMARY = '''\
def outcome(profile: pd.DataFrame, results: pd.DataFrame) -> pd.DataFrame:
    """Per run type (medians over seeds): layer 1's entries stored as 0 at init, the loss scale used, the steps
    skipped on overflow, and the final loss."""
    first = profile[profile["layer"] == 1].groupby("series", sort=False)[["zero_frac", "scale"]].median()
    last = results[results["step"] == results["step"].max()].groupby("series", sort=False)["loss"].median()
    skipped = results.groupby(["series", "seed"], sort=False)["skipped"].sum().groupby("series", sort=False).median()
    return pd.DataFrame({"layer 1 stored as 0 at init": first["zero_frac"], "scale at init": first["scale"],
                         "skipped steps": skipped, "final loss": last}).reset_index()
'''

CHART = '''\
zero_chart = band_chart(profile, "layer", "zero_frac", "layer (1 = nearest the input)",
                        "share of the gradient stored as 0 (at init)", log=False)
scale_chart = band_chart(results, "step", "scale", "training step", "loss scale")
loss_chart = band_chart(results, "step", "loss", "training step", "loss (float32)")
chart = alt.vconcat(zero_chart, scale_chart, loss_chart)
'''


def body() -> list[Cell]:
    """The cells after the variants, random streams and initialisers."""
    return [
        md("## Data and model\n\nThe deep MLP of the other labs (Gaussian inputs, y = sin(x · u)), without BatchNorm "
           "or skip connections."),
        Cell(mlp.DATA),
        Cell(mlp.MODEL),
        md("## Half-precision storage and loss scaling\n\nfloat16 has 5 exponent bits: its smallest positive number "
           "is 6·10⁻⁸, and a gradient entry below it is stored as 0. Loss scaling multiplies the loss by S before "
           "backward, so every stored gradient is S times larger, and divides by S before the update "
           "(Micikevicius et al. 2018). bfloat16 has float32's 8 exponent bits."),
        Cell(STORAGE),
        md("## What float16 loses at initialisation, per layer"),
        Cell(PROFILE),
        md("## Training with each format and scaling"),
        Cell(TRAIN),
        Cell(RUN, show="results.head()"),
        md("## Summary"),
        Cell(SUMMARY, show="outcome(profile, results)"),
        md("## Charts: lost share per layer at init; loss scale and loss over training (median and 10-90 % band)"),
        Cell(common.BAND_CHART),
        Cell(CHART, show="chart", chart=True),
    ]
