"""My progress page."""

from explainer.views.progress_views.progress import render

render()
