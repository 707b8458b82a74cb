"""What a lab page asks the pool for, and the configs a class reaches first, to compute at start-up at the lowest
priority.

Each lab page's defaults, then every single-control move from them that the page's widgets make in one gesture:
every option of a choice, the other state of a toggle, the minimum and maximum of a number (students drag a
slider to its end). Cheapest first, so the most pages are warm soonest; then the MLP pages' theory overlays, which
are anchored to the runs' measured scale. Pure data from explainer.lab.specs.
"""

from __future__ import annotations

import math

from pydantic import ValidationError

from explainer.core.urls import ParamSpec
from explainer.lab.compute.kinds import KINDS, estimate
from explainer.lab.specs import LABS, LabSpec
from explainer.lab.variants import PLACEMENT_LABELS

# The one more config some pages' panels read besides their variants (the model's profile at initialisation, the
# phase diagram's critical line): asked for with the variants, so the panels find them computed. A config left out
# here is still computed when the panel asks, only without the page's place in the queue.
EXTRAS = {
    "train": lambda cfg: ("mlp", cfg["model"]),
    "phase": lambda cfg: ("critical_line", cfg),
    "transformer": lambda cfg: ("transformer_profile", cfg["model"] | {"placements": tuple(PLACEMENT_LABELS)}),
    "precision": lambda cfg: ("precision_profile", cfg["model"]),
    "digits": lambda cfg: ("digits_profile", cfg),
}


def page_items(kind: str, variants: list[tuple[str, dict]]) -> list[tuple[str, dict]]:
    """The (kind, config) pairs a page with these variants needs: the variants, then the extra its panels read."""
    out = [(kind, cfg) for _, cfg in variants]
    return out + [EXTRAS[kind](variants[0][1])] if kind in EXTRAS and variants else out


def moves(spec: ParamSpec, default) -> list:
    """The values one gesture on this control reaches from `default`."""
    if spec.kind == "choice":
        return [c for c in spec.choices if c != default]
    if spec.kind == "bool":
        return [not default]
    lo = math.nextafter(spec.lo, math.inf) if spec.lo_open else spec.lo
    ends = [int(lo), int(spec.hi)] if spec.kind == "int" else [float(lo), float(spec.hi)]
    return [v for v in ends if v != default]


def page_settings(lab: LabSpec) -> list[dict]:
    """The page's defaults, then each single-control move from them."""
    out = [dict(lab.defaults)]
    for key, spec in lab.specs.items():
        out += [lab.defaults | {key: value} for value in moves(spec, lab.defaults[key])]
    return out


def warm_items(labs: dict[str, LabSpec] = LABS) -> list[tuple[str, dict]]:
    """(kind, config dict) of every config of every page's first settings: defaults first, then cheapest first;
    settings the engine refuses are left out, duplicates kept once."""
    seen: set[str] = set()
    first, rest = [], []
    handled = [lab for lab in labs.values() if lab.kind in KINDS]
    for defaults_only in (True, False):
        for lab in handled:
            settings = page_settings(lab)
            for values in settings[:1] if defaults_only else settings[1:]:
                try:
                    items = [(name, KINDS[name].model(**cfg), cfg)
                             for name, cfg in page_items(lab.kind, lab.variants(values))]
                except ValidationError:
                    continue  # a setting the engine refuses: the page shows its message, nothing to run
                for name, config, cfg in items:
                    text = f"{name}:{config.model_dump_json()}"
                    if text not in seen:
                        seen.add(text)
                        (first if defaults_only else rest).append((estimate(KINDS[name], config), name, cfg))
    rest.sort(key=lambda item: item[0])
    return [(k, cfg) for _, k, cfg in first + rest]


def theory_configs(labs: dict[str, LabSpec] = LABS) -> list[dict]:
    """The MLP config dicts whose theory overlay the warmed MLP pages draw (each page's variants; once each)."""
    seen: set[str] = set()
    out = []
    for lab in labs.values():
        if lab.kind != "mlp":
            continue
        for values in page_settings(lab):
            try:
                cfgs = [(KINDS["mlp"].model(**cfg), cfg) for _, cfg in lab.variants(values)]
            except ValidationError:
                continue
            for config, cfg in cfgs:
                if (text := config.model_dump_json()) not in seen:
                    seen.add(text)
                    out.append(cfg)
    return out
