"""Class dashboard page (instructor only)."""

from explainer.views.progress_views.instructor import render

render()
