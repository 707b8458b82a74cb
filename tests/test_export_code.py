"""Exported code (explainer.lab.export) runs without this project and reproduces the engine's numbers.

Each case executes the generated notebook with nbclient on CPU, in a kernel whose working directory is a temp
dir and which checks it cannot import `explainer`, then compares its `results` frame with the engine's run of
the same variants. The seeds, init and data are drawn from the same random streams, so the numbers agree up to
floating-point rounding (the engine batches seeds and writes its own backward; the export uses nn.Module +
autograd). To cover another lab page, add its (kind, variants) to CASES.
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

from explainer.experiments import MLPConfig, RNNConfig, TrainConfig, bptt_profile, gradient_profile, train_run
from explainer.lab.export import notebook, script

ENGINE = {"mlp": (gradient_profile, MLPConfig), "rnn": (bptt_profile, RNNConfig), "train": (train_run, TrainConfig)}
POSITION = {"mlp": "layer", "rnn": "steps_back", "train": "step"}

SMALL = {"depth": 8, "width": 32, "batch_size": 64, "seeds": 3}
CASES = {  # id -> (kind, variants): the engine defaults and one non-default state per kind
    "mlp-defaults": ("mlp", [("default", {})]),
    "mlp-tanh-xavier-residual-batchnorm": ("mlp", [
        ("tanh + Xavier", {**SMALL, "activation": "tanh", "init": "xavier_uniform"}),
        ("ReLU + He, residual + BatchNorm", {**SMALL, "activation": "relu", "init": "he_normal", "residual": True,
                                             "norm": "batch"}),
        ("GELU + orthogonal, spirals", {**SMALL, "activation": "gelu", "init": "orthogonal", "init_scale": 1.3,
                                        "data": "spirals"}),
    ]),
    "rnn-defaults": ("rnn", [("default", {})]),
    "rnn-lstm-gru-orthogonal": ("rnn", [
        ("LSTM", {"cell": "lstm", "seq_len": 30, "hidden": 16, "seeds": 3}),
        ("GRU, orthogonal", {"cell": "gru", "init": "orthogonal", "seq_len": 30, "hidden": 16, "seeds": 3}),
    ]),
    "train-defaults": ("train", [("default", {})]),
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
TOLERANCE = {"mlp": (1e-4, 0.0), "rnn": (1e-4, 0.0), "train": (1e-3, 1e-5)}
ABSOLUTE = {"act_mean": 1e-5, "saturated_frac": 2e-3}  # a mean near 0; a unit or two on a saturation threshold
# Some training runs are chaotic (e.g. ReLU + Adam near a minimum): the engine's own run moves by 10 % when the
# learning rate moves by 1e-6, so no two float orderings can agree there. A training row may also differ by
# CHAOS x its value x the largest relative change that nudge made to the engine's run up to that step (0 while
# the run is insensitive; a running maximum, because a single nudged run can cross the original by chance).
NUDGE, CHAOS = 1e-6, 10.0


def engine_frame(kind: str, variants, nudge: float = 0.0) -> pd.DataFrame:
    """The engine's frame for the variants (training: with the learning rate scaled by 1 + nudge)."""
    run, config = ENGINE[kind]
    frames = []
    for label, cfg in variants:
        validated = config.model_validate(cfg)
        if nudge:
            validated = validated.model_copy(update={"lr": validated.lr * (1 + nudge)})
        frames.append(run(validated).assign(series=label))
    return pd.concat(frames, ignore_index=True)


def assert_same_numbers(kind: str, ours: pd.DataFrame, engine: pd.DataFrame,
                        nudged: pd.DataFrame | None = None) -> None:
    """Same rows (series, seed, position), every numeric column within TOLERANCE, same divergence flags."""
    key = ["series", "seed", POSITION[kind]]
    assert sorted(map(tuple, ours[key].to_numpy())) == sorted(map(tuple, engine[key].to_numpy()))
    merged = engine.merge(ours, on=key, suffixes=("", "_export"), validate="one_to_one")
    if nudged is not None:
        merged = merged.merge(nudged, on=key, how="left", suffixes=("", "_nudged"), validate="one_to_one")
    rtol, scale = TOLERANCE[kind]
    for col in [c for c in engine.columns if c not in key and c != "diverged"]:
        for series, g in merged.groupby("series"):
            g = g.sort_values(["seed", key[2]])
            want, got = g[col].to_numpy(float), g[f"{col}_export"].to_numpy(float)
            start = g.groupby("seed")[col].transform("first").abs().to_numpy(float)
            atol = ABSOLUTE.get(col, scale * start)
            if nudged is not None:
                with np.errstate(divide="ignore", invalid="ignore"):
                    change = np.nan_to_num(np.abs(want - g[f"{col}_nudged"].to_numpy(float)) / np.abs(want))
                sensitivity = pd.Series(change, index=g.index).groupby(g["seed"]).cummax().to_numpy()
                atol = atol + CHAOS * sensitivity * np.abs(want)
            atol = np.nan_to_num(atol)  # NaN only beside a NaN value (a diverged step), compared by equal_nan
            assert np.allclose(got, want, rtol=rtol, atol=atol, equal_nan=True), (series, col)
    if "diverged" in engine:
        assert (merged["diverged"] == merged["diverged_export"]).all()


@pytest.fixture(scope="module")
def kernel(tmp_path_factory):
    """One Python kernel for all cases, started in a temp dir (each notebook first clears the namespace)."""
    km = KernelManager(kernel_name="python3")
    km.start_kernel(cwd=str(tmp_path_factory.mktemp("kernel")))
    yield km
    km.shutdown_kernel(now=True)


def execute(nb, km: KernelManager, out_path) -> pd.DataFrame:
    """Run the notebook as a user would (after a namespace reset); return its `results` frame."""
    nb.cells.insert(0, nbformat.v4.new_code_cell(
        "%reset -f\nimport importlib.util\nassert importlib.util.find_spec('explainer') is None, 'imports the app'"))
    nb.cells.append(nbformat.v4.new_code_cell(f"results.to_pickle({str(out_path)!r})"))
    NotebookClient(nb, timeout=300, km=km).execute()
    return pd.read_pickle(out_path)


@pytest.mark.parametrize("case", CASES)
def test_notebook_reproduces_the_engine(case, kernel, tmp_path):
    """The executed notebook's numbers equal the engine's for the same variants (seeds, init and data equal)."""
    kind, variants = CASES[case]
    nb = notebook(kind, variants)
    nbformat.validate(nb)
    ours = execute(nb, kernel, tmp_path / "results.pkl")
    nudged = engine_frame(kind, variants, NUDGE) if kind == "train" else None
    assert_same_numbers(kind, ours, engine_frame(kind, variants), nudged)


@pytest.mark.parametrize("state", ["defaults", "changed"])
@pytest.mark.parametrize("url_path", list(LAB_STATES))
def test_every_lab_page_exports_its_own_numbers(url_path, state, kernel, tmp_path):
    """For every lab page, at its defaults and at another URL state, the notebook reproduces what the page shows."""
    kind, variants = lab_case(url_path, state)
    ours = execute(notebook(kind, variants), kernel, tmp_path / "results.pkl")
    nudged = engine_frame(kind, variants, NUDGE) if kind == "train" else None
    assert_same_numbers(kind, ours, engine_frame(kind, variants), nudged)


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
    """The generated code imports only torch, numpy, pandas, altair and the standard library."""
    for kind, variants in (c for c in CASES.values()):
        code = script(kind, variants)
        imports = {line.split()[1].split(".")[0] for line in code.splitlines()
                   if line.startswith(("import ", "from "))}
        assert imports == {"math", "altair", "numpy", "pandas", "torch"}, imports


def test_variants_are_validated_and_completed():
    """A config the engine refuses is refused here too; defaults are written out so the code is self-contained."""
    with pytest.raises(ValueError, match="depth"):
        script("mlp", [("too deep", {"depth": 1000})])
    code = script("mlp", [("default", {})])
    assert "depth=20," in code and "activation='sigmoid'" in code and "seed=0," in code
