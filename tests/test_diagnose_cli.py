"""`python -m explainer.diagnose file.py:callable` prints the verdict table and writes the HTML band chart."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pandas as pd
import pytest
from torch import nn

from explainer.diagnose.__main__ import main
from explainer.diagnose.target import default_batch, load_target, run
from tests.conftest import ROOT

MODELS = textwrap.dedent('''
    import torch
    from torch import nn

    def sigmoid_net():
        layers = []
        for _ in range(20):
            layers += [nn.Linear(16, 16), nn.Sigmoid()]
        return nn.Sequential(*layers, nn.Linear(16, 1))

    def with_batch_and_loss():
        layers = []
        for _ in range(6):
            lin = nn.Linear(8, 8)
            nn.init.kaiming_normal_(lin.weight, nonlinearity="relu")
            layers += [lin, nn.ReLU()]
        model = nn.Sequential(*layers, nn.Linear(8, 3))
        return model, (torch.randn(32, 8), torch.randint(3, (32,))), nn.CrossEntropyLoss()
''')


@pytest.fixture
def models_file(tmp_path):
    path = tmp_path / "my_models.py"
    path.write_text(MODELS, encoding="utf-8")
    return path


def test_command_prints_a_vanishing_verdict_and_writes_the_chart(models_file, tmp_path):
    """The real command on a deep sigmoid net: table + VANISHING on stdout, a Vega-Lite chart in the HTML file."""
    out, csv = tmp_path / "chart.html", tmp_path / "frame.csv"
    done = subprocess.run(
        [sys.executable, "-m", "explainer.diagnose", f"{models_file}:sigmoid_net", "--seeds", "2", "--out", str(out),
         "--csv", str(csv)], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True)
    assert "verdict: VANISHING" in done.stdout
    assert "0.weight" in done.stdout and "40.weight" in done.stdout
    html = out.read_text(encoding="utf-8")
    assert "vega" in html and "gradient norm" in html
    frame = pd.read_csv(csv)
    assert sorted(frame["seed"].unique()) == [0, 1] and frame["layer"].max() == 21


def test_callable_may_return_batch_and_loss(models_file, tmp_path, capsys):
    """(model, batch, loss_fn) is used as given: a He-ReLU classifier with cross-entropy is healthy."""
    code = main([f"{models_file}:with_batch_and_loss", "--seeds", "3", "--out", "", "--strict"])
    assert code == 0
    assert "verdict: HEALTHY" in capsys.readouterr().out


def test_strict_fails_an_unhealthy_model(models_file, capsys):
    """--strict turns a vanishing verdict into exit status 1 (for a CI check on one's own model)."""
    assert main([f"{models_file}:sigmoid_net", "--seeds", "1", "--out", "", "--strict"]) == 1


def test_seeds_are_new_initialisations(models_file):
    """The callable is called under each seed: the same seed repeats exactly, another seed differs."""
    build = load_target(f"{models_file}:sigmoid_net")
    a, b = run(build, [0, 1]), run(build, [0, 1])
    assert a.equals(b)
    assert (a[a["seed"] == 0]["grad_norm"].to_numpy() != a[a["seed"] == 1]["grad_norm"].to_numpy()).all()


@pytest.mark.parametrize(("model", "shape"), [
    (nn.Sequential(nn.Linear(5, 2)), (32, 5)),
    (nn.Sequential(nn.Conv2d(3, 4, 3), nn.Flatten()), (32, 3, 32, 32)),
    (nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, batch_first=True), 1), (32, 32, 8)),
    (nn.Sequential(nn.Embedding(10, 4)), (32, 32)),
])
def test_default_batch_is_guessed_from_the_first_layer(model, shape):
    """Without a batch, the input shape comes from the first layer (token ids for an embedding)."""
    batch = default_batch(model)
    assert tuple(batch.shape) == shape
    model(batch)  # and the model accepts it


def test_bad_target_names_the_problem(models_file):
    """A missing callable or a spec without ':' is refused with a message saying what was expected."""
    with pytest.raises(AttributeError, match="no callable 'nope'"):
        load_target(f"{models_file}:nope")
    with pytest.raises(ValueError, match="path/to/file.py:callable"):
        load_target(str(models_file))


def test_batch_shape_flag_sets_the_input(models_file):
    """--batch-shape draws an N(0, 1) batch of that shape (here a 7-sample batch)."""
    build = load_target(f"{models_file}:sigmoid_net")
    seen = []
    model = build()
    model.register_forward_pre_hook(lambda _m, args: seen.append(tuple(args[0].shape)))
    run(lambda: model, [0], batch_shape=[7, 16])
    assert seen == [(7, 16)]
