"""Lab page: Phase diagram (see explainer/views/lab/phase.py)."""

from explainer.views.lab.phase import render

render()
