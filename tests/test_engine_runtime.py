"""Server runtime settings: bounded torch threads from the environment, flushed denormals, torch kept lazy."""

import os
import subprocess
import sys
import threading

import pytest
import torch

from explainer.experiments.runtime import DEFAULT_THREADS, THREADS_ENV, ensure_runtime, torch_threads
from tests.conftest import ROOT


@pytest.mark.parametrize(("raw", "expected"), [("3", 3), ("0", 1), ("", DEFAULT_THREADS), ("many", DEFAULT_THREADS)])
def test_thread_count_from_environment(monkeypatch, raw, expected):
    """GRADIENT_LAB_TORCH_THREADS sets the thread count; junk or empty falls back to the default, 0 to 1."""
    monkeypatch.setenv(THREADS_ENV, raw)
    assert torch_threads() == expected


def test_denormals_are_flushed():
    """After ensure_runtime a denormal float32 (1e-39) reads as zero, so underflowing sigmoid nets stay fast."""
    ensure_runtime()
    assert (torch.tensor([1e-39], dtype=torch.float32) * 1.0).item() == 0.0


def test_denormals_are_flushed_in_every_thread():
    """Flush-to-zero is per-thread state: a session thread without it gets it from its own engine call."""
    ensure_runtime()  # the process-wide part is done already
    seen = []

    def session():
        torch.set_flush_denormal(False)  # like a server thread started before any engine call
        seen.append((torch.tensor([1e-39]) * 1.0).item())
        ensure_runtime()
        seen.append((torch.tensor([1e-39]) * 1.0).item())

    worker = threading.Thread(target=session)
    worker.start()
    worker.join()
    assert seen[0] != 0.0 and seen[1] == 0.0


def run_python(code: str, **env: str) -> str:
    """Run code in a fresh interpreter at the repo root and return its last output line."""
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120, env={**os.environ, **env}
    )
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout.strip().splitlines()[-1]


def test_engine_applies_thread_setting_once():
    """The first engine call sets torch's intra-op threads from the environment (here 2) and interop to 1."""
    code = (
        "import torch\nfrom explainer.experiments import MLPConfig, gradient_profile\n"
        "gradient_profile(MLPConfig(depth=2, width=4, batch_size=8, seeds=1))\n"
        "print(torch.get_num_threads(), torch.get_num_interop_threads())"
    )
    assert run_python(code, **{THREADS_ENV: "2"}) == "2 1"


def test_package_and_sitemap_do_not_import_torch():
    """`import explainer` and `import explainer.core.sitemap` leave torch unimported (Learn pages stay light)."""
    assert run_python("import sys, explainer, explainer.core.sitemap; print('torch' in sys.modules)") == "False"
