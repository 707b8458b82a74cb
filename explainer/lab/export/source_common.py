"""Code text shared by every exported experiment: imports, the engine's per-seed random streams and initialisers.

These strings are the exported program (plain PyTorch, no Gradient Lab import). They mirror
explainer/experiments/seeding.py and models.py draw for draw; tests/test_export_code.py runs them and compares.
"""

IMPORTS = '''\
import math

import altair as alt
import numpy as np
import pandas as pd
import torch
from torch import nn

# Deep sigmoid nets underflow into denormal floats, which are very slow on CPUs; the app flushes them to zero,
# and so must we to get the same numbers (a gradient of 1e-39 becomes exactly 0).
flushed = torch.set_flush_denormal(True)  # False only on CPUs without the flush-to-zero mode
torch.set_num_threads(1)  # these nets are small: one thread is fastest, and it is what the app uses
'''

STREAMS = '''\
WEIGHT_STREAM, BIAS_STREAM, DATA_STREAM = 0, 1, 2  # separate streams: the data do not change with the init


class Stream:
    """The random numbers of one (seed, stream): uniforms from numpy's PCG64, normals from a torch.Generator.

    Both are seeded from numpy's SeedSequence([seed, stream]), so seed 3 draws the same numbers here as in the
    app, whichever other seeds run.
    """

    def __init__(self, seed: int, stream_id: int):
        for_uniform, for_normal = np.random.SeedSequence([seed, stream_id]).spawn(2)
        self.rng = np.random.default_rng(for_uniform)
        self.gen = torch.Generator().manual_seed(int(for_normal.generate_state(1)[0]))

    def uniform(self, *shape: int) -> torch.Tensor:
        """U[0, 1) float32 of `shape`."""
        return torch.from_numpy(self.rng.random(shape, dtype=np.float32))

    def normal(self, *shape: int) -> torch.Tensor:
        """N(0, 1) float32 of `shape` (one draw of the whole shape: torch's sequence depends on it)."""
        return torch.empty(shape).normal_(generator=self.gen)
'''

INIT = '''\
LEAKY_SLOPE = 0.01  # nn.LeakyReLU's default negative slope


def weight_std(init: str, fan_in: int, fan_out: int, scale, activation: str) -> float:
    """Standard deviation of one weight; `scale` (init_scale) replaces the gain or, for *_normal inits, the std."""
    if init == "pytorch_default":  # nn.Linear's own U(+-1/sqrt(fan_in)), times the gain override
        return (scale or 1.0) / math.sqrt(3 * fan_in)
    if init == "zeros":
        return 0.0
    if init in ("small_normal", "large_normal"):
        return scale or (0.01 if init == "small_normal" else 1.0)
    if init in ("xavier_uniform", "xavier_normal"):  # Glorot & Bengio 2010: Var[w] = 2 / (fan_in + fan_out)
        return (scale or 1.0) * math.sqrt(2.0 / (fan_in + fan_out))
    if init in ("he_uniform", "he_normal"):  # He et al. 2015: Var[w] = gain^2 / fan_in
        slope = LEAKY_SLOPE if activation == "leaky_relu" else 0.0
        return (scale or math.sqrt(2.0 / (1.0 + slope**2))) / math.sqrt(fan_in)
    return (scale or 1.0) / math.sqrt(max(fan_in, fan_out))  # orthogonal


def orthogonal(a: torch.Tensor) -> torch.Tensor:
    """nn.init.orthogonal_ of a normal draw: QR, with the signs fixed by diag(R)."""
    rows, cols = a.shape
    if rows < cols:
        a = a.T
    q, r = torch.linalg.qr(a)
    q = q * torch.sign(torch.diagonal(r)).unsqueeze(0)
    return q.T if rows < cols else q


def init_weight(stream: Stream, fan_out: int, fan_in: int, init: str, scale, activation: str) -> torch.Tensor:
    """One (fan_out, fan_in) weight matrix, drawn from the seed's weight stream."""
    std = weight_std(init, fan_in, fan_out, scale, activation)
    if init == "zeros":
        return torch.zeros(fan_out, fan_in)
    if init in ("pytorch_default", "xavier_uniform", "he_uniform"):
        bound = std * math.sqrt(3)  # U(-a, a) has std a / sqrt(3)
        return stream.uniform(fan_out, fan_in).mul_(2 * bound).sub_(bound)
    w = stream.normal(fan_out, fan_in)
    return orthogonal(w) * (scale or 1.0) if init == "orthogonal" else w.mul_(std)


def init_bias(stream: Stream, size: int, fan_in: int, init: str) -> torch.Tensor:
    """nn.Linear's U(+-1/sqrt(fan_in)) for pytorch_default (from the bias stream), zeros for every other init."""
    if init != "pytorch_default":
        return torch.zeros(size)
    bound = 1.0 / math.sqrt(fan_in)
    return stream.uniform(size).mul_(2 * bound).sub_(bound)
'''

BAND_CHART = '''\
def band_chart(df: pd.DataFrame, x: str, y: str, x_title: str, y_title: str, log: bool = True) -> alt.LayerChart:
    """Median of `y` over seeds per (series, x) with the 10-90 % band, one colour per variant."""
    q = df.groupby(["series", x], sort=False)[y].quantile([0.1, 0.5, 0.9]).unstack().reset_index()
    q.columns = ["series", x, "lo", "median", "hi"]
    order = list(dict.fromkeys(df["series"]))
    scale = alt.Scale(type="log") if log else alt.Scale(zero=False)
    base = alt.Chart(q).encode(x=alt.X(f"{x}:Q", title=x_title), color=alt.Color("series:N", sort=order, title=None))
    band = base.mark_area(opacity=0.2).encode(y=alt.Y("lo:Q", scale=scale, title=y_title), y2="hi:Q")
    line = base.mark_line(point=True).encode(y="median:Q", tooltip=["series", x, "median", "lo", "hi"])
    return (band + line).properties(width=600, height=320)
'''
