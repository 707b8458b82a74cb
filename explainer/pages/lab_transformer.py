"""Lab page: Transformer norms & warm-up (see explainer/views/lab/transformer.py)."""

from explainer.views.lab.transformer import render

render()
