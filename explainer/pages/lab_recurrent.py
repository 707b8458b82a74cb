"""Lab page: Recurrent nets (see explainer/views/lab/recurrent.py)."""

from explainer.views.lab.recurrent import render

render()
