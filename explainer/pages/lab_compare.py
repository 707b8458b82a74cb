"""Lab page: Compare remedies (see explainer/views/lab/compare.py)."""

from explainer.views.lab.compare import render

render()
