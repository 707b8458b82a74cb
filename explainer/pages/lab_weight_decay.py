"""Lab page: Weight decay (see explainer/views/lab/weight_decay.py)."""

from explainer.views.lab.weight_decay import render

render()
