"""From a phase-diagram cell to the Initialization lab's settings, and what that translation leaves out.

The phase diagram draws W ~ N(0, σ_w²/fan_in). The Initialization lab's He-normal init draws N(0, gain²/fan_in) with
`init_scale` as the gain, whatever the activation, so init = he_normal with init_scale = σ_w is the same weight
distribution in every layer (the first layer's fan_in is the input width, 64 Gaussian inputs as here). Not carried
over: biases (that lab's He-initialised nets have zero biases, so σ_b is dropped), σ_w above the lab's init_scale
bound, and the loss (a regression loss there, a random readout here: it sets only the top layer's error).
Pure: no streamlit, no torch.
"""

from __future__ import annotations

from collections.abc import Mapping

from explainer.lab.params import kind_specs

INIT_SCALE = kind_specs("mlp")["init_scale"]  # the Initialization lab's gain bounds


def init_lab_params(values: Mapping, sigma_w: float, sigma_b: float) -> tuple[dict, list[str]]:
    """(URL parameters of lab-init for this cell, sentences saying what is approximate)."""
    gain = round(min(sigma_w, INIT_SCALE.hi), 3)
    params = {"init": "he_normal", "init_scale": gain, "activation": values["activation"], "depth": values["depth"],
              "width": values["width"]}
    notes = ["He normal with gain σ_w draws exactly this cell's weights, W ~ N(0, σ_w²/fan_in)."]
    if sigma_b > 0:
        notes.append(f"σ_b = {sigma_b:.3g} is not carried over: that lab's biases are 0, so it shows the σ_b = 0 "
                     "row's behaviour at this σ_w.")
    if gain < sigma_w:
        notes.append(f"σ_w = {sigma_w:.3g} is above that lab's largest gain, so it opens at {gain:g}.")
    return params, notes
