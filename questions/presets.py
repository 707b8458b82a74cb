"""Experiment presets named by `predict` questions, checked exactly as the lab page will read them.

A preset is a lab page and URL parameters. The allowed keys, options and ranges are the page's own
(explainer.lab.specs, derived from the engine's configs), so a preset the page would clamp, refuse or ignore is an
authoring error caught when the bank is validated, not a surprise in the learner's browser.
"""

from __future__ import annotations

from explainer.core.urls import ParamSpec, lab_url
from explainer.lab.params import all_specs
from explainer.lab.specs import LABS


def _widest(specs: tuple[ParamSpec, ...]) -> ParamSpec:
    """One spec covering every lab kind's version of a key (for the editor schema, not for checking)."""
    first = specs[0]
    if first.kind not in ("int", "float"):
        return ParamSpec(first.key, first.kind, choices=tuple(dict.fromkeys(c for s in specs for c in s.choices)))
    low = min(specs, key=lambda s: (s.lo, not s.lo_open))
    return ParamSpec(first.key, first.kind, low.lo, max(s.hi for s in specs), optional=first.optional,
                     lo_open=low.lo_open)


WIDEST: dict[str, ParamSpec] = {k: _widest(v) for k, v in sorted(all_specs().items())}
INT_RANGES = {k: (int(s.lo), int(s.hi)) for k, s in WIDEST.items() if s.kind == "int"}
FLOAT_RANGES = {k: (s.lo, s.hi) for k, s in WIDEST.items() if s.kind == "float"}
CHOICES = {k: s.choices for k, s in WIDEST.items() if s.kind == "choice"}
BOOLS = frozenset(k for k, s in WIDEST.items() if s.kind == "bool")
KEYS: tuple[str, ...] = tuple(WIDEST)


def _property(spec: ParamSpec) -> dict:
    if spec.kind == "choice":
        return {"enum": list(spec.choices)}
    if spec.kind == "bool":
        return {"type": "boolean"}
    num = int if spec.kind == "int" else float
    prop: dict = {"type": "integer" if spec.kind == "int" else "number", "maximum": num(spec.hi)}
    prop["exclusiveMinimum" if spec.lo_open else "minimum"] = num(spec.lo)
    return prop


def json_schema() -> dict:
    """JSON Schema of a preset's params (editor completion for bank authors; the page's own keys are checked later)."""
    return {"type": "object", "properties": {k: _property(s) for k, s in WIDEST.items()},
            "additionalProperties": False}


def check_value(spec: ParamSpec, value: object) -> str | None:
    """Why `value` (as YAML typed it) is not valid for `spec`, or None."""
    key = spec.key
    if spec.kind == "choice":
        return None if value in spec.choices else f"{key}={value!r} must be one of: {', '.join(spec.choices)}"
    if spec.kind == "bool":
        return None if type(value) is bool else f"{key}={value!r} must be true or false"
    numeric = type(value) is int or (spec.kind == "float" and type(value) is float)
    above = value > spec.lo if spec.lo_open else value >= spec.lo if numeric else False
    if not numeric or not above or value > spec.hi:
        what = "a whole number" if spec.kind == "int" else "a number"
        return f"{key}={value!r} must be {what} {spec.describe()}"
    return None


def check_params(page: str, params: dict[str, object]) -> list[str]:
    """Every problem of a preset's params for lab `page` (unknown key for that page, wrong type, out of range)."""
    specs = LABS[page].specs if page in LABS else {}
    problems = []
    for key, value in params.items():
        spec = specs.get(key)
        if spec is None:
            problems.append(f"{key!r} is not a setting of {page}; allowed: {', '.join(specs)}")
        elif problem := check_value(spec, value):
            problems.append(problem)
    return problems


def preset_url(page: str, params: dict[str, object]) -> str:
    """Relative URL that opens `page` with `params`, e.g. "/lab-activations?depth=30&activation=sigmoid"."""
    return lab_url(page, params)
