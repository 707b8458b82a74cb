"""Page-only settings of the one-pass labs: which cell, placement, scaling or variant is the learner's own.

The phase, transformer, precision and digits engines run every grid point, placement, format or remedy in one
batched pass, so the learner's own choice is not an engine field. These bounded models declare it the way the
engine's configs declare theirs, so explainer.lab.params derives its URL parameters (and refuses bad values) in the
same place. Pure: no streamlit, no torch.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from explainer.experiments.configs import DigitsVariant, Placement, Scaling


class _Settings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=True)


class PhaseFocus(_Settings):
    """The learner's (σ_w, σ_b) cell of the phase diagram (snapped to the nearest grid point)."""

    sigma_w: float = Field(1.0, ge=0.25, le=16.0)  # the σ_w axis spans 0.25..16 at most (sigmoid's critical σ_w ≈ 10)
    sigma_b: float = Field(0.5, ge=0.0, le=4.0)


class TransformerFocus(_Settings):
    """The learner's own stack: where its norm sits, and whether its learning rate warms up."""

    placement: Placement = "post"
    warmup: bool = False


class PrecisionFocus(_Settings):
    """The learner's float16 run: which loss scaling it uses (float32 and bfloat16 are drawn for contrast)."""

    scaling: Scaling = "none"


class DigitsFocus(_Settings):
    """The learner's own net among the digits lab's variants (the others are drawn beside it)."""

    variant: DigitsVariant = "baseline"
