"""Engine calls a worker runs that are more than one runner: the theory overlay, anchored to a measured scale.

Keeps torch out of the server process: the lab pages' theory lines are computed in the workers like the runs.
Pure at import (the engine is imported inside the call).
"""

from __future__ import annotations

import pandas as pd
from pydantic import BaseModel, ConfigDict

from explainer.experiments.configs import MLPConfig

THEORY_COLUMNS = {"layer": "int64", "quantity": "object", "predicted": "float64"}


class AnchoredTheory(BaseModel):
    """An MLP config's theory, with relative quantities scaled by the measured top-layer gradient norm `top`."""

    model_config = ConfigDict(frozen=True, extra="forbid", ser_json_inf_nan="constants")
    config: MLPConfig
    top: float


def theory_item(cfg: dict, profile: pd.DataFrame) -> tuple[str, dict]:
    """The pool's theory job of an MLP config dict, anchored to its measured top-layer gradient norm (median over
    seeds) in `profile`, the config's gradient_profile."""
    top = float(profile.loc[profile["layer"] == profile["layer"].max(), "grad_norm"].median())
    return "theory", {"config": cfg, "top": top}


def anchored_theory(request: AnchoredTheory) -> pd.DataFrame:
    """explainer.experiments.anchor_theory(theory_profile(config), profile whose top layer has norm `top`);
    no rows where theory says nothing, or where its recursion underflows (init_scale 1e-160 divides by 0)."""
    from explainer.experiments import anchor_theory, theory_profile

    try:
        theory = theory_profile(request.config)
    except ArithmeticError:
        theory = None
    if theory is None:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in THEORY_COLUMNS.items()})
    top = pd.DataFrame({"layer": [request.config.depth], "grad_norm": [request.top]})
    return anchor_theory(theory, top)
