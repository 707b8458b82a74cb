"""Learn pages never pay for torch: rendering them in a fresh process leaves torch unimported."""

import json
import subprocess
import sys

from tests.conftest import ROOT

SCRIPT = r"""
import json, sys
from streamlit.testing.v1 import AppTest
from explainer.sitemap import PAGES
at = AppTest.from_file("streamlit_app.py", default_timeout=60).run()
errors = []
for p in PAGES:
    if p.section == "Learn":
        at.switch_page(p.script).run()
        errors += [e.value for e in at.exception]
print(json.dumps({"torch": "torch" in sys.modules, "errors": errors}))
"""


def test_learn_pages_do_not_import_torch():
    """A fresh interpreter renders every Learn page; afterwards "torch" is not in sys.modules."""
    out = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["errors"] == []
    assert result["torch"] is False
