"""Lab URL parameters derived from the engine's configs: one `ParamSpec` per config field, bounds from its metadata.

explainer/experiments/configs.py is the only place that lists options and ranges; this module reads them from
`Model.model_fields` (Literal -> choices, Ge/Gt/Le -> bounds, `X | None` -> optional), so the lab pages' URL check,
the question bank's preset check and the presets' JSON Schema cannot drift from what the engine accepts.
Pure: no streamlit, no torch.
"""

from __future__ import annotations

import types
import typing
from functools import cache

from annotated_types import Ge, Gt, Le
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from explainer.core.urls import ParamSpec
from explainer.experiments.configs import (
    DigitsConfig,
    MLPConfig,
    PhaseConfig,
    PrecisionConfig,
    PrecisionTrainConfig,
    RNNConfig,
    TrainConfig,
    TransformerConfig,
    TransformerTrainConfig,
)
from explainer.lab.settings import DigitsFocus, PhaseFocus, PrecisionFocus, TransformerFocus

# The discriminator tag and the nested model are not URL settings, nor are the tuples of placements or variants a
# one-pass lab runs side by side (its variants builder sets them).
NOT_PARAMS = frozenset({"kind", "model", "placements", "variants"})


def _bounds(metadata: list) -> dict:
    out: dict = {}
    for m in metadata:
        if isinstance(m, Ge):
            out["lo"] = float(m.ge)
        elif isinstance(m, Gt):
            out["lo"], out["lo_open"] = float(m.gt), True
        elif isinstance(m, Le):
            out["hi"] = float(m.le)
    return out


def field_spec(key: str, info: FieldInfo) -> ParamSpec:
    """The URL parameter of one config field."""
    annotation, metadata, optional = info.annotation, list(info.metadata), False
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        optional, annotation = True, args[0]
    if typing.get_origin(annotation) is typing.Annotated:
        inner, *extra = typing.get_args(annotation)
        annotation = inner
        for e in extra:
            metadata += list(getattr(e, "metadata", [e]))
    if typing.get_origin(annotation) is typing.Literal:
        return ParamSpec(key, "choice", choices=tuple(typing.get_args(annotation)))
    if annotation is bool:
        return ParamSpec(key, "bool")
    if annotation in (int, float):
        kind = "int" if annotation is int else "float"
        return ParamSpec(key, kind, optional=optional, **_bounds(metadata))
    raise TypeError(f"config field {key!r} has a type no URL can carry: {annotation!r}")


@cache
def config_specs(model: type[BaseModel]) -> dict[str, ParamSpec]:
    """Every URL-settable field of a config class, in declaration order."""
    return {k: field_spec(k, f) for k, f in model.model_fields.items() if k not in NOT_PARAMS}


def specs_for(*models: type[BaseModel]) -> dict[str, ParamSpec]:
    """The URL parameters of a page whose settings fill these configs (the first one wins on a shared key)."""
    out: dict[str, ParamSpec] = {}
    for model in models:
        out = config_specs(model) | out
    return out


# Which configs a lab kind's flat settings fill: a training page holds TrainConfig's fields and its MLP's; the
# one-pass labs add their page-only settings (explainer.lab.settings: the learner's own cell, placement, ...).
KIND_CONFIGS: dict[str, tuple[type[BaseModel], ...]] = {
    "mlp": (MLPConfig,),
    "rnn": (RNNConfig,),
    "train": (TrainConfig, MLPConfig),
    "phase": (PhaseConfig, PhaseFocus),
    "transformer": (TransformerTrainConfig, TransformerConfig, TransformerFocus),
    "precision": (PrecisionTrainConfig, PrecisionConfig, PrecisionFocus),
    "digits": (DigitsConfig, DigitsFocus),
}
# Fields a kind leaves at the engine's value: PrecisionConfig.init_scale is GradScaler's starting scale (2^16, as
# in torch), not the MLP's init_scale, and one URL key must not mean two things.
KIND_HIDDEN: dict[str, frozenset[str]] = {"precision": frozenset({"init_scale"})}


def kind_specs(kind: str) -> dict[str, ParamSpec]:
    hidden = KIND_HIDDEN.get(kind, frozenset())
    return {k: v for k, v in specs_for(*KIND_CONFIGS[kind]).items() if k not in hidden}


def all_specs() -> dict[str, tuple[ParamSpec, ...]]:
    """Every URL key of every lab kind, with each distinct spec it has (batch_size: MLP 8–1024, RNN 8–512)."""
    out: dict[str, tuple[ParamSpec, ...]] = {}
    for kind in KIND_CONFIGS:
        for key, spec in kind_specs(kind).items():
            if spec not in out.get(key, ()):
                out[key] = (*out.get(key, ()), spec)
    return out
