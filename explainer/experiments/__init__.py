"""Gradient experiments in pure PyTorch: configs in, tidy pandas frames out (importable from a notebook).

    from explainer.experiments import MLPConfig, gradient_profile, summarize_profile
    df = gradient_profile(MLPConfig(depth=30, activation="sigmoid"))
    summarize_profile(df).verdict   # "vanishing"

Runners (every seed of a config in one batched pass; seed s gives the same rows alone or with others):
- gradient_profile(MLPConfig): seed, layer, grad_norm, act_mean, act_std, saturated_frac   (mlp.py)
- bptt_profile(RNNConfig): seed, steps_back, grad_norm                                     (rnn.py)
- train_run(TrainConfig): seed, step, loss, grad_norm, grad_norm_clipped, weight_norm, diverged (training.py)
- summarize_profile(frame) -> ProfileSummary; theory_profile(config) -> frame or None; anchor_theory;
  divergence_steps(train frame) -> {seed: first divergent step or None}.
- profile_model(your nn.Module, batch, loss_fn): the same frame for any model, plus name and module columns
  (profile.py); track(model, every=N) records it during your own training loop (track.py).
- phase_diagram(PhaseConfig): sigma_w, sigma_b, seed, log10_ratio, log10_weight_ratio + mean-field q_star, chi1,
  phase, predicted_log10_ratio; critical_line(config): sigma_b, sigma_w where χ₁ = 1                 (phase.py)
- transformer_profile(TransformerConfig): placement, seed, layer, grad_norm (+ attention/mlp parts) at init
  (transformer.py); transformer_train(TransformerTrainConfig): placement, warmup_steps, seed, step, lr, loss,
  accuracy                                                                          (transformer_training.py)
- precision_profile(PrecisionConfig): dtype, scaling, seed, layer, scale, zero_frac, subnormal_frac, grad_norm
  (precision.py); precision_train(PrecisionTrainConfig): dtype, scaling, seed, step, loss, scale, skipped,
  zero_frac_first, zero_frac, first_layer_moved                                      (precision_training.py)
- digits_train(DigitsConfig): variant, seed, step, split (train/test), loss, accuracy on scikit-learn's 8x8 digits;
  digits_profile(config): variant, seed, layer, grad_norm at step 0                             (digits.py)

Imports are lazy (PEP 562): `from explainer.experiments import MLPConfig` loads configs.py only, so torch-free code
(views, the diagnosis panel, questions) can read configs and summary thresholds without importing torch; a runner
loads torch on first use.
"""

from __future__ import annotations

import importlib

# public name -> module (under explainer.experiments) that defines it; add a runner here to export it
_EXPORTS: dict[str, str] = {
    **dict.fromkeys(
        ("ACTIVATIONS", "CELLS", "CLIPS", "DATASETS", "INITS", "NORMS", "OPTIMIZERS", "RNN_INITS", "MLPConfig",
         "RNNConfig", "TrainConfig"), "configs"),
    **dict.fromkeys(("CRITICAL_MARGIN", "EXPLODING_RATIO", "VANISHING_RATIO", "ProfileSummary", "Verdict",
                     "phase_agreement", "summarize_profile"), "summary"),
    "gradient_profile": "mlp",
    "bptt_profile": "rnn",
    "anchor_theory": "theory",
    "theory_profile": "theory",
    "divergence_steps": "training",
    "train_run": "training",
    "profile_model": "profile",
    "Tracker": "track",
    "track": "track",
    # issue 14: phase diagram
    **dict.fromkeys(("PHASE_ACTIVATIONS", "PhaseConfig"), "configs"),
    **dict.fromkeys(("critical_line", "phase_diagram", "phase_theory"), "phase"),
    # issue 14: transformer blocks
    **dict.fromkeys(("NORM_TYPES", "PLACEMENTS", "TransformerConfig", "TransformerTrainConfig"), "configs"),
    "transformer_profile": "transformer",
    "transformer_train": "transformer_training",
    # issue 14: mixed precision
    **dict.fromkeys(("SCALINGS", "PrecisionConfig", "PrecisionTrainConfig"), "configs"),
    "precision_profile": "precision",
    "precision_train": "precision_training",
    # issue 14: does it hurt learning? (digits)
    **dict.fromkeys(("DIGITS_VARIANTS", "DigitsConfig"), "configs"),
    **dict.fromkeys(("digits_profile", "digits_train"), "digits"),
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> object:
    """Load the defining module on first access (PEP 562) and cache the name in this package's namespace."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
