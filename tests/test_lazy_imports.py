"""Learn pages never pay for torch: rendering them in a fresh process leaves torch unimported."""

import json
import subprocess
import sys

from tests.conftest import ROOT

SCRIPT = r"""
import json, sys
from streamlit.testing.v1 import AppTest
from explainer.core.sitemap import PAGES
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


HOME_SCRIPT = r"""
import json, sys
from streamlit.testing.v1 import AppTest
at = AppTest.from_file("streamlit_app.py", default_timeout=60).run()
print(json.dumps({"errors": [e.value for e in at.exception],
                  "loaded": [m for m in ("pandas", "altair", "numpy", "torch") if m in sys.modules]}))
"""


def test_home_page_cold_start_skips_the_data_stack():
    """The landing page has no figures: a fresh process renders it without importing pandas, altair or numpy
    (about 0.5 s of a cold start); the figure pages import them on their first figure."""
    out = subprocess.run([sys.executable, "-c", HOME_SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result == {"errors": [], "loaded": []}
