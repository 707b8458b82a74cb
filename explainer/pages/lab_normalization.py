"""Lab page: BatchNorm & residual (see explainer/views/lab/normalization.py)."""

from explainer.views.lab.normalization import render

render()
