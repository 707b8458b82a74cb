"""Lab page: Mixed precision (see explainer/views/lab/precision.py)."""

from explainer.views.lab.precision import render

render()
