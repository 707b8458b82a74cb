"""Review due page."""

from explainer.views.progress_views.review import render

render()
