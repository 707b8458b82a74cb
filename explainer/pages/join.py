"""Join a class page."""

from explainer.views.progress_views.join import render

render()
