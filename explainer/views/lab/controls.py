"""The lab pages' input widgets: one per URL key, bound to the URL, with an explicit key equal to the URL key.

Choice widgets list the engine's own values (relu, xavier_normal, ...) because a bound selectbox writes the
displayed text into the URL; showing engine values keeps URLs equal to config fields.
"""

from __future__ import annotations

import math

import streamlit as st

from explainer.core.urls import ParamSpec

BIND = "query-params"

LABELS: dict[str, tuple[str, str]] = {  # key -> (label, help)
    "depth": ("Depth (hidden layers)", "Number of hidden layers the gradient must pass through."),
    "width": ("Width (units per layer)", "Units in every hidden layer."),
    "batch_size": ("Batch size", "Samples in the fixed batch used for the gradient."),
    "seeds": ("Seeds", "Independent repeats; the chart shows their median and a 10–90 % band."),
    "activation": ("Activation", "Non-linearity after every hidden layer."),
    "init": ("Weight init", "How the weights are drawn before training (Xavier = Glorot, He = Kaiming)."),
    "init_scale": ("Init scale override", "Replaces the init's gain (Xavier/He/orthogonal/default) or its std "
                   "(small/large normal). Empty: the init's own value."),
    "norm": ("Normalization", "batch: BatchNorm after every hidden linear layer."),
    "residual": ("Skip connections", "h = h + f(W h) for hidden layers 2..depth."),
    "data": ("Data", "gaussian: random inputs and targets; spirals: two interleaved 2-D spirals."),
    "cell": ("Recurrent cell", "rnn_tanh / rnn_relu: plain RNN; lstm / gru: gated cells."),
    "seq_len": ("Sequence length", "Time steps the gradient must travel back through (the loss reads the last)."),
    "hidden": ("Hidden size", "Units in the recurrent state."),
    "steps": ("Training steps", "Optimizer steps (on the page's batch, or a fresh batch each step where the page "
              "says so)."),
    "optimizer": ("Optimizer", "Plain SGD or Adam."),
    "lr": ("Learning rate", "Step size of the optimizer."),
    "clip": ("Gradient clipping", "Which clipping the highlighted run uses (all three are drawn)."),
    "max_norm": ("max_norm (clip by norm)", "Each seed's whole gradient is rescaled to at most this norm."),
    "clip_value": ("clip_value (clip by value)", "Every gradient entry is clamped to [−clip_value, clip_value]."),
    "weight_decay": ("L2 weight decay λ", "The optimizer adds λ·w to every gradient (0 = none)."),
    # phase diagram
    "sigma_w": ("Your σ_w (weight scale)", "Weights W ~ N(0, σ_w²/fan_in); the nearest grid column is your cell. "
                "Clicking a cell of the map sets it too."),
    "sigma_b": ("Your σ_b (bias scale)", "Biases b ~ N(0, σ_b²); the nearest grid row is your cell."),
    "sigma_w_steps": ("Grid columns (σ_w values)", "How many σ_w values the grid spans, evenly spaced."),
    "sigma_b_steps": ("Grid rows (σ_b values)", "How many σ_b values the grid spans, from 0 to 1."),
    # transformer
    "placement": ("Your norm placement", "post: h = N(h + F(h)) (the original Transformer); pre: h = h + F(N(h)) "
                  "(GPT-2 and later); none: h = h + F(h). Post-LN and Pre-LN are always drawn."),
    "warmup": ("Your run warms up", "On: your run's learning rate rises linearly over warmup_steps. Both schedules "
               "are drawn."),
    "norm_type": ("Norm", "layer: LayerNorm (centre, scale, shift); rms: RMSNorm (scale only)."),
    "layers": ("Blocks", "Transformer blocks (self-attention + MLP) in the stack."),
    "warmup_steps": ("Warm-up steps", "Steps over which the warm-up runs' learning rate rises linearly to lr."),
    # mixed precision
    "scaling": ("Your loss scaling", "none, fixed (× fixed_scale) or dynamic (GradScaler's policy); float32 and "
                "bfloat16 are drawn for contrast."),
    "fixed_scale": ("Fixed loss scale", "The loss multiplier of the fixed-scaling run (a power of 2 is usual)."),
    "growth_interval": ("Growth interval", "The dynamic scale doubles after this many steps without inf/NaN "
                        "(torch's default is 2000; short here so the run shows it)."),
    # digits
    "variant": ("Your network", "baseline: deep sigmoid, PyTorch's default init; relu_he: ReLU + He init; "
                "batchnorm / residual: the baseline with BatchNorm / skips; tanh_xavier: tanh + Glorot init."),
    "eval_every": ("Evaluate every", "Steps between evaluations on the whole training and test sets."),
}
FLOAT_STEPS = {"lr": 0.01, "max_norm": 0.5, "clip_value": 0.5, "weight_decay": 0.001, "init_scale": 0.1,
               "sigma_w": 0.05, "sigma_b": 0.05, "fixed_scale": 256.0}


def control(spec: ParamSpec, default, container=None) -> object:
    """Create the bound widget for `spec` in `container` (default: the current one) and return its value."""
    c = container or st
    label, help_text = LABELS[spec.key]
    common = {"key": spec.key, "bind": BIND, "help": help_text}
    if spec.kind == "int":
        return c.slider(label, int(spec.lo), int(spec.hi), int(default), step=1, **common)
    if spec.kind == "float":
        # an open bound (the engine needs value > 0): the smallest float above it, so the widget refuses 0 too
        low = math.nextafter(spec.lo, math.inf) if spec.lo_open else float(spec.lo)
        return c.number_input(label, low, float(spec.hi), default, step=FLOAT_STEPS.get(spec.key, 0.1),
                              format="%g", placeholder="default" if spec.optional else None, **common)
    if spec.kind == "bool":
        return c.toggle(label, value=bool(default), **common)
    options = list(spec.choices)
    return c.selectbox(label, options, index=options.index(default), **common)


def controls(specs: dict[str, ParamSpec], defaults: dict, main: int) -> dict:
    """All of a page's widgets: the first `main` keys in view, the rest in a "More settings" expander."""
    keys = list(defaults)
    values = {k: control(specs[k], defaults[k]) for k in keys[:main]}
    with st.expander("More settings", icon=":material/tune:"):
        values |= {k: control(specs[k], defaults[k]) for k in keys[main:]}
    return values
