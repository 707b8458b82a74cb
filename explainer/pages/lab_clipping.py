"""Lab page: Exploding & clipping (see explainer/views/lab/clipping.py)."""

from explainer.views.lab.clipping import render

render()
