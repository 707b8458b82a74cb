"""Experiment presets named by `predict` questions: which lab URL keys exist and which values they take.

The keys are the lab pages' URL contract (= engine config field names, see notes/COMMON.md); the bounds
are the engine's (explainer/experiments/configs.py: depth 2-100, width 4-512, seq_len 5-300, steps 1-2000);
a test checks every built-in preset builds a valid engine config. A preset that a lab page would
clamp or refuse is an authoring error, so it is caught here, when the bank is validated.
"""

from __future__ import annotations

from urllib.parse import urlencode

INT_RANGES: dict[str, tuple[int, int]] = {
    "depth": (2, 100),
    "width": (4, 512),
    "batch_size": (8, 1024),
    "seeds": (1, 64),
    "seq_len": (5, 300),
    "hidden": (4, 256),
    "steps": (1, 2000),
    "seed": (0, 1_000_000),
}
FLOAT_RANGES: dict[str, tuple[float, float]] = {
    "init_scale": (0.0, 10.0),
    "lr": (1e-5, 10.0),
    "max_norm": (1e-6, 1e6),
    "clip_value": (1e-6, 1e6),
    "weight_decay": (0.0, 1.0),
}
CHOICES: dict[str, tuple[str, ...]] = {
    "activation": ("sigmoid", "tanh", "relu", "leaky_relu", "elu", "gelu", "linear"),
    "init": ("pytorch_default", "zeros", "small_normal", "large_normal", "xavier_uniform", "xavier_normal",
             "he_uniform", "he_normal", "orthogonal"),
    "norm": ("none", "batch"),
    "cell": ("rnn_tanh", "rnn_relu", "lstm", "gru"),
    "optimizer": ("sgd", "adam"),
    "clip": ("none", "norm", "value"),
    "data": ("gaussian", "spirals"),
}
BOOLS: frozenset[str] = frozenset({"residual"})

KEYS: tuple[str, ...] = tuple(sorted({*INT_RANGES, *FLOAT_RANGES, *CHOICES, *BOOLS}))


def json_schema() -> dict:
    """JSON Schema of a preset's params (editor completion for bank authors)."""
    props: dict[str, dict] = {}
    for key, (lo, hi) in INT_RANGES.items():
        props[key] = {"type": "integer", "minimum": lo, "maximum": hi}
    for key, (lo, hi) in FLOAT_RANGES.items():
        props[key] = {"type": "number", "minimum": lo, "maximum": hi}
    for key, values in CHOICES.items():
        props[key] = {"enum": list(values)}
    for key in BOOLS:
        props[key] = {"type": "boolean"}
    return {"type": "object", "properties": dict(sorted(props.items())), "additionalProperties": False}


def check_param(key: str, value: object) -> str | None:
    """Why `key=value` is not a valid preset parameter, or None when it is."""
    if key not in KEYS:
        return f"unknown experiment parameter {key!r}; allowed: {', '.join(KEYS)}"
    if key in INT_RANGES:
        lo, hi = INT_RANGES[key]
        if type(value) is not int or not lo <= value <= hi:
            return f"{key}={value!r} must be a whole number in {lo}-{hi}"
    elif key in FLOAT_RANGES:
        lo, hi = FLOAT_RANGES[key]
        if type(value) not in (int, float) or not lo <= value <= hi:
            return f"{key}={value!r} must be a number in {lo:g}-{hi:g}"
    elif key in CHOICES:
        if value not in CHOICES[key]:
            return f"{key}={value!r} must be one of: {', '.join(CHOICES[key])}"
    elif type(value) is not bool:
        return f"{key}={value!r} must be true or false"
    return None


def query_string(params: dict[str, object]) -> str:
    """The URL query a lab page reads: booleans as true/false (Streamlit's query-param encoding)."""
    return urlencode({k: str(v).lower() if isinstance(v, bool) else v for k, v in params.items()})


def preset_url(page: str, params: dict[str, object]) -> str:
    """Relative URL that opens `page` with `params`, e.g. "/lab-activations?depth=30&activation=sigmoid"."""
    query = query_string(params)
    return f"/{page}?{query}" if query else f"/{page}"
