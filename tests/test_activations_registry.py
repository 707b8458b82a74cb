"""The activation records: one per option, agreeing with torch's modules, autograd, init gains and the config."""

import ast
import json
import math
import subprocess
import sys
import typing

import numpy as np
import pytest
import torch
from torch import nn

from explainer.experiments import configs
from explainer.experiments.activations import ACTIVATIONS, NAMES, SATURATION_FRACTION, Saturation, activation_of
from tests.conftest import ROOT

SPECS = list(ACTIVATIONS.values())
IDS = list(ACTIVATIONS)
GRID = torch.linspace(-12, 12, 48_001, dtype=torch.float64)  # step 5e-4; contains 0 and ±√2 only approximately

# Modules where the option names used to be restated (issue 11); they must read the records instead.
READERS = [
    "explainer/experiments/models.py", "explainer/experiments/mlp.py", "explainer/experiments/theory.py",
    "explainer/experiments/rnn.py", "explainer/experiments/training.py", "explainer/learn/figure_data.py",
    "explainer/learn/figures.py", "explainer/lab/variants.py", "explainer/lab/diagnosis.py", "explainer/lab/params.py",
    "explainer/views/lab/activations.py", "questions/presets.py", "bench/bench_engine.py",
]


def test_config_literal_is_the_registry():
    """MLPConfig's `activation` Literal lists exactly the records' names, in the same order."""
    assert typing.get_args(configs.Activation) == NAMES == tuple(ACTIVATIONS)
    assert typing.get_args(configs.MLPConfig.model_fields["activation"].annotation) == NAMES


def test_every_record_is_keyed_by_its_own_name():
    """The registry key, the record's name and its config value are one string."""
    assert all(spec.name == name for name, spec in ACTIVATIONS.items())


@pytest.mark.parametrize("path", READERS)
def test_option_names_are_not_restated(path):
    """No string literal equal to an activation name in the modules that used to copy the list."""
    tree = ast.parse((ROOT / path).read_text())
    found = [(n.lineno, n.value) for n in ast.walk(tree) if isinstance(n, ast.Constant) and n.value in NAMES]
    assert found == []


def test_records_import_without_torch_or_numpy():
    """A fresh interpreter imports the records, the configs and the lab variants without torch or numpy."""
    script = ("import json, sys; import explainer.experiments.activations, explainer.experiments.configs, "
              "explainer.lab.variants; print(json.dumps([m for m in ('torch', 'numpy') if m in sys.modules]))")
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_formula_kernel_and_module_compute_the_same_function(spec):
    """f written over the array namespace, the engine's fused kernel and the nn.Module agree (float64)."""
    want = spec.module()(GRID)
    assert torch.allclose(spec.f(GRID), want, rtol=1e-12, atol=1e-15)
    assert torch.equal(spec.torch_kernel()(GRID), want)


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_derivative_is_autograds_including_at_kinks(spec):
    """The closed-form f' equals autograd through the nn.Module on a grid that includes z = 0."""
    z = GRID.clone().requires_grad_()
    spec.module()(z).sum().backward()
    assert torch.allclose(spec.df(GRID), z.grad, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_numpy_and_torch_give_the_same_curves(spec):
    """The Learn figures (numpy) draw the numbers the engine (torch) uses."""
    x = GRID.numpy()
    assert np.allclose(spec.f(x), spec.f(GRID).numpy(), rtol=1e-12, atol=1e-15)
    assert np.allclose(spec.df(x), spec.df(GRID).numpy(), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_peak_slope_is_the_maximum_and_is_reached_where_stated(spec):
    """`peak` is max |f'| over z, and |f'(peak_at)| equals it."""
    assert spec.df(GRID).abs().max().item() == pytest.approx(spec.peak, rel=1e-7)
    at = torch.tensor([spec.peak_at], dtype=torch.float64)
    assert spec.df(at).abs().item() == pytest.approx(spec.peak, rel=1e-12)


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_cheap_saturation_rule_matches_the_definition(spec):
    """The engine's test on a = f(z) (or z) marks exactly the units with |f'(z)| < 10 % of the peak."""
    slope = spec.df(GRID).abs()
    clear = (slope - SATURATION_FRACTION * spec.peak).abs() > 1e-9  # grid points not on an edge
    cheap = spec.saturation.mask(spec.f(GRID), GRID)
    assert torch.equal(cheap[clear], spec.saturated_at(GRID)[clear])
    assert cheap.any() != spec.saturation.never


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_fused_backward_is_grad_times_derivative(spec):
    """The engine's backward kernel returns grad ⊙ f'(z), reading a = f(z) (and z only if it says so)."""
    z = GRID.float()
    grad = torch.randn(z.shape, generator=torch.Generator().manual_seed(0))
    a = spec.torch_kernel()(z)
    got = spec.torch_backward(grad, a, z if spec.needs_input else None)
    # atol: reading f' off a float32 output (elu: a + 1 at a ≈ -1) keeps absolute, not relative, precision
    assert torch.allclose(got, grad * spec.df(z), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_gains_follow_torch_init(spec):
    """`gain` is torch.nn.init.calculate_gain (None where torch has none); `he_gain` is the leaky_relu formula."""
    if spec.gain is None:
        with pytest.raises(ValueError):
            nn.init.calculate_gain(spec.name)
    else:
        assert spec.gain == pytest.approx(nn.init.calculate_gain(spec.name), rel=1e-12)
    assert spec.he_gain == pytest.approx(nn.init.calculate_gain("leaky_relu", spec.negative_slope), rel=1e-12)


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_family_flags_describe_the_tails(spec):
    """Saturating: f' → 0 in both tails; ReLU-like: f' = 1 for large z and He init; linear: f' = 1 everywhere."""
    tails = spec.df(torch.tensor([-30.0, 30.0], dtype=torch.float64))
    if spec.saturating:
        assert tails.abs().max() < 1e-6 and spec.matched_init == "xavier_normal"
    elif spec.relu_like:
        assert tails[1] == 1.0 and spec.matched_init == "he_normal"
    else:
        assert torch.equal(spec.df(GRID), torch.ones_like(GRID)) and spec.saturation.never
    assert not (spec.saturating and spec.relu_like)


def test_activation_of_recognises_exact_modules_only():
    """Each record's own module maps back to its name; a module with other arguments maps to None."""
    assert {name: activation_of(spec.module()) for name, spec in ACTIVATIONS.items()} == {n: n for n in NAMES}
    assert activation_of(nn.LeakyReLU(0.2)) is None
    assert activation_of(nn.GELU(approximate="tanh")) is None
    assert activation_of(nn.SiLU()) is None


def test_gelu_edges_bound_the_low_slope_region():
    """GELU's saturation edges are where |gelu'| crosses 10 % of its peak (≈ 1.1289 at √2)."""
    spec = ACTIVATIONS["gelu"]
    edges = [spec.saturation.below, *spec.saturation.between]
    slopes = spec.df(torch.tensor(edges, dtype=torch.float64)).abs()
    assert torch.allclose(slopes, torch.full((3,), SATURATION_FRACTION * spec.peak, dtype=torch.float64))
    assert spec.peak_at == pytest.approx(math.sqrt(2))


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_in_place_kernels_give_the_same_numbers_in_the_given_buffer(spec):
    """f in place over z, and the backward written over `out`, equal the allocating versions bit for bit."""
    z = GRID.float()
    grad = torch.randn(z.shape, generator=torch.Generator().manual_seed(1))
    a = spec.torch_kernel()(z)
    buf = z.clone()
    in_place = spec.torch_kernel(inplace=True)(buf)
    assert torch.equal(in_place, a) and in_place.data_ptr() == buf.data_ptr()
    want = spec.torch_backward(grad, a, z)
    out = a.clone()
    got = spec.torch_backward(grad, out, z, out=out)
    assert torch.equal(got, want) and got.data_ptr() == out.data_ptr()


def test_saturation_clauses_may_not_overlap():
    """The engine adds per-clause counts, so a rule whose clauses overlap is refused when it is declared."""
    with pytest.raises(ValueError):
        Saturation(below=0.0, between=(-1.0, 1.0))
    with pytest.raises(ValueError):
        Saturation(far_from=(0.0, 1.0), at_most=0.0)
    assert Saturation(below=-2.0, between=(-1.0, 1.0)).between == (-1.0, 1.0)
