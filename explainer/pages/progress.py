"""My progress page."""

from explainer.views.progress.progress import render

render()
