"""Exported code (explainer.lab.export) runs without this project and reproduces the engine's numbers.

Each case executes the generated notebook with nbclient on CPU, in a kernel whose working directory is a temp
dir and which checks it cannot import `explainer`, then compares its `results` frame (and, for the training pages
that draw one, its step-0 `profile`) with the engine's run of the same variants. The seeds, init and data are drawn
from the same random streams, so the numbers agree up to floating-point rounding (the engine batches seeds and
writes its own backward; the export uses nn.Module + autograd). Training runs and the chaotic side of the phase
diagram amplify rounding: there the engine's own sensitivity to a 1e-6 nudge widens the tolerance (see NUDGE).
Every lab page is covered at its defaults and one other URL state (LAB_STATES); CASES adds engine configs no page
builds.
"""

from __future__ import annotations

import subprocess
import sys

import nbformat
import numpy as np
import pandas as pd
import pytest
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient

from explainer.experiments import (
    DigitsConfig,
    MLPConfig,
    PhaseConfig,
    PrecisionTrainConfig,
    RNNConfig,
    TrainConfig,
    TransformerTrainConfig,
    bptt_profile,
    digits_profile,
    digits_train,
    gradient_profile,
    phase_diagram,
    precision_profile,
    precision_train,
    train_run,
    transformer_profile,
    transformer_train,
)
from explainer.experiments.phase import grid
from explainer.lab.export import notebook, script

ENGINE = {"mlp": (gradient_profile, MLPConfig), "rnn": (bptt_profile, RNNConfig), "train": (train_run, TrainConfig),
          "phase": (phase_diagram, PhaseConfig), "transformer": (transformer_train, TransformerTrainConfig),
          "precision": (precision_train, PrecisionTrainConfig), "digits": (digits_train, DigitsConfig)}
# The columns naming one row of a kind's frame, besides the variant's label; the last one is the position along a
# run (layer, step, ...), except for the phase grid, whose cells are independent.
ROW = {"mlp": ["seed", "layer"], "rnn": ["seed", "steps_back"], "train": ["seed", "step"],
       "phase": ["sigma_w", "sigma_b", "seed"], "transformer": ["placement", "warmup_steps", "seed", "step"],
       "precision": ["dtype", "scaling", "seed", "step"], "digits": ["variant", "seed", "split", "step"]}
# The one-pass kinds label their own series (placement, format, remedy); the page's variant label is `setting`.
LABEL = {"transformer": "setting", "precision": "setting", "digits": "setting"}
# The step-0 profile each training page draws beside its run: (engine runner of a variant's config, row columns).
PROFILE = {
    "transformer": (lambda cfg: transformer_profile(TransformerTrainConfig.model_validate(cfg).model.model_copy(
        update={"placements": ("post", "pre", "none")})), ["placement", "seed", "layer"]),
    "precision": (lambda cfg: precision_profile(PrecisionTrainConfig.model_validate(cfg).model),
                  ["dtype", "scaling", "seed", "layer"]),
    "digits": (lambda cfg: digits_profile(DigitsConfig.model_validate(cfg)), ["variant", "seed", "layer"]),
}

SMALL = {"depth": 8, "width": 32, "batch_size": 64, "seeds": 3}
# id -> (kind, variants): engine configs no lab page builds (spirals, GELU + orthogonal, LSTM, Adam + clipping, ...).
# The engine defaults of each kind are left to LAB_STATES: every page's default state runs the same code paths.
CASES = {
    "mlp-tanh-xavier-residual-batchnorm": ("mlp", [
        ("tanh + Xavier", {**SMALL, "activation": "tanh", "init": "xavier_uniform"}),
        ("ReLU + He, residual + BatchNorm", {**SMALL, "activation": "relu", "init": "he_normal", "residual": True,
                                             "norm": "batch"}),
        ("GELU + orthogonal, spirals", {**SMALL, "activation": "gelu", "init": "orthogonal", "init_scale": 1.3,
                                        "data": "spirals"}),
    ]),
    "rnn-lstm-gru-orthogonal": ("rnn", [
        ("LSTM", {"cell": "lstm", "seq_len": 30, "hidden": 16, "seeds": 3}),
        ("GRU, orthogonal", {"cell": "gru", "init": "orthogonal", "seq_len": 30, "hidden": 16, "seeds": 3}),
    ]),
    "train-adam-clip-norm-decay": ("train", [
        ("Adam, clipped by norm", {"optimizer": "adam", "lr": 0.01, "clip": "norm", "max_norm": 0.5, "steps": 40,
                                   "weight_decay": 1e-3, "model": {**SMALL, "depth": 4, "activation": "tanh"}}),
        ("SGD, clipped by value", {"lr": 0.05, "clip": "value", "clip_value": 0.01, "steps": 40,
                                   "model": {**SMALL, "depth": 4, "activation": "relu", "init": "he_uniform"}}),
    ]),
}

# Every lab page at its defaults and at one other URL state: the variants exactly as the page builds them.
LAB_STATES = {
    "lab-activations": {"activation": "tanh", "depth": 12, "init": "he_normal"},
    "lab-init": {"init": "orthogonal", "activation": "relu", "init_scale": 1.4, "depth": 12},
    "lab-normalization": {"norm": "batch", "residual": True, "activation": "tanh", "depth": 12},
    "lab-recurrent": {"cell": "gru", "seq_len": 30, "hidden": 16},
    "lab-clipping": {"clip": "norm", "max_norm": 0.5, "lr": 0.3, "steps": 30},
    "lab-weight-decay": {"weight_decay": 0.01, "optimizer": "sgd", "lr": 0.1, "steps": 30},
    "lab-compare": {"activation": "tanh", "init": "small_normal", "depth": 12},
    "lab-phase": {"activation": "sigmoid", "depth": 40, "width": 32, "sigma_w_steps": 9, "sigma_b_steps": 5},
    "lab-transformer": {"placement": "none", "warmup": True, "norm_type": "rms", "layers": 3, "steps": 40,
                        "warmup_steps": 10, "seeds": 2},
    "lab-precision": {"scaling": "dynamic", "activation": "tanh", "init": "xavier_normal", "optimizer": "sgd",
                      "lr": 0.1, "fixed_scale": 100.0, "steps": 40, "depth": 6, "seeds": 2},
    "lab-digits": {"variant": "tanh_xavier", "depth": 6, "steps": 60, "eval_every": 15, "lr": 0.05, "seeds": 2},
}


def lab_case(url_path: str, state: str) -> tuple[str, list]:
    """(kind, variants) a lab page runs at its defaults or at its LAB_STATES settings."""
    from explainer.lab.specs import LABS

    spec = LABS[url_path]
    values = spec.defaults | (LAB_STATES[url_path] if state == "changed" else {})
    return spec.kind, spec.variants(values)


def test_every_lab_page_has_an_export_case():
    """A new lab page whose kind can be exported gets a LAB_STATES entry (so its export is checked too)."""
    from explainer.lab.export import KINDS
    from explainer.lab.specs import LABS

    assert set(LAB_STATES) == {url for url, spec in LABS.items() if spec.kind in KINDS}


# (rtol, atol as a fraction of the seed's value at step 0). Profiles agree to float32 rounding, relative to each
# value. Over training steps rounding differences accumulate, and a gradient norm near a minimum is a difference
# of large terms, so training values are also compared against the scale the run started at.
TRAINING = (1e-3, 1e-5)
TOLERANCE = {"mlp": (1e-4, 0.0), "rnn": (1e-4, 0.0), "train": TRAINING, "phase": (1e-4, 0.0),
             "transformer": TRAINING, "precision": TRAINING, "digits": TRAINING, "profile": (1e-4, 0.0)}
ABSOLUTE = {
    "act_mean": 1e-5, "saturated_frac": 2e-3,  # a mean near 0; a unit or two on a saturation threshold
    # phase: log10 of a ratio; float64 (export) against float32 (engine) agree to ~5e-6 decades off the chaotic side
    "log10_ratio": 1e-5, "log10_weight_ratio": 1e-5, "predicted_log10_ratio": 1e-5,
    # an entry or two rounding to 0 in float16 on one side only (the stored values differ by a float32 ulp)
    "zero_frac": 2e-3, "zero_frac_first": 2e-3, "subnormal_frac": 2e-3,
}
# Training in float16: torch.optim.Adam and the engine's batched Adam round the update differently in the last bit,
# which moves a weight across a float16 rounding boundary now and then; the gradient entries behind it then cross
# the underflow threshold, and Adam gives a flipped entry a full-size step. Half the entries of a float16 run sit
# below that threshold, so the share of zeros drifts by up to ~1 % from the first steps on, before a 1e-6 nudge of
# the learning rate (too small to change a float32 weight in the first steps) shows it.
RUN_ABSOLUTE = {"precision": {"zero_frac": 1e-2, "zero_frac_first": 1e-2}}
# Some runs are chaotic (e.g. ReLU + Adam near a minimum; Post-LN without warm-up; the phase diagram's chaotic side,
# χ₁ > 1, where a forward pass decorrelates nearby inputs): the engine's own run moves by 10 % when the learning rate
# (phase: σ_w) moves by 1e-6, so no two float orderings can agree there. A row may also differ by CHAOS x the
# largest change that nudge made to the engine's run up to that row: along the run's steps, or up to that χ₁ (0
# while the run is insensitive; a running maximum, because a single nudged run can cross the original by chance).
NUDGE, CHAOS = 1e-6, 10.0
NUDGED = ("train", "transformer", "precision", "digits", "phase")


def nudge(kind: str, config):
    """The config with its learning rate (phase: the σ_w axis) scaled by 1 + NUDGE."""
    if kind == "phase":
        return config.model_copy(update={"sigma_w_min": config.sigma_w_min * (1 + NUDGE),
                                         "sigma_w_max": config.w_max * (1 + NUDGE)})
    return config.model_copy(update={"lr": config.lr * (1 + NUDGE)})


def engine_frame(kind: str, variants, nudged: bool = False) -> pd.DataFrame:
    """The engine's frame for the variants (nudged: see `nudge`), labelled as the export labels them."""
    run, config = ENGINE[kind]
    frames = []
    for label, cfg in variants:
        validated = config.model_validate(cfg)
        df = run(nudge(kind, validated) if nudged else validated)
        if nudged and kind == "phase":  # the same cells in the same order, at σ_w x (1 + NUDGE): name them as before
            df = df.assign(sigma_w=np.repeat(grid(validated)[0], validated.seeds))
        frames.append(df.assign(**{LABEL.get(kind, "series"): label}))
    return pd.concat(frames, ignore_index=True)


def profile_frame(kind: str, variants) -> pd.DataFrame:
    """The engine's step-0 profile of each variant (transformer, precision and digits pages)."""
    run, _ = PROFILE[kind]
    return pd.concat([run(cfg).assign(setting=label) for label, cfg in variants], ignore_index=True)


def _sensitivity(g: pd.DataFrame, col: str, want: np.ndarray, run: list[str], order: str) -> np.ndarray:
    """How far the nudge moved `col`: the running maximum (along `order`, within each run) of its relative change,
    times the value; at a value of 0 (a share of zero entries, say), the change itself."""
    change = np.nan_to_num(np.abs(want - g[f"{col}_nudged"].to_numpy(float)))  # NaN: a diverged step, compared as NaN
    size = np.nan_to_num(np.abs(want))
    relative = np.divide(change, size, out=np.zeros_like(change), where=size > 0)
    ranked = g.assign(_relative=relative).sort_values(order)
    running = ranked.groupby(run)["_relative"].cummax().reindex(g.index).to_numpy()
    return np.maximum(running * size, change)


def assert_same_numbers(kind: str, ours: pd.DataFrame, engine: pd.DataFrame, nudged: pd.DataFrame | None = None,
                        row: list[str] | None = None, tolerance: str | None = None) -> None:
    """Same rows, every numeric column within TOLERANCE (plus the nudge's sensitivity), other columns equal."""
    label = LABEL.get(kind, "series")
    key = [label, *(row or ROW[kind])]
    assert sorted(map(tuple, ours[key].to_numpy())) == sorted(map(tuple, engine[key].to_numpy()))
    merged = engine.merge(ours, on=key, suffixes=("", "_export"), validate="one_to_one")
    if nudged is not None:
        merged = merged.merge(nudged, on=key, how="left", suffixes=("", "_nudged"), validate="one_to_one")
    rtol, scale = TOLERANCE[tolerance or kind]
    order = "chi1" if kind == "phase" else key[-1]
    run = [c for c in key if c not in (order, "sigma_w", "sigma_b")]
    for col in [c for c in engine.columns if c not in key]:
        if not pd.api.types.is_numeric_dtype(engine[col]) or pd.api.types.is_bool_dtype(engine[col]):
            assert (merged[col] == merged[f"{col}_export"]).all(), col  # phase names, skipped/diverged flags
            continue
        for series, g in merged.groupby(label):
            g = g.sort_values(key)
            want, got = g[col].to_numpy(float), g[f"{col}_export"].to_numpy(float)
            start = g.groupby(run)[col].transform("first").abs().to_numpy(float)
            atol = RUN_ABSOLUTE.get(tolerance or kind, {}).get(col, ABSOLUTE.get(col, scale * start if scale else 0.0))
            if nudged is not None:
                atol = atol + CHAOS * _sensitivity(g, col, want, run, order)
            atol = np.nan_to_num(atol)  # NaN only beside a NaN value (a diverged step), compared by equal_nan
            assert np.allclose(got, want, rtol=rtol, atol=atol, equal_nan=True), (series, col)


def assert_reproduces(kind: str, variants, out: dict) -> None:
    """The notebook's results (and step-0 profile) equal the engine's for the same variants."""
    nudged = engine_frame(kind, variants, nudged=True) if kind in NUDGED else None
    assert_same_numbers(kind, out["results"], engine_frame(kind, variants), nudged)
    if kind in PROFILE:
        assert_same_numbers(kind, out["profile"], profile_frame(kind, variants), row=PROFILE[kind][1],
                            tolerance="profile")


@pytest.fixture(scope="module")
def kernel(tmp_path_factory):
    """One Python kernel for all cases, started in a temp dir (each notebook first clears the namespace)."""
    km = KernelManager(kernel_name="python3")
    km.start_kernel(cwd=str(tmp_path_factory.mktemp("kernel")))
    yield km
    km.shutdown_kernel(now=True)


def execute(nb, km: KernelManager, out_path) -> dict[str, pd.DataFrame]:
    """Run the notebook as a user would (after a namespace reset); return its `results` (and `profile`) frames."""
    nb.cells.insert(0, nbformat.v4.new_code_cell(
        "%reset -f\nimport importlib.util\nassert importlib.util.find_spec('explainer') is None, 'imports the app'"))
    nb.cells.append(nbformat.v4.new_code_cell(
        f"pd.to_pickle({{k: v for k, v in globals().items() if k in ('results', 'profile')}}, {str(out_path)!r})"))
    NotebookClient(nb, timeout=300, km=km).execute()
    return pd.read_pickle(out_path)


@pytest.mark.parametrize("case", CASES)
def test_notebook_reproduces_the_engine(case, kernel, tmp_path):
    """The executed notebook's numbers equal the engine's for the same variants (seeds, init and data equal)."""
    kind, variants = CASES[case]
    nb = notebook(kind, variants)
    nbformat.validate(nb)
    assert_reproduces(kind, variants, execute(nb, kernel, tmp_path / "results.pkl"))


@pytest.mark.parametrize("state", ["defaults", "changed"])
@pytest.mark.parametrize("url_path", list(LAB_STATES))
def test_every_lab_page_exports_its_own_numbers(url_path, state, kernel, tmp_path):
    """For every lab page, at its defaults and at another URL state, the notebook reproduces what the page shows."""
    kind, variants = lab_case(url_path, state)
    nb = notebook(kind, variants)
    nbformat.validate(nb)
    assert_reproduces(kind, variants, execute(nb, kernel, tmp_path / "results.pkl"))


def test_script_runs_as_a_file(tmp_path):
    """`python script.py` in an empty directory prints the verdict table and saves the chart."""
    path = tmp_path / "experiment.py"
    path.write_text(script("rnn", [("tanh RNN", {"seq_len": 20, "seeds": 2}), ("LSTM", {"cell": "lstm",
                                                                                        "seq_len": 20, "seeds": 2})]))
    done = subprocess.run([sys.executable, str(path)], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "tanh RNN" in done.stdout and "LSTM" in done.stdout and "verdict" in done.stdout
    assert (tmp_path / "gradient_lab_chart.html").read_text().count("vega") > 0


def test_export_imports_nothing_from_this_project():
    """The generated code imports only torch, numpy, pandas, altair, the standard library and (digits) scikit-learn."""
    cases = [*CASES.values(), *(lab_case(url, "defaults") for url in LAB_STATES)]
    for kind, variants in cases:
        code = script(kind, variants)
        imports = {line.split()[1].split(".")[0] for line in code.splitlines()
                   if line.startswith(("import ", "from "))}
        extra = {"sklearn"} if kind == "digits" else set()
        assert imports == {"math", "altair", "numpy", "pandas", "torch"} | extra, (kind, imports)


def test_variants_are_validated_and_completed():
    """A config the engine refuses is refused here too; defaults are written out so the code is self-contained."""
    with pytest.raises(ValueError, match="depth"):
        script("mlp", [("too deep", {"depth": 1000})])
    code = script("mlp", [("default", {})])
    assert "depth=20," in code and "activation='sigmoid'" in code and "seed=0," in code
