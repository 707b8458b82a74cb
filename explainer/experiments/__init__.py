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
"""

from explainer.experiments.configs import (
    ACTIVATIONS,
    CELLS,
    CLIPS,
    DATASETS,
    INITS,
    NORMS,
    OPTIMIZERS,
    RNN_INITS,
    MLPConfig,
    RNNConfig,
    TrainConfig,
)
from explainer.experiments.mlp import gradient_profile
from explainer.experiments.rnn import bptt_profile
from explainer.experiments.summary import EXPLODING_RATIO, VANISHING_RATIO, ProfileSummary, summarize_profile
from explainer.experiments.theory import anchor_theory, theory_profile
from explainer.experiments.training import divergence_steps, train_run

__all__ = [
    "ACTIVATIONS",
    "CELLS",
    "CLIPS",
    "DATASETS",
    "EXPLODING_RATIO",
    "INITS",
    "NORMS",
    "OPTIMIZERS",
    "RNN_INITS",
    "VANISHING_RATIO",
    "MLPConfig",
    "ProfileSummary",
    "RNNConfig",
    "TrainConfig",
    "anchor_theory",
    "bptt_profile",
    "divergence_steps",
    "gradient_profile",
    "summarize_profile",
    "theory_profile",
    "train_run",
]
