"""Lab page: Initialization (see explainer/views/lab/init.py)."""

from explainer.views.lab.init import render

render()
