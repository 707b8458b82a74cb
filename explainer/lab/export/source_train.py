"""Code text of the exported training experiment: full-batch SGD/Adam with clipping and L2 (mirrors training.py)."""

TRAIN = '''\
def finite(v: float) -> float:
    """v, or NaN for +-inf (a diverged step's metrics are stored as NaN)."""
    return v if math.isfinite(v) else math.nan


def train_run(cfg: dict) -> pd.DataFrame:
    """Train each seed's network on its fixed batch; one row per (seed, step), up to the step it diverges.

    loss and grad_norm are measured before the update; grad_norm_clipped after clipping; weight_norm is the norm
    of all parameters. A seed diverges at the first step whose loss or gradient norm is NaN or infinite.
    """
    net, rows = cfg["model"], []
    for seed in range(net["seed"], net["seed"] + net["seeds"]):
        if net["kind"] == "rnn":
            model, (x, y) = build_rnn(net, seed), make_sequence(net, seed)
        else:
            model, (x, y) = build_mlp(net, seed), make_data(net, seed)
        params = list(model.parameters())
        optimizer = torch.optim.Adam if cfg["optimizer"] == "adam" else torch.optim.SGD
        # foreach=True: the same optimizer code path as the app, so the updates match to the last bit or so
        opt = optimizer(params, lr=cfg["lr"], weight_decay=cfg["weight_decay"], foreach=True)
        for step in range(cfg["steps"]):
            opt.zero_grad()
            loss = ((model(x) - y) ** 2).mean()
            loss.backward()
            with torch.no_grad():
                weight_norm = torch.linalg.vector_norm(torch.stack([p.norm() for p in params])).item()
                total = torch.linalg.vector_norm(torch.stack([p.grad.norm() for p in params]))
                diverged = not torch.isfinite(loss + total).item()  # NaN or +-inf in the loss or any gradient
                grad_norm = total.item()
                if cfg["clip"] == "norm":  # rescale the whole gradient to at most max_norm
                    torch.nn.utils.clip_grad_norm_(params, cfg["max_norm"])
                elif cfg["clip"] == "value":  # clamp every entry to +-clip_value
                    torch.nn.utils.clip_grad_value_(params, cfg["clip_value"])
                clipped = (torch.linalg.vector_norm(torch.stack([p.grad.norm() for p in params])).item()
                           if cfg["clip"] != "none" else grad_norm)
            rows.append({"seed": seed, "step": step, "loss": finite(loss.item()), "grad_norm": finite(grad_norm),
                         "grad_norm_clipped": finite(clipped), "weight_norm": finite(weight_norm),
                         "diverged": diverged})
            if diverged:
                break
            opt.step()
    return pd.DataFrame(rows)
'''

RUN = '''\
results = pd.concat([train_run(cfg).assign(series=label) for label, cfg in VARIANTS], ignore_index=True)'''

SUMMARY = '''\
def outcome(df: pd.DataFrame) -> pd.DataFrame:
    """Per variant: seeds that diverged (and the first step), the median final loss of the others."""
    rows = []
    for label, g in df.groupby("series", sort=False):
        bad = g[g["diverged"]]
        last = g[~g["seed"].isin(bad["seed"])].groupby("seed").tail(1)
        rows.append({"series": label, "diverged seeds": f"{bad['seed'].nunique()} of {g['seed'].nunique()}",
                     "first divergence": bad["step"].min() if len(bad) else None,
                     "median final loss": last["loss"].median() if len(last) else None})
    return pd.DataFrame(rows)
'''

CHART = '''\
chart = band_chart(results, "step", "grad_norm", "training step", "gradient norm before clipping")
'''

SUMMARY_CALL = 'outcome(results)'
