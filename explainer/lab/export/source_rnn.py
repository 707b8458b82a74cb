"""Code text of the exported recurrent experiment: nn.*Cell stepped by hand, ‖∂L/∂h_t‖ per step (mirrors rnn.py)."""

MODEL = '''\
INPUT_SIZE = 4
GATES = {"rnn_tanh": 1, "rnn_relu": 1, "lstm": 4, "gru": 3}


class RecurrentNet(nn.Module):
    """A vanilla RNN, LSTM or GRU cell stepped over the sequence, and a linear readout of the last hidden state."""

    def __init__(self, cfg: dict):
        super().__init__()
        kind, hidden = cfg["cell"], cfg["hidden"]
        if kind in ("rnn_tanh", "rnn_relu"):
            self.cell = nn.RNNCell(INPUT_SIZE, hidden, nonlinearity=kind[4:])
        else:
            self.cell = (nn.LSTMCell if kind == "lstm" else nn.GRUCell)(INPUT_SIZE, hidden)
        self.readout = nn.Linear(hidden, 1)
        self.states: list[torch.Tensor] = []  # h_0 .. h_{T-1} of the last forward pass, with .grad after backward

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = x.new_zeros(x.shape[1], self.cell.hidden_size)
        c = torch.zeros_like(h)
        self.states = []
        for x_t in x:  # x: (time, batch, INPUT_SIZE)
            if isinstance(self.cell, nn.LSTMCell):
                h, c = self.cell(x_t, (h, c))
            else:
                h = self.cell(x_t, h)
            h.retain_grad()
            self.states.append(h)
        return self.readout(h)


def build_rnn(cfg: dict, seed: int) -> RecurrentNet:
    """The seed's network with the app's initial weights (per gate block, in nn.*Cell's gate order)."""
    model = RecurrentNet(cfg)
    hidden, gates, init, scale = cfg["hidden"], GATES[cfg["cell"]], cfg["init"], cfg["init_scale"]
    weights, biases = Stream(seed, WEIGHT_STREAM), Stream(seed, BIAS_STREAM)
    w_ih = [init_weight(weights, hidden, INPUT_SIZE, init, scale, "tanh") for _ in range(gates)]
    w_hh = [init_weight(weights, hidden, hidden, init, scale, "tanh") for _ in range(gates)]
    w_out = init_weight(weights, 1, hidden, init, scale, "tanh")
    if init == "pytorch_default":  # nn.RNN's own U(+-1/sqrt(hidden)) for the input weights too
        w_ih = [w * math.sqrt(INPUT_SIZE / hidden) for w in w_ih]
    b_ih, b_hh = init_bias(biases, gates * hidden, hidden, init), init_bias(biases, gates * hidden, hidden, init)
    b_out = init_bias(biases, 1, hidden, init)
    if cfg["cell"] in ("lstm", "gru"):  # forget gate (LSTM: i, f, g, o) / update gate (GRU: r, z, n) starts open
        b_ih[hidden : 2 * hidden] += cfg["forget_bias"]
    with torch.no_grad():
        model.cell.weight_ih.copy_(torch.cat(w_ih))
        model.cell.weight_hh.copy_(torch.cat(w_hh))
        model.cell.bias_ih.copy_(b_ih)
        model.cell.bias_hh.copy_(b_hh)
        model.readout.weight.copy_(w_out)
        model.readout.bias.copy_(b_out)
    return model


def make_sequence(cfg: dict, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Inputs x_t ~ N(0, I_4), t = 0..T-1; the target is the first feature of the first input (remember x_0)."""
    x = Stream(seed, DATA_STREAM).normal(cfg["seq_len"], cfg["batch_size"], INPUT_SIZE)
    return x, x[0, :, :1].clone()
'''

PROFILE = '''\
def bptt_profile(cfg: dict) -> pd.DataFrame:
    """||dL/dh_t|| for every step, per seed: steps_back 0 = the last step .. seq_len - 1 = the first."""
    rows = []
    for seed in range(cfg["seed"], cfg["seed"] + cfg["seeds"]):
        model = build_rnn(cfg, seed)
        x, y = make_sequence(cfg, seed)
        loss = ((model(x) - y) ** 2).mean()
        loss.backward()
        for back, h in enumerate(reversed(model.states)):
            rows.append({"seed": seed, "steps_back": back, "grad_norm": h.grad.norm().item()})
    return pd.DataFrame(rows)
'''

RUN = '''\
results = pd.concat([bptt_profile(cfg).assign(series=label) for label, cfg in VARIANTS], ignore_index=True)'''

SUMMARY = '''\
def verdicts(df: pd.DataFrame) -> pd.DataFrame:
    """Median over seeds of ||dL/dh_first|| / ||dL/dh_last||: < 1e-2 vanishing, > 1e2 exploding, else healthy."""
    rows = []
    for label, g in df.groupby("series", sort=False):
        wide = g.pivot(index="seed", columns="steps_back", values="grad_norm")
        ratio = float((wide[wide.columns.max()] / wide[0]).median())
        verdict = "vanishing" if ratio < 1e-2 else "exploding" if ratio > 1e2 else "healthy"
        rows.append({"series": label, "first/last gradient": ratio, "verdict": verdict})
    return pd.DataFrame(rows)
'''

CHART = '''\
chart = band_chart(results, "steps_back", "grad_norm", "time steps back from the loss", "gradient norm ||dL/dh_t||")
'''

SUMMARY_CALL = 'verdicts(results)'
