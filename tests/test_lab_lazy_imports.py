"""Importing the lab views, charts, diagnosis and presets does not import torch (only running an experiment does)."""

import json
import os
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


SERVER_SCRIPT = r"""
import json, sys
from streamlit.testing.v1 import AppTest
from explainer.core.sitemap import PAGES
at = AppTest.from_file("streamlit_app.py", default_timeout=600).run()
errors = []
for p in PAGES:
    at.switch_page(p.script).run()
    errors += [f"{p.url_path}: {e.value}" for e in at.exception]
print(json.dumps({"torch": "torch" in sys.modules, "errors": errors}))
"""


def test_the_server_process_never_imports_torch(tmp_path):
    """A server renders every page, the labs' results included, with the engine in its worker processes (the
    default): torch stays out of the server, where it would cost ~150 MB per replica and the import under load."""
    env = {**os.environ, "GRADIENT_LAB_COMPUTE": "process", "GRADIENT_LAB_WARM": "0", "GRADIENT_LAB_LAB_WAIT_S": "600",
           "GRADIENT_LAB_CACHE_DIR": str(tmp_path / "run-cache"), "GRADIENT_LAB_DB": str(tmp_path / "app.sqlite3")}
    out = subprocess.run([sys.executable, "-c", SERVER_SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=1200)
    assert out.returncode == 0, out.stderr[-2000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["errors"] == []
    assert result["torch"] is False
