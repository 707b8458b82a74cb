"""URL parameters of the lab pages: their types and ranges, and how a bad value from a URL is clamped or refused.

Keys equal the engine's config field names (see COMMON.md). Ranges mirror the engine's pydantic bounds, so a
value that passes here also passes `MLPConfig`/`RNNConfig`/`TrainConfig`. Pure: no streamlit, no torch.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu", "elu", "gelu", "linear")
INITS = ("pytorch_default", "zeros", "small_normal", "large_normal", "xavier_uniform", "xavier_normal",
         "he_uniform", "he_normal", "orthogonal")
RNN_INITS = ("pytorch_default", "xavier_uniform", "orthogonal", "small_normal", "large_normal")
CELLS = ("rnn_tanh", "rnn_relu", "lstm", "gru")
DATASETS = ("gaussian", "spirals")
NORMS = ("none", "batch")
OPTIMIZERS = ("sgd", "adam")
CLIPS = ("none", "norm", "value")
MAX_RAW_CHARS = 40  # longer URL values are refused outright (no parsing of megabyte strings)


@dataclass(frozen=True)
class ParamSpec:
    """One URL parameter: kind in {int, float, choice, bool}; numeric bounds inclusive; choices for "choice"."""

    key: str
    kind: str
    lo: float | None = None
    hi: float | None = None
    choices: tuple[str, ...] = ()
    optional: bool = False  # float that may be absent (None = "the init's textbook value")


SPECS: dict[str, ParamSpec] = {
    s.key: s
    for s in (
        ParamSpec("depth", "int", 2, 100),
        ParamSpec("width", "int", 4, 512),
        ParamSpec("batch_size", "int", 8, 1024),
        ParamSpec("seeds", "int", 1, 64),
        ParamSpec("activation", "choice", choices=ACTIVATIONS),
        ParamSpec("init", "choice", choices=INITS),
        ParamSpec("init_scale", "float", 0.01, 10.0, optional=True),
        ParamSpec("norm", "choice", choices=NORMS),
        ParamSpec("residual", "bool"),
        ParamSpec("data", "choice", choices=DATASETS),
        ParamSpec("cell", "choice", choices=CELLS),
        ParamSpec("seq_len", "int", 5, 300),
        ParamSpec("hidden", "int", 4, 256),
        ParamSpec("steps", "int", 1, 2000),
        ParamSpec("optimizer", "choice", choices=OPTIMIZERS),
        ParamSpec("lr", "float", 1e-5, 10.0),
        ParamSpec("clip", "choice", choices=CLIPS),
        ParamSpec("max_norm", "float", 0.01, 1e6),
        ParamSpec("clip_value", "float", 0.01, 1e6),
        ParamSpec("weight_decay", "float", 0.0, 1.0),
    )
}


def with_range(spec: ParamSpec, lo: float | None = None, hi: float | None = None,
               choices: tuple[str, ...] | None = None) -> ParamSpec:
    """A page-specific narrowing of a spec (e.g. RNN batch sizes stop at 512, RNN inits are fewer)."""
    return ParamSpec(spec.key, spec.kind, spec.lo if lo is None else lo, spec.hi if hi is None else hi,
                     spec.choices if choices is None else choices, spec.optional)


@dataclass(frozen=True)
class Notice:
    """A URL value that was not used as given: `value` is what the page uses instead (None: the default)."""

    key: str
    raw: str
    reason: str
    value: object = None


def _fmt(x: float) -> str:
    return f"{x:g}"


def _number(spec: ParamSpec, raw: str) -> tuple[object, str | None]:
    """Parse a numeric URL value; return (value to use or None for the default, reason or None if valid)."""
    try:
        x = float(raw)
    except ValueError:
        return None, f"is not a number (allowed {_fmt(spec.lo)}–{_fmt(spec.hi)})"
    if math.isnan(x):
        return None, "is not a number"
    reason = None
    if x < spec.lo or x > spec.hi:
        reason = f"is outside the allowed range {_fmt(spec.lo)}–{_fmt(spec.hi)}"
        x = min(max(x, spec.lo), spec.hi)  # ±inf clamp too
    if spec.kind == "int":
        if x != math.floor(x):
            reason = reason or "is not a whole number"
            x = math.floor(x)
        return int(x), reason
    return x, reason


def check_value(spec: ParamSpec, raw: str) -> Notice | None:
    """None if `raw` is a valid value for `spec`; otherwise a Notice saying what is wrong and what is used."""
    if len(raw) > MAX_RAW_CHARS:
        return Notice(spec.key, raw[:MAX_RAW_CHARS] + "…", f"is longer than {MAX_RAW_CHARS} characters")
    text = raw.strip()
    if spec.kind in ("int", "float"):
        if spec.optional and text.lower() in ("", "none", "default"):
            return None if text == "" else Notice(spec.key, raw, "means the default; leave it out of the URL")
        value, reason = _number(spec, text)
        return None if reason is None else Notice(spec.key, raw, reason, value)
    if spec.kind == "bool":
        if text.lower() in ("true", "false"):
            return None
        return Notice(spec.key, raw, "must be true or false")
    if text in spec.choices:
        return None
    lowered = {c.lower(): c for c in spec.choices}
    fixed = lowered.get(text.lower().replace("-", "_").replace(" ", "_"))
    return Notice(spec.key, raw, f"is not one of {', '.join(spec.choices)}", fixed)


def parse(spec: ParamSpec, raw: str) -> object:
    """The typed value of a raw URL string that `check_value` accepted."""
    text = raw.strip()
    if spec.kind == "int":
        return int(float(text))
    if spec.kind == "float":
        return float(text) if text else None
    if spec.kind == "bool":
        return text.lower() == "true"
    return text


def check_query(params: dict[str, list[str]], specs: dict[str, ParamSpec]) -> list[Notice]:
    """Notices for every URL parameter of this page that is invalid, repeated, or not a setting of the page."""
    notices = []
    for key, values in params.items():
        spec = specs.get(key)
        if spec is None:
            shown = values[-1] if values else ""
            notices.append(Notice(key, shown[:MAX_RAW_CHARS], "is not a setting of this page and was ignored"))
            continue
        if not values:
            continue
        notice = check_value(spec, values[-1])
        if notice is None and len(values) > 1:
            notice = Notice(key, values[-1], f"was given {len(values)} times; the last one is used",
                            parse(spec, values[-1]))
        if notice is not None:
            notices.append(notice)
    return notices


def url_value(value: object) -> str:
    """How a widget value is written in a URL (matches Streamlit's own formatting of bound params)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if math.isfinite(value) and value == int(value) else repr(value)
    return str(value)


def query_string(values: dict[str, object], defaults: dict[str, object]) -> str:
    """The URL query that reproduces `values`: only keys whose value differs from the page default."""
    from urllib.parse import urlencode

    return urlencode([(k, url_value(v)) for k, v in values.items() if v is not None and v != defaults.get(k)])
