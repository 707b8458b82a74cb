"""Importing the lab views, charts, diagnosis and presets does not import torch (only running an experiment does)."""

import json
import subprocess
import sys

from tests.conftest import ROOT

SCRIPT = r"""
import importlib, json, pkgutil, sys
import explainer.views.lab as lab
mods = ["explainer.lab.charts", "explainer.lab.diagnosis", "explainer.core.palette", "explainer.lab.params",
        "explainer.lab.specs", "explainer.lab.variants", "explainer.lab.ranking", "explainer.core.urls"]
mods += [f"explainer.views.lab.{m.name}" for m in pkgutil.iter_modules(lab.__path__)]
for name in mods:
    importlib.import_module(name)
print(json.dumps({"torch": "torch" in sys.modules, "modules": len(mods)}))
"""


def test_lab_modules_import_without_torch():
    """A fresh interpreter imports every lab module; afterwards "torch" is not in sys.modules."""
    out = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["modules"] > 10
    assert result["torch"] is False
