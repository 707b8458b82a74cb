"""Lab page: Activations (see explainer/views/lab/activations.py)."""

from explainer.views.lab.activations import render

render()
