"""Default settings of each lab page: which URL keys it has (in control order) and their values at first visit.

Defaults are chosen to show the problem first (the diagnosis then offers the fix) and to stay fast on a
shared 2-core server: bench/bench_pages.py times every page at these values. Pure data, no imports of torch.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from explainer.lab.params import RNN_INITS, SPECS, ParamSpec, with_range


@dataclass(frozen=True)
class LabPreset:
    """A lab page's controls: `keys` in display order (the first `main` are shown, the rest under "More")."""

    url_path: str
    kind: str  # "mlp", "rnn" or "train": which engine config the values build
    defaults: dict
    main: int  # how many of the keys are primary controls
    specs: dict = field(default_factory=dict)
    prefer: tuple[str, ...] = ()  # remedy slugs this page is about: the diagnosis suggests these first

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(self.defaults)


def _specs(keys, **narrowed: ParamSpec) -> dict[str, ParamSpec]:
    return {k: narrowed.get(k, SPECS[k]) for k in keys}


def _preset(url_path: str, kind: str, main: int, defaults: dict, prefer: tuple[str, ...] = (),
            **narrowed: ParamSpec) -> LabPreset:
    return LabPreset(url_path, kind, defaults, main, _specs(defaults, **narrowed), prefer)


TRAIN_SIZE = {"depth": 6, "width": 32, "batch_size": 32, "seeds": 8}

PRESETS: dict[str, LabPreset] = {
    p.url_path: p
    for p in (
        _preset("lab-activations", "mlp", 3, {
            "activation": "sigmoid", "depth": 20, "width": 64, "init": "xavier_normal", "init_scale": None,
            "batch_size": 64, "seeds": 8, "data": "gaussian",
        }, prefer=("activations",)),
        _preset("lab-init", "mlp", 3, {
            "init": "small_normal", "activation": "tanh", "depth": 20, "init_scale": None, "width": 64,
            "batch_size": 64, "seeds": 8, "data": "gaussian",
        }, prefer=("initialization",)),
        _preset("lab-normalization", "mlp", 4, {
            "norm": "none", "residual": False, "activation": "sigmoid", "depth": 20, "width": 64,
            "init": "xavier_normal", "init_scale": None, "batch_size": 64, "seeds": 8, "data": "gaussian",
        }, prefer=("batchnorm", "residual")),
        _preset("lab-recurrent", "rnn", 3, {
            "cell": "rnn_tanh", "seq_len": 50, "hidden": 32, "init": "pytorch_default", "init_scale": None,
            "batch_size": 32, "seeds": 8,
        }, prefer=("gating",), batch_size=with_range(SPECS["batch_size"], hi=512),
            init=with_range(SPECS["init"], choices=RNN_INITS)),
        _preset("lab-clipping", "train", 5, {
            "clip": "none", "max_norm": 1.0, "clip_value": 1.0, "lr": 0.1, "optimizer": "sgd", "steps": 50,
            "activation": "relu", "init": "he_normal", "init_scale": None, **TRAIN_SIZE, "data": "gaussian",
        }),
        _preset("lab-weight-decay", "train", 4, {
            "weight_decay": 0.0, "lr": 0.03, "optimizer": "adam", "steps": 50, "activation": "tanh",
            "init": "xavier_normal", "init_scale": None, "depth": 4, "width": 32, "batch_size": 32, "seeds": 8,
            "data": "spirals",
        }),
        _preset("lab-compare", "mlp", 4, {
            "activation": "sigmoid", "init": "pytorch_default", "norm": "none", "residual": False, "depth": 20,
            "width": 64, "init_scale": None, "batch_size": 64, "seeds": 8, "data": "gaussian",
        }),
    )
}
