"""Experiment configs: frozen, bounded pydantic models; a bad value from a URL or a slider is refused here.

Field names are also the lab pages' URL query keys, so a URL reproduces an experiment exactly.
Unknown keys are refused (``extra="forbid"``); pydantic's messages name the field and the allowed range.
"""

from __future__ import annotations

from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, model_validator

from explainer.experiments.activations import NAMES

Activation = Literal[NAMES]  # one record per activation in activations.py; adding one there adds it here
Init = Literal[
    "pytorch_default",  # nn.Linear's own: U(±1/sqrt(fan_in)) for weights and biases
    "zeros",  # every weight 0: the symmetry trap (biases 0 too)
    "small_normal",  # N(0, 0.01²): signals shrink layer by layer
    "large_normal",  # N(0, 1²): signals blow up or saturate
    "xavier_uniform",  # Glorot & Bengio 2010: Var[w] = 2/(fan_in+fan_out), for tanh/sigmoid
    "xavier_normal",
    "he_uniform",  # He et al. 2015: Var[w] = 2/fan_in, for ReLU
    "he_normal",
    "orthogonal",  # Saxe et al. 2014: all singular values = gain, norm-preserving in linear nets
]
RNNInit = Literal["pytorch_default", "xavier_uniform", "orthogonal", "small_normal", "large_normal"]
Cell = Literal["rnn_tanh", "rnn_relu", "lstm", "gru"]
Data = Literal["gaussian", "spirals"]
Norm = Literal["none", "batch"]
Optimizer = Literal["sgd", "adam"]
Clip = Literal["none", "norm", "value"]

ACTIVATIONS: tuple[str, ...] = get_args(Activation)
INITS: tuple[str, ...] = get_args(Init)
RNN_INITS: tuple[str, ...] = get_args(RNNInit)
CELLS: tuple[str, ...] = get_args(Cell)
DATASETS: tuple[str, ...] = get_args(Data)
NORMS: tuple[str, ...] = get_args(Norm)
OPTIMIZERS: tuple[str, ...] = get_args(Optimizer)
CLIPS: tuple[str, ...] = get_args(Clip)

# Display names of the options (legends, menus, diagnosis text), one per option, next to the options themselves.
INIT_LABELS: dict[str, str] = {
    "pytorch_default": "PyTorch default", "zeros": "zeros", "small_normal": "small normal",
    "large_normal": "large normal", "xavier_uniform": "Xavier uniform", "xavier_normal": "Xavier normal",
    "he_uniform": "He uniform", "he_normal": "He normal", "orthogonal": "orthogonal",
}
CELL_LABELS: dict[str, str] = {"rnn_tanh": "tanh RNN", "rnn_relu": "ReLU RNN", "lstm": "LSTM", "gru": "GRU"}
CLIP_LABELS: dict[str, str] = {"none": "no clipping", "norm": "clip by norm", "value": "clip by value"}
GATED_CELLS: tuple[str, ...] = ("lstm", "gru")  # cells with an additive, gated memory path
PLAIN_CELLS: tuple[str, ...] = tuple(c for c in CELLS if c not in GATED_CELLS)

# init_scale replaces the init's gain (xavier, he, orthogonal, pytorch_default: a multiplier) or its std
# (small_normal, large_normal); None keeps the textbook value. It is ignored by "zeros".
InitScale = Annotated[float, Field(gt=0.0, le=10.0)] | None

# Size budgets keep one request within a few hundred MB and about a second of one core on a shared server.
MAX_UNITS = 2**24  # stored activations: seeds x batch_size x depth x width (MLP), seeds x batch x seq_len x hidden
MAX_MACS = 2**32  # multiply-adds of one forward pass
MAX_TRAIN_MACS = 2**35  # multiply-adds of one forward pass x steps
MAX_TRAIN_LAYER_STEPS = 40_000  # steps x depth (MLP) or steps x seq_len (RNN): bounds per-op overhead


def _check_budget(name: str, units: int, units_formula: str, macs: int, macs_formula: str) -> None:
    """Refuse a config whose size would swamp the server, naming the fields to reduce."""
    if units > MAX_UNITS:
        raise ValueError(f"{name} too large: {units_formula} = {units:,} exceeds {MAX_UNITS:,}; reduce one of them")
    if macs > MAX_MACS:
        raise ValueError(f"{name} too large: {macs_formula} = {macs:,} exceeds {MAX_MACS:,}; reduce one of them")


class _Config(BaseModel):
    """Strict base: frozen (hashable, cache-friendly), unknown keys refused, defaults validated."""

    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=True)


class MLPConfig(_Config):
    """A deep fully connected net: `depth` hidden layers (Linear → [BatchNorm] → activation) and a linear readout."""

    kind: Literal["mlp"] = "mlp"  # discriminator inside TrainConfig.model
    depth: int = Field(20, ge=2, le=100)  # hidden layers whose weight gradients are profiled
    width: int = Field(64, ge=4, le=512)  # units per hidden layer
    batch_size: int = Field(128, ge=8, le=1024)  # samples in the (fixed) batch
    seeds: int = Field(8, ge=1, le=64)  # independent repeats, run together in one batched pass
    seed: int = Field(0, ge=0, le=1_000_000)  # base seed: repeats use seed, seed+1, ..., seed+seeds-1
    activation: Activation = "sigmoid"
    init: Init = "pytorch_default"
    init_scale: InitScale = None
    norm: Norm = "none"  # "batch": BatchNorm over the batch axis after each hidden Linear (train mode)
    residual: bool = False  # h_l = h_{l-1} + f(W_l h_{l-1}) for hidden layers 2..depth (equal widths)
    data: Data = "gaussian"  # gaussian: x ~ N(0, I_width), y = sin(x·u); spirals: two interleaved 2-D spirals

    @property
    def macs(self) -> int:
        """Multiply-adds of one forward pass over all seeds."""
        return self.seeds * self.batch_size * self.depth * self.width * self.width

    @model_validator(mode="after")
    def _fits(self) -> MLPConfig:
        units = self.seeds * self.batch_size * self.depth * self.width
        _check_budget(
            "MLP experiment",
            units,
            "seeds x batch_size x depth x width",
            self.macs,
            "seeds x batch_size x depth x width x width",
        )
        return self


class RNNConfig(_Config):
    """A recurrent net over a random sequence; the loss reads only the last hidden state."""

    kind: Literal["rnn"] = "rnn"
    cell: Cell = "rnn_tanh"
    seq_len: int = Field(50, ge=5, le=300)  # time steps the gradient must travel back through
    hidden: int = Field(32, ge=4, le=256)
    batch_size: int = Field(32, ge=8, le=512)
    init: RNNInit = "pytorch_default"  # applied to every weight matrix (per gate block for LSTM/GRU)
    init_scale: InitScale = None
    seeds: int = Field(8, ge=1, le=64)
    seed: int = Field(0, ge=0, le=1_000_000)
    # Added to the LSTM forget-gate bias (GRU: update-gate bias) so that cells start out remembering:
    # 1.0 as in Gers et al. (2000), Jozefowicz et al. (2015) and TensorFlow/Keras; 0.0 is PyTorch's choice.
    forget_bias: float = Field(1.0, ge=-5.0, le=5.0)

    @property
    def macs(self) -> int:
        """Multiply-adds of one forward pass over all seeds (4 input features, gates x hidden outputs)."""
        gates = {"lstm": 4, "gru": 3}.get(self.cell, 1)
        return self.seeds * self.batch_size * self.seq_len * gates * self.hidden * (self.hidden + 4)

    @model_validator(mode="after")
    def _fits(self) -> RNNConfig:
        units = self.seeds * self.batch_size * self.seq_len * self.hidden
        _check_budget(
            "Recurrent experiment",
            units,
            "seeds x batch_size x seq_len x hidden",
            self.macs,
            "seeds x batch_size x seq_len x gates x hidden x (hidden + 4)",
        )
        return self


def _model_kind(value: object) -> str:
    """Tag of a TrainConfig.model value; a dict without "kind" is an RNN if it has an RNN-only key."""
    if isinstance(value, dict):
        return value.get("kind") or ("rnn" if {"cell", "seq_len", "hidden"} & value.keys() else "mlp")
    return getattr(value, "kind", "mlp")


ModelConfig = Annotated[Annotated[MLPConfig, Tag("mlp")] | Annotated[RNNConfig, Tag("rnn")], Discriminator(_model_kind)]


def _default_train_model() -> MLPConfig:
    """A small net so that the default 200 steps stay interactive (tens of ms)."""
    return MLPConfig(depth=6, width=32, batch_size=64, seeds=4)


class TrainConfig(_Config):
    """Full-batch training of an MLP or RNN config, for exploding gradients and their remedies."""

    model: ModelConfig = Field(default_factory=_default_train_model)
    steps: int = Field(200, ge=1, le=2000)
    optimizer: Optimizer = "sgd"
    lr: float = Field(0.01, ge=1e-5, le=10.0)
    clip: Clip = "none"  # "norm": rescale each seed's whole gradient to ≤ max_norm; "value": clamp each entry
    max_norm: float = Field(1.0, gt=0.0, le=1e6)
    clip_value: float = Field(1.0, gt=0.0, le=1e6)
    weight_decay: float = Field(0.0, ge=0.0, le=1.0)  # L2 coefficient λ: the optimizer adds λ·w to each gradient

    @model_validator(mode="after")
    def _fits(self) -> TrainConfig:
        length, name = (
            (self.model.depth, "depth") if isinstance(self.model, MLPConfig) else (self.model.seq_len, "seq_len")
        )
        if self.steps * length > MAX_TRAIN_LAYER_STEPS:
            raise ValueError(
                f"training run too long: steps x {name} = {self.steps * length:,} exceeds {MAX_TRAIN_LAYER_STEPS:,}; "
                f"reduce steps or {name}"
            )
        total = self.model.macs * self.steps
        if total > MAX_TRAIN_MACS:
            raise ValueError(
                f"training run too large: steps x (multiply-adds per step of the model) = {total:,} exceeds "
                f"{MAX_TRAIN_MACS:,}; reduce steps, seeds, batch_size, depth/seq_len or width/hidden"
            )
        return self


# ---------------------------------------------------------------------------------------------------------------
# Issue 14's experiments (phase diagram, transformer blocks, mixed precision, digits). Appended as one section.
# ---------------------------------------------------------------------------------------------------------------

PhaseActivation = Literal["tanh", "relu", "sigmoid"]
PHASE_ACTIVATIONS: tuple[str, ...] = get_args(PhaseActivation)
# Default upper end of the σ_w axis: the critical line χ₁ = 1 sits at σ_w = 1..3 for tanh (σ_b = 0..1), at √2 for
# ReLU, near 10 for sigmoid (its slope is at most 1/4). ReLU stops at 4: activations grow by σ_w/√2 per layer, and
# (4/√2)^50 ≈ 1e22 still fits in float32.
PHASE_SIGMA_W_MAX = {"tanh": 4.0, "relu": 4.0, "sigmoid": 16.0}


class PhaseConfig(_Config):
    """Edge-of-chaos phase diagram: a plain deep net at every (σ_w, σ_b) of a grid, all grid points in one pass."""

    activation: PhaseActivation = "tanh"
    depth: int = Field(30, ge=3, le=50)  # hidden layers; the ratio compares layer 1 with layer `depth`
    width: int = Field(64, ge=16, le=256)  # units per layer (mean-field theory is the wide-net limit)
    batch_size: int = Field(8, ge=1, le=64)  # Gaussian inputs x ~ N(0, I) per seed
    seeds: int = Field(2, ge=1, le=8)  # independent weight draws; grid points of a seed share its N(0, 1) draws
    seed: int = Field(0, ge=0, le=1_000_000)
    sigma_w_min: float = Field(0.5, ge=0.25, le=16.0)  # weights W ~ N(0, σ_w² / fan_in)
    sigma_w_max: float | None = Field(None, ge=0.25, le=16.0)  # None: PHASE_SIGMA_W_MAX[activation]
    sigma_w_steps: int = Field(21, ge=2, le=41)
    sigma_b_min: float = Field(0.0, ge=0.0, le=4.0)  # biases b ~ N(0, σ_b²)
    sigma_b_max: float = Field(1.0, ge=0.0, le=4.0)
    sigma_b_steps: int = Field(21, ge=2, le=41)

    @property
    def w_max(self) -> float:
        """Upper end of the σ_w axis (the activation's default unless set)."""
        return self.sigma_w_max if self.sigma_w_max is not None else PHASE_SIGMA_W_MAX[self.activation]

    @property
    def grid_points(self) -> int:
        """Cells of the (σ_w, σ_b) grid."""
        return self.sigma_w_steps * self.sigma_b_steps

    @model_validator(mode="after")
    def _fits(self) -> PhaseConfig:
        if self.w_max <= self.sigma_w_min:
            raise ValueError(f"sigma_w range empty: max {self.w_max} must exceed sigma_w_min {self.sigma_w_min}")
        if self.sigma_b_max <= self.sigma_b_min:
            raise ValueError(f"sigma_b range empty: max {self.sigma_b_max} must exceed min {self.sigma_b_min}")
        if self.activation == "relu" and self.w_max > PHASE_SIGMA_W_MAX["relu"]:
            raise ValueError(f"relu: sigma_w_max must be <= {PHASE_SIGMA_W_MAX['relu']} (activations overflow float32)")
        units = self.seeds * self.grid_points * self.batch_size * self.depth * self.width
        _check_budget(
            "Phase diagram",
            units,
            "seeds x grid points x batch_size x depth x width",
            units * self.width,
            "seeds x grid points x batch_size x depth x width x width",
        )
        return self


Placement = Literal["post", "pre", "none"]  # Post-LN: h = N(h + F(h)); Pre-LN: h = h + F(N(h)), N before readout too
PLACEMENTS: tuple[str, ...] = get_args(Placement)
NormType = Literal["layer", "rms"]  # LayerNorm (centre, scale, shift) or RMSNorm (scale only; Zhang & Sennrich 2019)
NORM_TYPES: tuple[str, ...] = get_args(NormType)
MAX_TOKEN_LAYER_STEPS = 2**22  # 2 x runs x batch x seq_len x layers x steps: ~8x the default run, ~10 s of one core


class TransformerConfig(_Config):
    """A stack of transformer blocks (causal self-attention + ReLU MLP) on the running-max task, per placement."""

    placements: tuple[Placement, ...] = ("post", "pre", "none")  # compared side by side, in one batched pass
    norm_type: NormType = "layer"
    layers: int = Field(12, ge=2, le=24)  # blocks (attention + MLP sub-layers); the Post/Pre-LN gap grows with depth
    d_model: int = Field(16, ge=8, le=128)
    heads: int = Field(2, ge=1, le=8)
    ff_mult: int = Field(4, ge=1, le=4)  # MLP hidden width = ff_mult x d_model (4 in Vaswani et al. 2017)
    seq_len: int = Field(8, ge=2, le=32)  # tokens per sequence
    vocab: int = Field(8, ge=2, le=32)  # token values 0..vocab-1
    batch_size: int = Field(16, ge=1, le=128)  # sequences per step
    seeds: int = Field(4, ge=1, le=16)
    seed: int = Field(0, ge=0, le=1_000_000)

    @model_validator(mode="after")
    def _fits(self) -> TransformerConfig:
        if not self.placements or len(set(self.placements)) != len(self.placements):
            raise ValueError(f"placements must be distinct and non-empty, got {self.placements}")
        if self.d_model % self.heads:
            raise ValueError(f"d_model {self.d_model} must be a multiple of heads {self.heads}")
        runs = len(self.placements) * self.seeds
        tokens = runs * self.batch_size * self.seq_len
        _check_budget(
            "Transformer experiment",
            tokens * self.layers * self.d_model * (4 + 2 * self.ff_mult),
            "runs x batch_size x seq_len x layers x d_model x (4 + 2 x ff_mult)",
            tokens * self.layers * self.d_model * self.d_model * (4 + 2 * self.ff_mult),
            "runs x batch_size x seq_len x layers x d_model² x (4 + 2 x ff_mult)",
        )
        return self


def _default_transformer_train_model() -> TransformerConfig:
    """Post-LN against Pre-LN, 6 blocks, 3 seeds: with and without warm-up, 12 runs in about 1.5 s of one core."""
    return TransformerConfig(placements=("post", "pre"), layers=6, batch_size=8, seeds=3)


class TransformerTrainConfig(_Config):
    """Adam on the running-max task, every placement x seed trained with and without linear learning-rate warm-up."""

    model: TransformerConfig = Field(default_factory=_default_transformer_train_model)
    steps: int = Field(120, ge=10, le=1000)
    # Adam's peak learning rate (β = 0.9, 0.98 as in Vaswani et al.): 1e-2 is where this small Post-LN stack
    # stalls without warm-up and trains with it, while Pre-LN trains either way.
    lr: float = Field(1e-2, ge=1e-5, le=0.1)
    warmup_steps: int = Field(30, ge=1, le=500)  # lr rises linearly to `lr` over these steps in the warm-up runs

    @model_validator(mode="after")
    def _fits(self) -> TransformerTrainConfig:
        m = self.model
        if self.warmup_steps >= self.steps:
            raise ValueError(f"warmup_steps {self.warmup_steps} must be below steps {self.steps}")
        if self.steps * m.layers > MAX_TRAIN_LAYER_STEPS:
            raise ValueError(
                f"training run too long: steps x layers = {self.steps * m.layers:,} exceeds "
                f"{MAX_TRAIN_LAYER_STEPS:,}; reduce steps or layers"
            )
        work = 2 * len(m.placements) * m.seeds * m.batch_size * m.seq_len * m.layers * self.steps
        if work > MAX_TOKEN_LAYER_STEPS:
            raise ValueError(
                f"training run too large: 2 schedules x runs x batch_size x seq_len x layers x steps = {work:,} "
                f"exceeds {MAX_TOKEN_LAYER_STEPS:,}; reduce steps, seeds, batch_size, seq_len or layers"
            )
        return self


Scaling = Literal["none", "fixed", "dynamic"]
SCALINGS: tuple[str, ...] = get_args(Scaling)
PRECISION_RUNS = 5  # float32 reference; float16 without, with fixed and with dynamic loss scaling; bfloat16


class PrecisionConfig(_Config):
    """A deep plain MLP whose backward pass is stored in float16 or bfloat16, as under autocast, per loss scaling."""

    depth: int = Field(10, ge=2, le=30)  # hidden layers (Linear -> activation), then a linear readout
    width: int = Field(64, ge=4, le=256)
    batch_size: int = Field(64, ge=8, le=512)
    activation: Activation = "sigmoid"
    init: Init = "pytorch_default"
    seeds: int = Field(4, ge=1, le=16)
    seed: int = Field(0, ge=0, le=1_000_000)
    fixed_scale: float = Field(2.0**10, ge=1.0, le=2.0**24)  # the loss multiplier of the "fixed" runs
    init_scale: float = Field(2.0**16, ge=1.0, le=2.0**24)  # the dynamic scaler's start (torch GradScaler: 2^16)

    @model_validator(mode="after")
    def _fits(self) -> PrecisionConfig:
        runs = PRECISION_RUNS * self.seeds
        units = runs * self.batch_size * self.depth * self.width
        _check_budget(
            "Precision experiment",
            units,
            f"{PRECISION_RUNS} formats x seeds x batch_size x depth x width",
            units * self.width,
            f"{PRECISION_RUNS} formats x seeds x batch_size x depth x width x width",
        )
        return self


def _default_precision_train_model() -> PrecisionConfig:
    """Two seeds keep the 5 x 2 runs of 100 steps under a second of one core."""
    return PrecisionConfig(seeds=2)


class PrecisionTrainConfig(_Config):
    """Mixed-precision training of every format and scaling side by side; the dynamic scaler follows GradScaler."""

    model: PrecisionConfig = Field(default_factory=_default_precision_train_model)
    steps: int = Field(100, ge=1, le=2000)
    optimizer: Optimizer = "adam"  # Adam rescales each entry, so even tiny surviving gradients move the weights
    lr: float = Field(1e-3, ge=1e-5, le=1.0)
    # GradScaler doubles the scale after this many steps without inf/NaN (torch's default is 2000; a short run
    # needs a short interval to show the saw-tooth) and halves it, skipping the step, on any inf/NaN.
    growth_interval: int = Field(15, ge=1, le=2000)

    @model_validator(mode="after")
    def _fits(self) -> PrecisionTrainConfig:
        m = self.model
        if self.steps * m.depth > MAX_TRAIN_LAYER_STEPS:
            raise ValueError(
                f"training run too long: steps x depth = {self.steps * m.depth:,} exceeds "
                f"{MAX_TRAIN_LAYER_STEPS:,}; reduce steps or depth"
            )
        total = PRECISION_RUNS * m.seeds * m.batch_size * m.depth * m.width * m.width * self.steps
        if total > MAX_TRAIN_MACS:
            raise ValueError(
                f"training run too large: {PRECISION_RUNS} formats x seeds x batch_size x depth x width² x steps = "
                f"{total:,} exceeds {MAX_TRAIN_MACS:,}; reduce steps, seeds, batch_size, depth or width"
            )
        return self


DigitsVariant = Literal["baseline", "relu_he", "batchnorm", "residual", "tanh_xavier"]
# Each variant is one of the lab's remedies applied to the same deep net (VARIANT_FIELDS in digits.py):
# baseline = sigmoid with PyTorch's default init; relu_he = ReLU + He init; batchnorm / residual = the baseline
# with BatchNorm / skip connections; tanh_xavier = tanh + Glorot init (a partial remedy).
DIGITS_VARIANTS: tuple[str, ...] = get_args(DigitsVariant)


class DigitsConfig(_Config):
    """Deep nets on scikit-learn's 8x8 handwritten digits (1,797 images, fixed 80/20 split), one run per variant."""

    variants: tuple[DigitsVariant, ...] = ("baseline", "relu_he", "batchnorm", "residual")
    depth: int = Field(10, ge=2, le=30)  # hidden layers
    width: int = Field(32, ge=8, le=128)
    batch_size: int = Field(64, ge=8, le=512)  # mini-batch drawn from the 1,437 training images per step
    steps: int = Field(200, ge=1, le=3000)
    # SGD with momentum 0.9, the same for every variant; above ~0.05 the 10-layer ReLU + He net starts to blow up
    lr: float = Field(0.02, ge=1e-4, le=2.0)
    eval_every: int = Field(20, ge=1, le=1000)  # steps between test-set evaluations
    seeds: int = Field(4, ge=1, le=16)  # batched: every seed of a variant trains in one pass per step
    seed: int = Field(0, ge=0, le=1_000_000)

    @model_validator(mode="after")
    def _fits(self) -> DigitsConfig:
        if not self.variants or len(set(self.variants)) != len(self.variants):
            raise ValueError(f"variants must be distinct and non-empty, got {self.variants}")
        units = self.seeds * self.batch_size * self.depth * self.width
        _check_budget(
            "Digits experiment", units, "seeds x batch_size x depth x width",
            units * self.width, "seeds x batch_size x depth x width x width",
        )
        layer_steps = len(self.variants) * self.steps * self.depth
        if layer_steps > MAX_TRAIN_LAYER_STEPS * 2:
            raise ValueError(
                f"training run too long: variants x steps x depth = {layer_steps:,} exceeds "
                f"{MAX_TRAIN_LAYER_STEPS * 2:,}; reduce variants, steps or depth"
            )
        total = len(self.variants) * units * self.width * self.steps
        if total > MAX_TRAIN_MACS:
            raise ValueError(
                f"training run too large: variants x seeds x batch_size x depth x width² x steps = {total:,} "
                f"exceeds {MAX_TRAIN_MACS:,}; reduce one of them"
            )
        return self
