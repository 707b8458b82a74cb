"""Lab page: Does it hurt learning? (see explainer/views/lab/digits.py)."""

from explainer.views.lab.digits import render

render()
