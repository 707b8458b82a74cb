"""explainer.lab.diagnosis: from settings + measured summary to one applicable remedy; training facts."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from explainer.core.sitemap import LEARN_PATHS
from explainer.lab.diagnosis import LEARN, suggest, suggest_training, train_facts, training_verdict
from explainer.lab.specs import LABS

MLP = LABS["lab-compare"].defaults
ALL_MLP_KEYS = LABS["lab-compare"].keys


def test_every_remedy_links_to_a_learn_page():
    """Each remedy's Learn page exists in the sitemap."""
    assert set(LEARN.values()) <= LEARN_PATHS


def test_healthy_needs_no_remedy():
    """A healthy verdict gives no suggestion."""
    assert suggest(MLP, "healthy", ALL_MLP_KEYS) is None


def test_vanishing_sigmoid_suggests_relu_with_he_init():
    """Saturating activation + vanishing: switch to ReLU and He init (Glorot et al. 2011; He et al. 2015)."""
    remedy = suggest(MLP, "vanishing", ALL_MLP_KEYS)
    assert remedy.slug == "activations" and remedy.learn == "remedy-activations"
    assert remedy.changes == {"activation": "relu", "init": "he_normal", "init_scale": None}


def test_only_remedies_the_page_can_apply_are_offered():
    """On a page without an activation control, the next applicable remedy is offered instead."""
    keys = LABS["lab-normalization"].keys
    remedy = suggest(LABS["lab-normalization"].defaults | {"init": "pytorch_default"}, "vanishing",
                     [k for k in keys if k != "activation"])
    assert remedy.slug == "initialization" and remedy.changes == {"init": "xavier_normal", "init_scale": None}


def test_prefer_puts_the_page_topic_first():
    """The BatchNorm page suggests BatchNorm before switching the activation."""
    preset = LABS["lab-normalization"]
    remedy = suggest(preset.defaults, "vanishing", preset.keys, preset.prefer)
    assert remedy.slug == "batchnorm" and remedy.changes == {"norm": "batch"}


def test_init_scale_change_is_dropped_when_the_page_has_no_such_control():
    """A reset of init_scale to None is left out for pages without that control, not the whole remedy."""
    remedy = suggest(MLP, "vanishing", ["activation", "init"])
    assert remedy.changes == {"activation": "relu", "init": "he_normal"}


def test_no_remedy_when_nothing_would_change():
    """With BatchNorm and skips on and a matched init, a vanishing ReLU net has nothing left on the page."""
    values = MLP | {"activation": "relu", "init": "he_normal", "norm": "batch", "residual": True}
    assert suggest(values, "vanishing", ALL_MLP_KEYS) is None


def test_exploding_large_init_suggests_matched_init():
    """Too-large weights + exploding: Xavier (tanh) init."""
    remedy = suggest(MLP | {"activation": "tanh", "init": "large_normal"}, "exploding", ALL_MLP_KEYS)
    assert remedy.slug == "initialization" and remedy.changes["init"] == "xavier_normal"


@pytest.mark.parametrize(("cell", "init", "slug", "change"), [
    ("rnn_tanh", "pytorch_default", "gating", {"cell": "lstm"}),
    ("lstm", "pytorch_default", "initialization", {"init": "orthogonal"}),
])
def test_recurrent_vanishing(cell, init, slug, change):
    """Plain RNN: gate it (LSTM); a gated cell that still vanishes: orthogonal recurrent weights."""
    preset = LABS["lab-recurrent"]
    remedy = suggest(preset.defaults | {"cell": cell, "init": init}, "vanishing", preset.keys, preset.prefer)
    assert remedy.slug == slug and change.items() <= remedy.changes.items()


def run(diverge=(), seeds=4, steps=6, weight_growth=1.0) -> pd.DataFrame:
    """Synthetic train_run frame: weight norm grows linearly to `weight_growth`; listed seeds diverge at step 3."""
    rows = []
    for seed in range(seeds):
        for step in range(steps):
            dead = seed in diverge and step == 3
            rows.append({"seed": seed, "step": step, "loss": math.nan if dead else 1.0, "grad_norm": math.nan if dead
                         else 2.0 - step / steps, "grad_norm_clipped": 1.0,
                         "weight_norm": 1.0 + (weight_growth - 1.0) * step / (steps - 1), "diverged": dead})
            if dead:
                break
    return pd.DataFrame(rows)


def test_train_facts():
    """train_facts counts diverged seeds, the first divergent step and the weight growth of the others."""
    facts = train_facts(run(diverge=(0, 2), weight_growth=1.5))
    assert (facts.n_seeds, facts.n_diverged, facts.first_divergent_step) == (4, 2, 3)
    assert facts.weight_growth == pytest.approx(1.5) and facts.grad_growth == pytest.approx(1.0)
    assert training_verdict(facts) == "diverged"
    assert training_verdict(train_facts(run(weight_growth=1.5))) == "growing"
    assert training_verdict(train_facts(run())) == "stable"


def test_diverging_run_gets_clipping_then_a_lower_rate():
    """Diverged without clipping: clip by norm; diverged with clipping on: lower the learning rate 10x."""
    keys = LABS["lab-clipping"].keys
    values = LABS["lab-clipping"].defaults
    facts = train_facts(run(diverge=(1,)))
    assert suggest_training(values, facts, keys).changes == {"clip": "norm", "max_norm": 1.0}
    lowered = suggest_training(values | {"clip": "norm"}, facts, keys)
    assert lowered.slug == "learning_rate" and lowered.changes == {"lr": pytest.approx(0.01)}


def test_growing_weights_get_weight_decay_only_where_it_can_be_set():
    """Weights growing > 20 %: add L2 (λ = 0.01) on the weight-decay page; nothing on a page without λ."""
    facts = train_facts(run(weight_growth=1.5))
    preset = LABS["lab-weight-decay"]
    assert suggest_training(preset.defaults, facts, preset.keys).changes == {"weight_decay": 0.01}
    assert suggest_training(LABS["lab-clipping"].defaults, facts, LABS["lab-clipping"].keys) is None
